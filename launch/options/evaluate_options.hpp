#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "launch/cli/option_parsing.hpp"
#include "launch/options/time_bound.hpp"

namespace mic {

// `mic evaluate`: a fitted model against the held-out part of a dataset.
struct evaluate_options {
    std::filesystem::path data, params, out;
    std::optional<window_bound> from;      // the start a of the test window (a, t_end]
    std::optional<double> train_fraction;  // a = the time of the event at quantile F
    std::int64_t replicas = 10, bins = 20, max_events = 0;
    std::uint64_t seed = 1;
    std::string rank_by = "data";          // data | test: what makes a user "most active"
    bool force = false;
};

cli::po::options_description describe_options(evaluate_options& options);

} // namespace mic
