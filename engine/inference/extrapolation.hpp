#pragma once
// Over-relaxation of the outer iteration (fit.hpp). One iteration of Alg. 1 is a map x → G(x) of
// x = (M, W, Σ) that never decreases the objective Φ. Where Σ and W trade off — on heavy-tailed logs
// at large β — it crawls along a ridge: each iteration moves Σ a little in the same direction and
// gains ~1e-5 of Φ, for tens of iterations. The fit then tries points further along the iteration's
// own step,
//
//     y(α) = x + α (G(x) − x),   α = 2, 3, 4, 6, 8   (projected: θ ≥ 0, Σ row-stochastic)
//
// in this order while each beats the one before (the first beats G(x)), and keeps the last that did:
// the safeguarded over-relaxation of fixed-point iterations (Salakhutdinov and Roweis's adaptive
// overrelaxed EM; Varadhan and Roland's SQUAREM is the two-step relative). Only a larger Φ is ever accepted, so Φ still never decreases, and
// the KKT conditions, not the step, decide convergence (the fit checks them on G(x) first, tries the
// over-relaxation only when they fail, and never on the last iteration allowed, so it returns a user
// optimum).
// The candidates are evaluated, not solved: one pass of L_u per user and trial, against the tens of
// Newton iterations of a user step — but a user whose features are not kept (user_step.hpp) has them
// rebuilt for each trial, one sweep of its neighbours' events.
//
// The next iteration's profile Σ-step (profile_step.hpp) assumes the users at their optimum, which an
// extrapolated point is not: its step is then less accurate, never wrong, since it too accepts only a
// larger Φ (the default Σ-step took the same iteration counts with and without, real_data_fit_test).
#include <vector>

#include "engine/model/model_params.hpp"

namespace mic {

// y = from + α (to − from) on the rows and Σ of two parameter sets of the same shape (the same owned
// rows, edges, variant, β and τ; `to`'s are kept). Baselines and weights below 0 become 0; each row of
// Σ is clipped at 0 and renormalised to sum 1 (from and to are row-stochastic, so without clipping
// the rows of y already sum to 1).
model_params extrapolated(const model_params& from, const model_params& to, double alpha);

// The factors tried, in order: 2, 3, 4, 6, 8, 12, … up to `largest` (none below 2).
//
// Measured on the heavy-tailed fixture of real_data_fit_test (β = 1e4, plain Σ-step, 76 iterations
// without): the ladder 2, 4, 8, 16 took 64, 1.5, 2, 3, 4, 6, 8 took 68, 2, 3, 4, 6, 8 took 58 (and so did
// the same up to 32); SQUAREM's own step length (every other iteration) took 69. Those runs tried it
// only on iterations that gained at least --tol; tried on every iteration that does not converge,
// the ladder 2, 3, 4, 6, 8 takes 22.
std::vector<double> extrapolation_factors(double largest);

} // namespace mic
