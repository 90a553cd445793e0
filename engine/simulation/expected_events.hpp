#pragma once
// The expected number of events of a simulation from an empty history on (0, T], for ANY ρ(W)·τ:
// what bounds the work of simulating a supercritical model (a fitted model of real data often has
// ρ(W)·τ slightly above 1, and over a finite horizon its expected count is finite).
//
// With the expected intensities z(t) (dz/dt = −(z − μ)/τ + Wᵀ z, z(0) = μ; Sec. 6) and x = t/τ,
// X = T/τ, v_k = (τWᵀ)^k μ and N(x) ~ Poisson(x):
//
//   z(t) = Σ_k [p_k(x) + T_k(x)] v_k,        T_k(x) = P(N(x) > k)
//   E[n(T)] = 1ᵀ ∫_0^T z = τ Σ_k [T_k(X) + U_k(X)] 1ᵀ v_k,   U_k(X) = Σ_{j>k} T_j(X)
//
// (∫_0^t p_k(s/τ) ds = τ T_k(x) and ∫_0^T T_k(s/τ) ds = τ U_k(X): engine/support/poisson_weights.hpp).
// Every term is non-negative: no cancellation whether the model is stable or not (W = 0 gives
// T Σμ). The weights come from the Poisson(X) probabilities truncated where they are below 1e-30 of
// the mode (Fox–Glynn); T_k and U_k are summed from the top down.
//
// Cost: about X + O(√X) sparse products with Wᵀ (O(edges) each). When that exceeds `work_limit`
// operations, the rigorous bound 1ᵀ v_k ≤ γ^k Σμ with γ = τ · (largest out-weight sum) replaces the
// products (an upper bound on E[n(T)]), or, when it is lower, the bound T·1ᵀBμ of a stable model
// (one sparse solve, tight when T ≫ τ). Horizons beyond ~10⁶ τ, whose weights alone would fill
// memory, get T·1ᵀBμ alone, and +inf (no bound) when the model is not stable. Memory stays
// O(users + edges + 10⁶) whatever the horizon.
#include <cstdint>

#include "engine/model/model_params.hpp"

namespace mic {

struct expected_event_count {
    double events = 0;     // E[n(T)] summed over users and cascades (+inf: beyond double range)
    bool upper_bound = false;  // the γ bound was used (the true value is at most `events`)
};

expected_event_count expected_events(const model_params& params, double horizon, double work_limit = 2e9);

} // namespace mic
