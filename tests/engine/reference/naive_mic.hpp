#pragma once
// The naive reference of the MIC likelihood: SPEC §2 transcribed directly, O(N²), written for
// clarity and used as the oracle of every fast quantity. No recursion, no anchoring, no caching:
// every kernel value is exp(−(t − t_e)/τ) summed over all earlier events of the in-neighbour.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/data/event_data.hpp"
#include "engine/model/model_params.hpp"

namespace mic::reference {

// g_v^s(t) = Σ_{e ∈ H_v^s, t_e < t} exp(−(t − t_e)/τ)
double kernel_state(const dataset& data, std::int32_t v, std::int32_t s, double t, double tau);

struct intensities {
    double lambda = 0;
    std::vector<double> drive, nu, nu_star, f;
};
// All intensities of user u at time t under params, with Σ = `sigma` (C×C row-major).
intensities intensities_at(const dataset& data, const model_params& params, std::span<const double> sigma,
                           std::int32_t u, double t);

// log f(c) from ν*: Boltzmann via softmax with the maximum subtracted, linear as ν*_c / Σ ν*.
double log_mixing(const model_params& params, std::span<const double> nu_star, std::int32_t c);

// The Σ of a variant: params.sigma for mic and linmic, the identity for cc and ic.
std::vector<double> effective_sigma(const model_params& params);

// ∫_a^b λ_u = μ_u (b − a) + Σ_v w_vu Σ_{e ∈ H_v, t_e < b} τ[exp(−max(0, a − t_e)/τ) − exp(−(b − t_e)/τ)]
double compensator(const dataset& data, const model_params& params, std::int32_t u, double a, double b);
// ∫_a^b ν_u^c, the same restricted to cascade c.
double compensator_of_cascade(const dataset& data, const model_params& params, std::int32_t u, std::int32_t c,
                              double a, double b);

// L_u over (a, b].
double user_loglik(const dataset& data, const model_params& params, std::int32_t u, double a, double b);

struct totals {
    double loglik = 0;
    std::int64_t n_events = 0;
    std::vector<double> per_cascade;  // Σ_{e: c_e = c} [log λ + log f] − Σ_u ∫ν_u^c
};
totals loglik(const dataset& data, const model_params& params, double a, double b);

// Σ_{e: a < t_e ≤ b} log f_{u_e}(c_e | t_e) with Σ = `sigma` (params.sigma ignored).
double sigma_term(const dataset& data, const model_params& params, std::span<const double> sigma, double a, double b);

} // namespace mic::reference
