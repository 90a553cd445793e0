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
//   automatic       two candidates, the cold start at the target β and the automatic path
//                   β·10⁻³, β·10⁻², β·10⁻¹, β. Where the mixing is sharp — β·ν̄ ≥ 10, ν̄ the mean
//                   number of training events per user and unit time, so that a typical user's
//                   cascades' exp(β ν*) differ by e^10 and more — the path comes first, else the cold
//                   start. The other is fitted only when the first does not converge (KKT residuals
//                   above their tolerances after --max-iter, or stalled), and then the result with
//                   the larger objective is kept (both are reported). `both` fits the two always.
//
// Why the order: this is deterministic annealing (β an inverse temperature). Where the mixing is
// sharp a cold start crawls and can converge to a poorer optimum; measured on heavy-tailed logs
// (mic generate --graph ba:N:5 --cascades 5 --model cc --activity-tail 1.1 --rho-tau 0.9, τ = 0.1):
// N = 3000, β = 1000 (β·ν̄ = 343): cold 93 iterations to L = 524,909.15, path 52 to 525,100.87;
// N = 1500, β = 1000 (378): cold not converged after 98 (376,715), path 56 to 376,857.22;
// β = 100 (38): cold 61 to 375,705.12, path 32 to 375,720.73. Where it is smooth the cold start is
// direct: β = 10 (3.8): cold 12 to 374,198.50, path 21 to 374,194.21. No order is right everywhere
// (the objective is not concave): N = 300, β = 1000 (1020): cold 48 to 215,327.25, path 21 at β to
// 215,319.28; `both` is for a user who wants the better of the two at twice the time.
//
// A resumed fit (options.previous_objective given: a checkpoint's) continues at the start's β and then runs the rest of its path.
// Under the automatic scheme it also needs where it stood (automatic_resume): which candidate it
// was in and, in the second, the first's result, which the caller records when on_first_candidate
// is called; the resumed fit then makes the same choice as an uninterrupted one.
// cc and mic have a β; for linmic and ic (linear mixing) there is nothing to continue in.
#include <functional>
#include <optional>
#include <vector>

#include "engine/inference/fit.hpp"

namespace mic {

struct continuation_options {
    std::vector<double> betas;  // explicit path below the target β (ascending after sorting); empty: none
    bool automatic = true;      // the automatic path and the cold start (no explicit path)
    int automatic_decades = 3;  // the automatic path starts at β·10^−decades
    double sharp_mixing = 10;   // the automatic path comes first when β·ν̄ is at least this
    bool both = false;          // automatic: fit the other one even when the first converged
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
    std::vector<path_stage> stages;  // every fit made, in order
    // --beta-path auto only:
    double mixing_sharpness = 0;       // β·ν̄ (mixing_sharpness below)
    bool path_first = false;           // the automatic path was fitted before the cold start
    bool both_run = false;             // the first did not converge, so the other was fitted too
    bool kept_automatic_path = false;  // the automatic path's result is the one returned
};

// β·ν̄: β times the mean number of events per user and unit time scored in `window` (every user of
// the dataset counted, with events or not). Collective over `comm`: the same value on every rank.
double mixing_sharpness(const communicator& comm, const shard& data, likelihood_window window, double beta);

// β·10^−decades, …, β·10^−1 (ascending).
std::vector<double> automatic_betas(double target, int decades);

// The βs of the path from `start_beta` to `target` (ascending, each below `target` and at or above
// `start_beta`), then `target`.
std::vector<double> path_betas(std::vector<double> betas, double start_beta, double target);

// Where a resumed fit of the automatic scheme stands (its checkpoint records the candidate; the
// first candidate's result is what on_first_candidate was given).
struct automatic_resume {
    int candidate = 0;                       // 0: in the first candidate, 1: in the second
    std::optional<fit_result> first;         // candidate 1: the first's result (params: every user on the root)
    std::optional<model_params> fresh_start; // candidate 0: the start of a new fit (owned rows), for the second
};

// Called on every rank when the first candidate of the automatic scheme has ended and the second is
// about to start (it did not converge, or `both`): its params are every user on the root.
using candidate_hook = std::function<void(const fit_result& first)>;

// Collective over `comm`, like fit_model. `start.beta` is where the path starts (the target β is
// `target_beta`); every stage uses `options` (resume fields for the first stage only). The progress
// given to `callback` carries the automatic scheme's candidate (fit_progress::candidate).
continued_fit fit_with_continuation(const communicator& comm, const shard& data, likelihood_window window,
                                    const model_params& start, double target_beta, const fit_options& options,
                                    const continuation_options& continuation, const fit_callback& callback = {},
                                    const fit_progress_hook& progress = {}, const automatic_resume* resume = nullptr,
                                    const candidate_hook& on_first_candidate = {});

} // namespace mic
