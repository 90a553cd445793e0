#pragma once
// The closed forms of Sec. 6 summed over users, as `mic expect` reports them: E[λ(t)] (Eq. 28),
// E[n(t)] (Eq. 29), the stationary cascade split (Eq. 30), and the stability figure ρ(W)·τ.
//
// Totals over cascades are exact for every variant (the user-level process does not depend on the
// mixing). Per cascade:
// - linear mixing (linmic, ic): exact. There λ_u^c = ν*_u^c, so the U×C matrix L(t) of E[λ_u^c(t)]
//   solves dL/dt = −(L − M)/τ + Wᵀ L Σ (influence_operator.hpp, S = Σ; Σ = I for ic), and its
//   stationary value L∞ = M + τ Wᵀ L∞ Σ. Its row sums are Bμ (Σ is row-stochastic), and for ic
//   L∞ = B M: the "proportional" form of Eq. 30 is then exact.
// - Boltzmann mixing (mic, cc): Eq. 30, the paper's stationary approximation
//     E[λ_u^c(t)] ≈ E[λ_u(t)] · softmax_c(β (B M Σ)_{u,c}),   E[n_u^c(t)] ≈ E[n_u(t)] · (same split),
//   with B M from one solve of width C and the softmax from the model's log_mixing (log-sum-exp).
#include <span>
#include <vector>

#include "engine/model/model_params.hpp"
#include "engine/simulation/spectral_radius.hpp"

namespace mic {

struct expected_activity {
    spectral_radius_estimate radius;  // ρ(W)
    double stability = 0.0;           // ρ(W)·τ (< 1: stable)
    bool per_cascade_exact = false;   // true for linear mixing, false under Eq. 30
    std::vector<double> times;
    std::vector<double> intensity;        // times × C: Σ_u E[λ_u^c(t)]
    std::vector<double> count;            // times × C: Σ_u E[n_u^c(t)]
    std::vector<double> total_intensity;  // per time: Σ_u E[λ_u(t)]  (Eq. 28, exact)
    std::vector<double> total_count;      // per time: Σ_u E[n_u(t)]  (Eq. 29, exact)
    std::vector<double> stationary;       // C: Σ_u E[λ_u^c] in the stationary regime
    double stationary_total = 0.0;        // Σ_u (Bμ)_u
    std::vector<double> stationary_user;  // U×C: E[λ_u^c] in the stationary regime
};

// About how many floating-point operations expect_activity(params, times) takes: the flow's sparse
// products (about t_max/τ of them, each O(edges·width + users·width²), width = C for linear mixing
// and 1 for Boltzmann) and the per-cascade sums at each time (users × C). The count stops once past
// 2 × max_expectation_work (then a lower bound); `counted`, when given, receives how many times it
// counted.
double expectation_work(const model_params& params, std::span<const double> times, std::size_t* counted = nullptr);
inline constexpr double max_expectation_work = 5e9;  // ~15 s: what expect_activity accepts

// The closed forms at `times` (ascending, ≥ 0). Throws input_error naming ρ(W)·τ when the process
// is not stable (ρ(W)·τ ≥ 1: no stationary regime, B does not exist or is not non-negative), and
// naming the largest time and the work when expectation_work exceeds max_expectation_work.
// `radius`: ρ(W) when the caller has it already (its power iteration is then not repeated).
expected_activity expect_activity(const model_params& params, std::span<const double> times,
                                  const spectral_radius_estimate* radius = nullptr);

// U×C stationary E[λ_u^c]: exact for linear mixing, Eq. 30 for Boltzmann (see above). Needs a stable
// process.
std::vector<double> stationary_cascade_intensity(const model_params& params);

} // namespace mic
