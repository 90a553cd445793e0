#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

#include "engine/inference/beta_path.hpp"
#include "launch/cli/option_parsing.hpp"

namespace mic {

// `mic fit`: Alg. 1 on the first --train-fraction of a dataset's events.
struct fit_command_options {
    std::filesystem::path data;
    std::string model;                  // mic | linmic | cc | ic (checked by the command)
    double beta = 1.0;
    double tau = 0.0;                   // required
    std::filesystem::path out;
    double train_fraction = 0.8;        // fit the window [t_start, t_F], t_F the time of the event at quantile F (SPEC §4)
    double tol = 1e-6;                  // relative gain of the objective
    std::int32_t max_iter = 100;
    double user_tol = fit_options::default_kkt_tolerance;   // scaled KKT residual of each user problem
    double sigma_tol = fit_options::default_kkt_tolerance;  // KKT residual of Σ
    double mu_floor = fit_options::default_pseudo_events;   // pseudo-events ε per user and cascade (0: MLE)
    std::string beta_path = "auto";     // auto | none | B1,B2,… (continuation in β; mic and cc)
    std::filesystem::path init;         // warm start from this params file
    double feature_memory_mb = double(fit_options::default_feature_budget_bytes >> 20);  // per rank, MiB
    std::string sigma_step = "auto";    // auto | profile | plain (mic, linmic)
    std::filesystem::path checkpoint;   // parameters after every iteration (atomically replaced)
    bool resume = false;                // continue from --checkpoint
    bool force = false;                 // overwrite --out (and an existing --checkpoint of another run)
};

cli::po::options_description describe_options(fit_command_options& options);

// Checks of the options alone (usage_error naming the option, input_error for a missing checkpoint).
model_variant check_options(const fit_command_options& options);
// --beta-path: "auto", "both", "none" or positive numbers separated by commas.
continuation_options parse_beta_path(const std::string& text);
// The canonical text of a parsed --beta-path ("auto", "both", "none" or the βs below the target β in
// shortest form, ascending, without repeats), which checkpoints record: "10,1", "1,10" and, at --beta
// 100, "1,10,100" read as the same path.
std::string canonical_beta_path(const continuation_options& path, double target_beta);
// --feature-memory MB (of fit and cv) in bytes: a usage_error unless MB is a number in [0, 1e9].
std::size_t feature_budget_bytes(double megabytes);
// The engine's options of a fit (tolerances, prior, Σ-step, memory; resume fields unset).
fit_options engine_options(const fit_command_options& options);

} // namespace mic
