#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

#include "launch/cli/option_parsing.hpp"

namespace mic {

// `mic fit`: Alg. 1 on the first --train-fraction of a dataset's events.
struct fit_command_options {
    std::filesystem::path data;
    std::string model;                  // mic | linmic | cc | ic (checked by the command)
    double beta = 1.0;
    double tau = 0.0;                   // required
    std::filesystem::path out;
    double train_fraction = 1.0;        // fit the window (t_start, t_F], t_F the time of the event at quantile F
    double tol = 1e-6;                  // relative gain of L
    std::int32_t max_iter = 100;
    double user_tol = 1e-9;             // scaled KKT residual of each user problem
    double sigma_tol = 1e-9;            // KKT residual of the Σ-step
    double feature_memory_mb = 1024;    // per rank, for stored kernel states
    std::string sigma_step = "auto";    // auto | profile | plain (mic, linmic)
    std::filesystem::path checkpoint;   // parameters after every iteration (atomically replaced)
    bool resume = false;                // continue from --checkpoint
    bool force = false;                 // overwrite --out
};

cli::po::options_description describe_options(fit_command_options& options);

} // namespace mic
