#pragma once
// What `mic fit` does on rank 0 before any collective: the files are checked and the engine's plan
// is built from them and the options (SPEC §4 `fit`).
#include <string>

#include "engine/jobs/fit_job.hpp"
#include "launch/options/fit_options.hpp"

namespace mic::cli {

// Rank 0. Validates the dataset (offsets, graph, times) before using it; the training window
// [t_start, t_F] of --train-fraction (refused when it holds no event); the users' partition over
// `n_ranks` by work; an --init file against the dataset's users, cascades and graph; with --resume,
// the checkpoint against the dataset (`checksum`), window, model, τ, β path and --mu-floor, and its
// iteration and objective into the plan's options.
fit_plan plan_fit(const fit_command_options& options, int n_ranks, const std::string& checksum);

} // namespace mic::cli
