#pragma once
// `mic generate`: a synthetic dataset and its ground-truth params file.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/model_variant.hpp"
#include "engine/simulation/parameter_draw.hpp"
#include "engine/simulation/simulation.hpp"
#include "launch/cli/option_parsing.hpp"

namespace mic {

// --graph: er:U:p (Erdős–Rényi), ba:U:m (Barabási–Albert) or an edge-list file.
struct graph_spec {
    enum class kind { erdos_renyi, barabasi_albert, edge_file } type = kind::erdos_renyi;
    std::int32_t n_users = 0;   // er, ba
    double p = 0.0;             // er
    std::int32_t m = 0;         // ba
    std::filesystem::path file; // edge_file
};

struct generate_options {
    std::filesystem::path out, truth;
    std::optional<std::filesystem::path> params;  // read μ, W (and Σ, β, τ, model) instead of drawing
    std::optional<graph_spec> graph;
    std::optional<std::int32_t> users;            // edge files: number of users (default: largest id + 1)
    std::optional<model_variant> model;           // default mic (or the params file's)
    std::optional<double> beta, tau;              // default 1 (or the params file's)
    std::optional<std::int32_t> cascades;         // default: from --sigma, else 1
    std::vector<double> sigma;                    // --sigma "1,0,0;.71,.29,0;0,0,1" (row-major), empty: I
    std::int32_t sigma_size = 0;
    uniform_range mu{0.0, 0.2}, weight{0.0, 1.0};  // the paper's Sec. 7.2 ranges
    double activity_tail = 0;                     // Pareto shape of user activity (0: none)
    double baseline_density = 1;                  // share of non-zero μ_u^c
    double rho_tau = 0;                           // scale W to this ρ(W)·τ (0: as drawn or read)
    std::vector<std::string> drawing_options;     // the options given that only drawing uses (refused with --params)
    double horizon = 0.0;
    std::uint64_t seed = 0;
    simulation_method method = simulation_method::exact;
    std::int64_t max_events = 0;
    std::string time_unit;
    bool force = false;
};

cli::po::options_description describe_options(generate_options& options);

// Parsers behind the options (throw usage_error naming the option).
graph_spec parse_graph_spec(const std::string& text);
// "1,0,0;.71,.29,0;0,0,1" → row-major values and the size C (rows separated by ';', entries by ',').
std::vector<double> parse_sigma(const std::string& text, std::int32_t& size);
uniform_range parse_range(const std::string& text, const char* option);

} // namespace mic
