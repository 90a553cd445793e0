#pragma once
// Where each user sits over the cascade layer: its cascade mixture f_u (a distribution over the C
// cascades), from a fitted model or from the data (the MIC paper's Sec. 7.5: "the learned cascade
// mixing function f_u(·|t) maps user u's activity to a probability distribution over the cascades").
//
// f_u(·|t) changes with t; the picture needs one distribution per user. We evaluate the model's own
// mixing (Eq. 6, 7) at the user's mean context intensity,
//     f_u = f(· | ν̄*_u),   ν̄*_u = μ_u + Σᵀ X̄_u,   X̄_u = τ (Wᵀ R)_u  (the mean social drive),
// where R (U×C) is what each user posts per cascade per time unit:
//   - stable models (ρ(W)·τ < 1): the stationary rates — for linear mixing (linmic, ic) the exact
//     L∞ = M + τ Wᵀ L∞ Σ of `mic expect`, so f_u = L∞_u / (Bμ)_u is exact; for Boltzmann mixing
//     (mic, cc) R = B M, B = (I − τWᵀ)⁻¹, the rates of the cascades' own (Σ = I) stationary regime;
//   - supercritical models (ρ(W)·τ ≥ 1, common in fits of real data), where B does not exist:
//     R = M, one generation of influence (B cut to I + τWᵀ).
// Why not Eq. 30's split softmax(β (B M Σ)_u): it sends the user's own baselines through Σ too (Eq. 6
// applies Σ only to the drive), so a user who starts cascade s on its own is drawn in the cascade
// that s feeds; on the demo's Σ (σ_10 = 0.71) it gives cascade 1 about 2 % of its simulated events.
// The rates kept beside the shares are rate_u^c = (μ_u + Σ_s X̄_u^s) f_u^c, whose sum over c is
// (Bμ)_u (stable) or μ_u + τ (Wᵀμ)_u (one generation). A user whose ν̄* is 0 gets the uniform mixture.
//
// From data: the user's empirical shares n_u^c / n_u (uniform for a user without events).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/model/model_params.hpp"

namespace mic {

enum class mixture_method { stationary, one_generation };

struct user_mixture {
    std::vector<double> share;  // U×C row-major: f_u^c, each row sums to 1
    std::vector<double> rate;   // U×C: rate_u^c (events per time unit; see above)
    mixture_method method = mixture_method::stationary;
    double rho_tau = 0;         // ρ(W)·τ of the model
};

// "stationary (exact, linear mixing)", "stationary mean drive (B M)", "one generation of influence (…)".
std::string describe(const user_mixture& m, const model_params& params);

user_mixture model_mixture(const model_params& params);

// counts: U×C events per user and cascade.
std::vector<double> empirical_mixture(std::span<const double> counts, std::int32_t n_users, std::int32_t n_cascades);

} // namespace mic
