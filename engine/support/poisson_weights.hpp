#pragma once
// Weights of uniformisation (Jensen's method) and where to truncate them.
//
// With Λ ≥ max_i q_i, P = I + Q/Λ is stochastic and exp(Qt) = Σ_k p_k(Λt) P^k, where
// p_k(λ) = e^{-λ} λ^k / k! is the Poisson(λ) probability. Three quantities of IDM-CTMP are sums
// Σ_k w_k x_k over the uniformised chain with a weight sequence w_k(λ), λ = Λt:
//
//   probability   w_k = p_k(λ)                       rows of P(t):  e_iᵀ P(t) = Σ_k w_k e_iᵀ P^k
//   tail          w_k = T_k(λ) = P(N(λ) > k)         DS_i(t) = (1/Λ) Σ_k w_k (P^k q)_i
//   tail_average  w_k = U_k(λ)/λ, U_k = Σ_{j>k} T_j   (1/t)∫_0^t DS_i(s) ds = (1/Λ) Σ_k w_k (P^k q)_i
//
// Derivation of the tail weights. DS_i(t) = ∫_0^t Σ_j P_ij(s) q_j ds = ∫_0^t (e^{Qs} q)_i ds and
//   ∫_0^t p_k(Λs) ds = (1/Λ) ∫_0^{Λt} e^{-x} x^k/k! dx = (1/Λ) P(Gamma(k+1, 1) ≤ Λt) = (1/Λ) P(N(Λt) ≥ k+1),
// because the (k+1)-th arrival of a unit-rate Poisson process comes before Λt exactly when at least
// k+1 arrivals fall in [0, Λt]. Integrating once more, ∫_0^t T_k(Λs) ds = (1/Λ) Σ_{j>k} T_j(Λt),
// which gives the tail_average weights.
//
// Truncation. Every x_k above is bounded: e_iᵀP^k is a probability vector and 0 ≤ (P^k q)_i ≤ Λ.
// So dropping the terms k > R costs at most Σ_{k>R} w_k — in ℓ1 for rows of P(t), in posts for DS —
// and R is the smallest index with Σ_{k>R} w_k ≤ tol: a rigorous bound, not a heuristic.
//
// Computing p_k for any λ (Fox–Glynn style). e^{-λ} underflows for λ > 745, so p_k is not computed
// from k = 0: r_m = 1 at the mode m = ⌊λ⌋, then r_{k+1} = r_k λ/(k+1) upward and r_{k-1} = r_k k/λ
// downward until the terms are negligible (< 1e-30 relative, including a geometric bound on the
// rest of the upper tail), and p_k = r_k / Σ r. The normalisation makes the weights exact to
// rounding without evaluating e^{-λ} or lgamma, whose absolute errors grow with λ. No splitting of
// t into steps is needed for the weights; the cost of uniformisation, ~Λt + O(√(Λt)) products with
// P, is the same either way (splitting would only add a √ term per step).
#include <cstdint>
#include <vector>

namespace mic {

enum class weight_kind { probability, tail, tail_average };

struct truncated_weights {
    std::vector<double> weight;  // w_k for k = 0 .. R
    double dropped = 0.0;        // Σ_{k>R} w_k ≤ tolerance: the truncation error bound
    std::int64_t last() const { return static_cast<std::int64_t>(weight.size()) - 1; }  // R
};

// The weights of `kind` for λ = Λt ≥ 0, truncated where the dropped mass is ≤ tolerance (> 0).
truncated_weights uniformization_weights(double lambda, weight_kind kind, double tolerance);

} // namespace mic
