#pragma once
// `mic simulate`: event logs from a params file, replicas spread over the ranks.
#include <cstdint>
#include <filesystem>
#include <string>

#include "engine/simulation/simulation.hpp"
#include "launch/cli/option_parsing.hpp"

namespace mic {

struct simulate_options {
    std::filesystem::path params;
    double horizon = 0.0;
    std::int64_t replicas = 1;
    std::uint64_t seed = 0;
    std::string out;  // PREFIX: replica k goes to PREFIX-<k>.h5
    simulation_method method = simulation_method::exact;
    std::int64_t max_events = 0;  // 0: no bound
    std::string time_unit;
    std::filesystem::path data;  // optional: the fitted dataset, whose names and time unit the replicas take
    bool force = false;
};

cli::po::options_description describe_options(simulate_options& options);

// Shared with `mic generate`: --method exact|ogata, stored as a simulation_method.
cli::po::typed_value<std::string>* method_value(simulation_method& target);

// PREFIX-<k>.h5
std::filesystem::path replica_path(const std::string& prefix, std::int64_t replica);

} // namespace mic
