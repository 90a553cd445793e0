#include "engine/layout/user_mixture.hpp"

#include "engine/model/mixing.hpp"
#include "engine/simulation/expected_activity.hpp"
#include "engine/simulation/influence_operator.hpp"
#include "engine/simulation/spectral_radius.hpp"
#include "engine/support/error.hpp"

namespace mic {
namespace {

// Rows of `rate` divided by their sums; a zero row becomes uniform.
std::vector<double> row_shares(std::span<const double> rate, std::size_t U, std::size_t C) {
    std::vector<double> share(U * C, 1.0 / double(C));
    for (std::size_t u = 0; u < U; ++u) {
        double total = 0;
        for (std::size_t c = 0; c < C; ++c) total += rate[u * C + c];
        if (total > 0)
            for (std::size_t c = 0; c < C; ++c) share[u * C + c] = rate[u * C + c] / total;
    }
    return share;
}

// The stationary formulas with B = I + τWᵀ (see the header): rate and shares of every user.
void one_generation(const model_params& p, user_mixture& m) {
    const auto U = std::size_t(p.n_users), C = std::size_t(p.n_cascades);
    const event_model model = make_event_model(p);
    std::vector<double> driven(U * C);
    if (model.mixing == mixing_kind::linear) {
        // M + τ Wᵀ M Σ: exact per-cascade rates of linear mixing, truncated after one generation.
        influence_operator(p, p.n_cascades, model.sigma).apply(p.mu, driven);
        for (std::size_t i = 0; i < U * C; ++i) m.rate[i] = p.mu[i] + p.tau * driven[i];
        m.share = row_shares(m.rate, U, C);
        return;
    }
    // D = M + τ WᵀM; share = softmax(β (DΣ)_u), rate = (Σ_c D_uc) · share.
    influence_operator(p, p.n_cascades).apply(p.mu, driven);
    std::vector<double> zero(C, 0.0), d(C), nu(C), q(C);
    for (std::size_t u = 0; u < U; ++u) {
        double total = 0;
        for (std::size_t c = 0; c < C; ++c) d[c] = p.mu[u * C + c] + p.tau * driven[u * C + c], total += d[c];
        const std::span<double> f(m.share.data() + u * C, C);
        context_intensities(model, zero.data(), d.data(), nu.data());
        log_mixing(model.mixing, model.beta, nu, 0, f, q);
        for (std::size_t c = 0; c < C; ++c) m.rate[u * C + c] = total * f[c];
    }
}

} // namespace

std::string describe(const user_mixture& m, const model_params& params) {
    if (m.method == mixture_method::one_generation) return "one generation (supercritical: rho(W)*tau >= 1)";
    return mixing_of(params.variant) == mixing_kind::linear ? "stationary (exact, linear mixing)" : "stationary (Eq. 30)";
}

user_mixture model_mixture(const model_params& p) {
    const auto U = std::size_t(p.n_users), C = std::size_t(p.n_cascades);
    user_mixture m;
    m.rho_tau = influence_spectral_radius(p).value * p.tau;
    m.share.assign(U * C, 0.0);
    m.rate.assign(U * C, 0.0);
    if (m.rho_tau < 1.0 - 1e-9) {
        try {
            m.rate = stationary_cascade_intensity(p);
            m.share = row_shares(m.rate, U, C);
            return m;
        } catch (const input_error&) {
            // Near-critical: the resolvent solve did not converge; fall through to one generation.
        }
    }
    m.method = mixture_method::one_generation;
    one_generation(p, m);
    return m;
}

std::vector<double> empirical_mixture(std::span<const double> counts, std::int32_t n_users, std::int32_t n_cascades) {
    return row_shares(counts, std::size_t(n_users), std::size_t(n_cascades));
}

} // namespace mic
