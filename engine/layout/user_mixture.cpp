#include "engine/layout/user_mixture.hpp"

#include "engine/model/mixing.hpp"
#include "engine/simulation/expected_activity.hpp"
#include "engine/simulation/influence_operator.hpp"
#include "engine/simulation/spectral_radius.hpp"
#include "engine/support/error.hpp"

namespace mic {
namespace {

// X̄ = τ Wᵀ R (U×C): the mean social drive when every user v posts at the rates R_v.
std::vector<double> mean_drive(const model_params& p, std::span<const double> rates) {
    std::vector<double> drive(rates.size());
    influence_operator(p, p.n_cascades).apply(rates, drive);
    for (double& x: drive) x *= p.tau;
    return drive;
}

// f_u = the model's mixing at ν̄*_u = μ_u + Σᵀ X̄_u (Eq. 6, 7); rate_u^c = (μ_u + Σ_s X̄_u^s) f_u^c.
// A user whose ν̄* is 0 everywhere (linear mixing) gets the uniform mixture.
void mix(const model_params& p, std::span<const double> drive, user_mixture& m) {
    const auto U = std::size_t(p.n_users), C = std::size_t(p.n_cascades);
    const event_model model = make_event_model(p);
    std::vector<double> nu(C), q(C);
    for (std::size_t u = 0; u < U; ++u) {
        const std::span<double> f(m.share.data() + u * C, C);
        context_intensities(model, p.mu.data() + u * C, drive.data() + u * C, nu.data());
        double total = 0, sum_nu = 0;
        for (std::size_t c = 0; c < C; ++c) total += p.mu[u * C + c] + drive[u * C + c], sum_nu += nu[c];
        if (model.mixing == mixing_kind::boltzmann) log_mixing(model.mixing, model.beta, nu, 0, f, q);
        else
            for (std::size_t c = 0; c < C; ++c) f[c] = sum_nu > 0 ? nu[c] / sum_nu : 1.0 / double(C);
        for (std::size_t c = 0; c < C; ++c) m.rate[u * C + c] = total * f[c];
    }
}

// The per-cascade rates R whose drive X̄ = τWᵀR sets the stationary mixture (see the header).
std::vector<double> stationary_rates(const model_params& p) {
    if (mixing_of(p.variant) == mixing_kind::linear) return stationary_cascade_intensity(p);  // exact L∞
    return solve_resolvent(influence_operator(p, p.n_cascades), p.tau, p.mu);               // B M
}

} // namespace

std::string describe(const user_mixture& m, const model_params& params) {
    if (m.method == mixture_method::one_generation) return "one generation of influence (supercritical: rho(W)*tau >= 1)";
    return mixing_of(params.variant) == mixing_kind::linear ? "stationary (exact, linear mixing)"
                                                            : "stationary mean drive (B M)";
}

user_mixture model_mixture(const model_params& p) {
    const auto U = std::size_t(p.n_users), C = std::size_t(p.n_cascades);
    user_mixture m;
    m.rho_tau = influence_spectral_radius(p).value * p.tau;
    m.share.assign(U * C, 0.0);
    m.rate.assign(U * C, 0.0);
    if (m.rho_tau < 1.0 - 1e-9) {
        try {
            mix(p, mean_drive(p, stationary_rates(p)), m);
            return m;
        } catch (const input_error&) {
            // Near-critical: the resolvent solve did not converge; fall through to one generation.
        }
    }
    m.method = mixture_method::one_generation;
    mix(p, mean_drive(p, p.mu), m);
    return m;
}

std::vector<double> empirical_mixture(std::span<const double> counts, std::int32_t n_users, std::int32_t n_cascades) {
    const auto U = std::size_t(n_users), C = std::size_t(n_cascades);
    std::vector<double> share(U * C, 1.0 / double(C));
    for (std::size_t u = 0; u < U; ++u) {
        double total = 0;
        for (std::size_t c = 0; c < C; ++c) total += counts[u * C + c];
        if (total > 0)
            for (std::size_t c = 0; c < C; ++c) share[u * C + c] = counts[u * C + c] / total;
    }
    return share;
}

} // namespace mic
