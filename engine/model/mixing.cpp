#include "engine/model/mixing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mic {

event_model make_event_model(mixing_kind mixing, double beta, std::int32_t n_cascades, std::span<const double> sigma) {
    event_model m;
    m.mixing = mixing;
    m.beta = beta;
    m.n_cascades = n_cascades;
    m.sigma.assign(sigma.begin(), sigma.end());
    m.sigma_is_identity = (m.sigma == identity_sigma(n_cascades));
    return m;
}

event_model make_event_model(const model_params& params) {
    if (!learns_sigma(params.variant))
        return make_event_model(mixing_of(params.variant), params.beta, params.n_cascades,
                                identity_sigma(params.n_cascades));
    return make_event_model(mixing_of(params.variant), params.beta, params.n_cascades, params.sigma);
}

void context_intensities(const event_model& model, const double* mu, const double* drive, double* nu_star) {
    const std::int32_t C = model.n_cascades;
    if (model.sigma_is_identity) {
        for (std::int32_t c = 0; c < C; ++c) nu_star[c] = mu[c] + drive[c];
        return;
    }
    std::copy_n(mu, C, nu_star);
    // Row s of Σ scaled by X_s, accumulated: contiguous in c.
    for (std::int32_t s = 0; s < C; ++s) {
        const double xs = drive[s];
        const double* row = model.sigma.data() + std::size_t(s) * C;
        for (std::int32_t c = 0; c < C; ++c) nu_star[c] += xs * row[c];
    }
}

void pull_back(const event_model& model, const double* q, double* y) {
    const std::int32_t C = model.n_cascades;
    if (model.sigma_is_identity) {
        std::copy_n(q, C, y);
        return;
    }
    for (std::int32_t s = 0; s < C; ++s) {
        const double* row = model.sigma.data() + std::size_t(s) * C;
        double acc = 0;
        for (std::int32_t c = 0; c < C; ++c) acc += row[c] * q[c];
        y[s] = acc;
    }
}

double log_mixing(mixing_kind mixing, double beta, std::span<const double> nu_star, std::int32_t c,
                  std::span<double> f, std::span<double> q) {
    const std::size_t C = nu_star.size();
    if (mixing == mixing_kind::boltzmann) {
        // log f(c) = (βν*_c − m) − log Σ_k exp(βν*_k − m), m = max_k βν*_k: every exponent ≤ 0, the
        // sum is ≥ 1, so nothing overflows for any β and the logarithm is finite.
        double top = -std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < C; ++k) top = std::max(top, beta * nu_star[k]);
        double total = 0;
        for (std::size_t k = 0; k < C; ++k) total += (f[k] = std::exp(beta * nu_star[k] - top));
        const double inv = 1.0 / total;
        for (std::size_t k = 0; k < C; ++k) {
            f[k] *= inv;
            q[k] = -beta * f[k];
        }
        q[std::size_t(c)] += beta;
        return (beta * nu_star[std::size_t(c)] - top) - std::log(total);
    }
    double total = 0;
    for (std::size_t k = 0; k < C; ++k) total += nu_star[k];
    const double own = nu_star[std::size_t(c)];
    if (!(own > 0) || !(total > 0)) {
        std::fill(f.begin(), f.end(), 0.0);
        std::fill(q.begin(), q.end(), 0.0);
        return -std::numeric_limits<double>::infinity();
    }
    const double inv = 1.0 / total;
    for (std::size_t k = 0; k < C; ++k) {
        f[k] = nu_star[k] * inv;
        q[k] = -inv;
    }
    q[std::size_t(c)] += 1.0 / own;
    return std::log(own) - std::log(total);
}

void log_mixing_hessian_times(mixing_kind mixing, double beta, std::span<const double> nu_star,
                              std::span<const double> f, std::int32_t c, std::span<const double> d,
                              std::span<double> out) {
    const std::size_t C = nu_star.size();
    if (mixing == mixing_kind::boltzmann) {
        double fd = 0;
        for (std::size_t k = 0; k < C; ++k) fd += f[k] * d[k];
        const double b2 = beta * beta;
        for (std::size_t k = 0; k < C; ++k) out[k] = -b2 * f[k] * (d[k] - fd);
        return;
    }
    double total = 0, dsum = 0;
    for (std::size_t k = 0; k < C; ++k) {
        total += nu_star[k];
        dsum += d[k];
    }
    const double own = nu_star[std::size_t(c)];
    const double common = dsum / (total * total);
    for (std::size_t k = 0; k < C; ++k) out[k] = common;
    out[std::size_t(c)] -= d[std::size_t(c)] / (own * own);
}

void log_mixing_hessian(mixing_kind mixing, double beta, std::span<const double> nu_star,
                        std::span<const double> f, std::int32_t c, std::span<double> M) {
    const std::size_t C = nu_star.size();
    if (mixing == mixing_kind::boltzmann) {
        const double b2 = beta * beta;
        for (std::size_t i = 0; i < C; ++i)
            for (std::size_t j = 0; j < C; ++j) M[i * C + j] = b2 * f[i] * f[j] - (i == j ? b2 * f[i] : 0.0);
        return;
    }
    double total = 0;
    for (std::size_t k = 0; k < C; ++k) total += nu_star[k];
    const double common = 1.0 / (total * total);
    std::fill(M.begin(), M.end(), common);
    const double own = nu_star[std::size_t(c)];
    M[std::size_t(c) * C + std::size_t(c)] -= 1.0 / (own * own);
}

event_intensities intensities_from_kernel(const event_model& model, std::span<const double> mu,
                                          std::span<const double> w, std::span<const double> kernel) {
    const std::size_t C = std::size_t(model.n_cascades);
    event_intensities out;
    out.drive.assign(C, 0.0);
    for (std::size_t v = 0; v < w.size(); ++v)
        for (std::size_t s = 0; s < C; ++s) out.drive[s] += w[v] * kernel[v * C + s];
    out.nu.resize(C);
    out.lambda = 0;
    for (std::size_t c = 0; c < C; ++c) {
        out.nu[c] = mu[c] + out.drive[c];
        out.lambda += out.nu[c];
    }
    out.nu_star.resize(C);
    context_intensities(model, mu.data(), out.drive.data(), out.nu_star.data());
    out.f.assign(C, 0.0);
    if (model.mixing == mixing_kind::boltzmann) {
        std::vector<double> q(C);
        log_mixing(model.mixing, model.beta, out.nu_star, 0, out.f, q);
    } else {
        double total = 0;
        for (double x: out.nu_star) total += x;
        if (total > 0)
            for (std::size_t c = 0; c < C; ++c) out.f[c] = out.nu_star[c] / total;
    }
    return out;
}

} // namespace mic
