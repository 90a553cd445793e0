#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/inference/fit.hpp"
#include "launch/cli/option_parsing.hpp"

namespace mic {

// `mic cv`: a grid of models, β and τ scored on validation blocks of the training part.
struct cv_command_options {
    std::filesystem::path data, out, state;  // state: default OUT.cv
    std::string models = "mic", betas = "10,100,1000", taus;
    std::int32_t folds = 1;
    double train_fraction = 0.8, validation = 0.2;
    double tol = 1e-6, mu_floor = fit_options::default_pseudo_events;
    std::int32_t max_iter = 100;
    double feature_memory_mb = double(fit_options::default_feature_budget_bytes >> 20);  // per rank, MiB
    bool force = false;
};

cli::po::options_description describe_options(cv_command_options& options);

// The grid of the options (usage_error naming the option when a list is malformed).
struct cv_grid {
    std::vector<model_variant> variants;
    std::vector<double> betas, taus;
};
cv_grid parse_grid(const cv_command_options& options);

} // namespace mic
