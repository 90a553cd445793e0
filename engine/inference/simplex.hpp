#pragma once
// Row-stochastic matrices: Euclidean projection of each row onto the probability simplex, and the
// KKT residual of max S(Σ) over row-stochastic Σ.
#include <cstdint>
#include <span>

namespace mic {

// Replaces x (one row) by argmin_{y ≥ 0, Σy = 1} ‖y − x‖₂: y = max(0, x − θ) with the θ that makes
// the sum 1 (sort-based, O(C log C)).
void project_to_simplex(std::span<double> x);

// Projected-gradient residual of max S(Σ) over row-stochastic Σ (C×C row-major), with the gradient
// scaled by 1/n (n = scored events, so that it is a per-event average):
//   max_{s,c} |P_Δ(σ_s + g_s/n)_c − σ_sc|
// zero exactly at a KKT point (in each row, g_sc equal to a common η_s where σ_sc > 0 and ≤ η_s
// where σ_sc = 0); in units of probability.
double simplex_kkt_residual(std::span<const double> sigma, std::span<const double> gradient, std::int32_t n_cascades,
                            double n_events);

} // namespace mic
