#include "engine/model/mixing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "engine/model/vector_exp.hpp"

namespace mic {

event_model make_event_model(mixing_kind mixing, double beta, std::int32_t n_cascades, std::span<const double> sigma) {
    if (n_cascades < 1 || sigma.size() != std::size_t(n_cascades) * std::size_t(n_cascades))
        throw std::invalid_argument("make_event_model: Sigma has " + std::to_string(sigma.size()) +
                                    " entries for C = " + std::to_string(n_cascades) + " (needs C*C)");
    event_model m;
    m.mixing = mixing;
    m.beta = beta;
    m.n_cascades = n_cascades;
    m.sigma.assign(sigma.begin(), sigma.end());
    m.sigma_is_identity = (m.sigma == identity_sigma(n_cascades));
    const std::size_t C = std::size_t(n_cascades), lanes = event_model::sigma_lanes;
    m.padded_width = (C + lanes - 1) / lanes * lanes;
    m.sigma_padded.assign(C * m.padded_width, 0.0);
    m.sigma_t_padded.assign(C * m.padded_width, 0.0);
    for (std::size_t s = 0; s < C; ++s)
        for (std::size_t c = 0; c < C; ++c) {
            m.sigma_padded[s * m.padded_width + c] = m.sigma[s * C + c];
            m.sigma_t_padded[c * m.padded_width + s] = m.sigma[s * C + c];
        }
    return m;
}

event_model make_event_model(const model_params& params) {
    if (!learns_sigma(params.variant))
        return make_event_model(mixing_of(params.variant), params.beta, params.n_cascades,
                                identity_sigma(params.n_cascades));
    return make_event_model(mixing_of(params.variant), params.beta, params.n_cascades, params.sigma);
}

namespace {

// out_i = init_i + Σ_s x_s A[s][i] for i < C, with A stored C × P (P = padded width, zero padding),
// summed in the order s = 0, 1, … for each i (the bits of the plain row-by-row loop), eight outputs
// at a time in registers instead of C read-modify-write passes over `out`.
void add_rows_scaled(std::size_t C, std::size_t P, const double* A, const double* x, const double* init,
                     double* out) {
    constexpr std::size_t lanes = event_model::sigma_lanes;
    for (std::size_t i0 = 0; i0 < C; i0 += lanes) {
        const std::size_t width = std::min(lanes, C - i0);
        double acc[lanes];
        for (std::size_t j = 0; j < lanes; ++j) acc[j] = j < width && init ? init[i0 + j] : 0.0;
        for (std::size_t s = 0; s < C; ++s) {
            const double xs = x[s];
            const double* row = A + s * P + i0;
            for (std::size_t j = 0; j < lanes; ++j) acc[j] += xs * row[j];
        }
        for (std::size_t j = 0; j < width; ++j) out[i0 + j] = acc[j];
    }
}

} // namespace

void context_intensities(const event_model& model, const double* mu, const double* drive, double* nu_star) {
    const std::int32_t C = model.n_cascades;
    if (model.sigma_is_identity) {
        for (std::int32_t c = 0; c < C; ++c) nu_star[c] = mu[c] + drive[c];
        return;
    }
    // ν*_c = μ_c + Σ_s X_s σ_sc: rows of Σ scaled by X_s.
    add_rows_scaled(std::size_t(C), model.padded_width, model.sigma_padded.data(), drive, mu, nu_star);
}

void pull_back(const event_model& model, const double* q, double* y) {
    const std::int32_t C = model.n_cascades;
    if (model.sigma_is_identity) {
        std::copy_n(q, C, y);
        return;
    }
    // y_s = Σ_c q_c σ_sc: rows of Σᵀ scaled by q_c (0 + q_0 σ_s0 + q_1 σ_s1 + …, as a dot product).
    add_rows_scaled(std::size_t(C), model.padded_width, model.sigma_t_padded.data(), q, nullptr, y);
}

double log_mixing(mixing_kind mixing, double beta, std::span<const double> nu_star, std::int32_t c,
                  std::span<double> f, std::span<double> q) {
    const std::size_t C = nu_star.size();
    if (mixing == mixing_kind::boltzmann) {
        // log f(c) = (βν*_c − m) − log Σ_k exp(βν*_k − m), m = max_k βν*_k: every exponent ≤ 0, the
        // sum is ≥ 1, so nothing overflows for any β and the logarithm is finite.
        double top = -std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < C; ++k) top = std::max(top, beta * nu_star[k]);
        for (std::size_t k = 0; k < C; ++k) f[k] = beta * nu_star[k] - top;
        exp_each(f.data(), C);
        double total = 0;
        for (std::size_t k = 0; k < C; ++k) total += f[k];
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
