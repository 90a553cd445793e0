#pragma once
// Continuation in β for `mic fit` (SPEC §2 "Inference"): fit at increasing β, each fit started from
// the last one's parameters.
//
// Why: at large β (10³–10⁵, what real data need) f_u saturates to 0/1 and the objective is nearly
// piecewise linear in Σ, with kinks where an event's most likely cascade changes. From a cold start
// (Σ = I, crude M and W) the alternation then has to find its way through many kinks; at small β the
// same problem is smooth, its optimum is easy to reach, and it moves continuously with β. Each
// decade of β from the last optimum is a short fit.
//
//   explicit path   β_1 < … < β_K (--beta-path): fit at each, then at the target β.
//   automatic       a cold start at the target β first; when it does not converge (KKT residuals
//                   above their tolerances after --max-iter, or stalled), the automatic path
//                   β·10⁻³, β·10⁻², β·10⁻¹, β is fitted too and the result with the larger objective
//                   is kept (both are reported).
//
// A resumed fit (start_iteration > 0) continues at the start's β and then runs the rest of its path
// (the explicit one, else the automatic one: a fit interrupted on the automatic path ends on it,
// without the comparison with the cold start, which the checkpoint does not hold).
// cc and mic have a β; for linmic and ic (linear mixing) there is nothing to continue in.
#include <vector>

#include "engine/inference/fit.hpp"

namespace mic {

struct continuation_options {
    std::vector<double> betas;  // explicit path below the target β (ascending after sorting); empty: none
    bool automatic = true;      // the automatic path when a cold start does not converge (no explicit path)
    int automatic_decades = 3;  // the automatic path starts at β·10^−decades
};

// One fit of a path.
struct path_stage {
    double beta = 0;
    double loglik = 0, objective = 0;
    int iterations = 0;
    bool converged = false;
};

struct continued_fit {
    fit_result result;               // the fit returned (at the target β)
    std::vector<path_stage> stages;  // every fit made, in order (the cold start first when automatic)
    bool automatic_path_run = false;
    bool kept_automatic_path = false;  // the automatic path gave the larger objective
};

// β·10^−decades, …, β·10^−1 (ascending).
std::vector<double> automatic_betas(double target, int decades);

// The βs of the path from `start_beta` to `target` (ascending, each below `target` and at or above
// `start_beta`), then `target`.
std::vector<double> path_betas(std::vector<double> betas, double start_beta, double target);

// Collective over `comm`, like fit_model. `start.beta` is where the path starts (the target β is
// `target_beta`); every stage uses `options` (resume fields for the first stage only).
continued_fit fit_with_continuation(const communicator& comm, const shard& data, likelihood_window window,
                                    const model_params& start, double target_beta, const fit_options& options,
                                    const continuation_options& continuation, const fit_callback& callback = {},
                                    const fit_progress_hook& progress = {});

} // namespace mic
