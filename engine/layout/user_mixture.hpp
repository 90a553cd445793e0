#pragma once
// Where each user sits over the cascade layer: its cascade mixture f_u (a distribution over the C
// cascades), from a fitted model or from the data (the MIC paper's Sec. 7.5: "the learned cascade
// mixing function f_u(·|t) maps user u's activity to a probability distribution over the cascades").
//
// f_u(·|t) changes with t; the picture needs one distribution per user. We use the share of u's
// expected events that go to each cascade, f_u^c = E[λ_u^c] / E[λ_u] — f_u(·|t) averaged over time,
// weighted by u's intensity:
//   - stable models (ρ(W)·τ < 1): the stationary E[λ_u^c] of `mic expect` (stationary_cascade_intensity:
//     exact for linear mixing, Eq. 30 for Boltzmann: (Bμ)_u · softmax_c(β (B M Σ)_{u,c}), B = (I − τWᵀ)⁻¹);
//   - supercritical models (ρ(W)·τ ≥ 1, common in fits of real data), where B does not exist: the
//     same formulas with B cut after one generation, B ≈ I + τWᵀ — the user's own baselines plus
//     what its in-neighbours' baselines drive into it over one kernel time τ. Boltzmann:
//     softmax_c(β ((M + τWᵀM) Σ)_{u,c}); linear: the rows of M + τ Wᵀ M Σ, normalised.
// A user whose expected rate is 0 gets the uniform mixture (it sits at the centre of the layer).
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
    std::vector<double> rate;   // U×C: the E[λ_u^c] (per time unit) the shares come from
    mixture_method method = mixture_method::stationary;
    double rho_tau = 0;         // ρ(W)·τ of the model
};

// "stationary (Eq. 30)", "stationary (exact, linear mixing)", "one generation (supercritical)".
std::string describe(const user_mixture& m, const model_params& params);

user_mixture model_mixture(const model_params& params);

// counts: U×C events per user and cascade.
std::vector<double> empirical_mixture(std::span<const double> counts, std::int32_t n_users, std::int32_t n_cascades);

} // namespace mic
