#include "tests/engine/reference/naive_mic.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mic::reference {

double kernel_state(const dataset& data, std::int32_t v, std::int32_t s, double t, double tau) {
    double g = 0;
    for (auto e = data.events.user_offsets[v]; e < data.events.user_offsets[v + 1]; ++e)
        if (data.events.cascade[e] == s && data.events.time[e] < t) g += std::exp(-(t - data.events.time[e]) / tau);
    return g;
}

std::vector<double> effective_sigma(const model_params& params) {
    if (learns_sigma(params.variant)) return params.sigma;
    return identity_sigma(params.n_cascades);
}

intensities intensities_at(const dataset& data, const model_params& params, std::span<const double> sigma,
                           std::int32_t u, double t) {
    const std::int32_t C = params.n_cascades;
    intensities r;
    r.drive.assign(C, 0.0);
    auto in = params.in_neighbours(u);
    auto w = params.weights_of(u);
    for (std::size_t i = 0; i < in.size(); ++i)
        for (std::int32_t s = 0; s < C; ++s) r.drive[s] += w[i] * kernel_state(data, in[i], s, t, params.tau);
    auto mu = params.mu_of(u);
    r.nu.resize(C);
    r.nu_star.resize(C);
    for (std::int32_t c = 0; c < C; ++c) {
        r.nu[c] = mu[c] + r.drive[c];
        r.lambda += r.nu[c];
        r.nu_star[c] = mu[c];
        for (std::int32_t s = 0; s < C; ++s) r.nu_star[c] += sigma[s * C + c] * r.drive[s];
    }
    r.f.resize(C);
    if (mixing_of(params.variant) == mixing_kind::boltzmann) {
        const double top = params.beta * *std::max_element(r.nu_star.begin(), r.nu_star.end());
        double z = 0;
        for (std::int32_t c = 0; c < C; ++c) z += std::exp(params.beta * r.nu_star[c] - top);
        for (std::int32_t c = 0; c < C; ++c) r.f[c] = std::exp(params.beta * r.nu_star[c] - top) / z;
    } else {
        double z = 0;
        for (double x: r.nu_star) z += x;
        for (std::int32_t c = 0; c < C; ++c) r.f[c] = r.nu_star[c] / z;
    }
    return r;
}

double log_mixing(const model_params& params, std::span<const double> nu_star, std::int32_t c) {
    if (mixing_of(params.variant) == mixing_kind::boltzmann) {
        // log f(c) = (βν*_c − m) − log Σ_k exp(βν*_k − m)
        const double top = params.beta * *std::max_element(nu_star.begin(), nu_star.end());
        double z = 0;
        for (double x: nu_star) z += std::exp(params.beta * x - top);
        return (params.beta * nu_star[c] - top) - std::log(z);
    }
    double z = 0;
    for (double x: nu_star) z += x;
    return std::log(nu_star[c]) - std::log(z);
}

double compensator(const dataset& data, const model_params& params, std::int32_t u, double a, double b) {
    double total = 0;
    for (std::int32_t c = 0; c < params.n_cascades; ++c) total += compensator_of_cascade(data, params, u, c, a, b);
    return total;
}

double compensator_of_cascade(const dataset& data, const model_params& params, std::int32_t u, std::int32_t c,
                              double a, double b) {
    const double tau = params.tau;
    double total = params.mu_of(u)[c] * (b - a);
    auto in = params.in_neighbours(u);
    auto w = params.weights_of(u);
    for (std::size_t i = 0; i < in.size(); ++i)
        for (auto e = data.events.user_offsets[in[i]]; e < data.events.user_offsets[in[i] + 1]; ++e) {
            const double te = data.events.time[e];
            if (data.events.cascade[e] != c || te >= b) continue;
            total += w[i] * tau * (std::exp(-std::max(0.0, a - te) / tau) - std::exp(-(b - te) / tau));
        }
    return total;
}

double user_loglik(const dataset& data, const model_params& params, std::int32_t u, double a, double b) {
    const auto sigma = effective_sigma(params);
    double total = 0;
    for (auto e = data.events.user_offsets[u]; e < data.events.user_offsets[u + 1]; ++e) {
        const double t = data.events.time[e];
        if (t <= a || t > b) continue;
        const auto r = intensities_at(data, params, sigma, u, t);
        total += std::log(r.lambda) + log_mixing(params, r.nu_star, data.events.cascade[e]);
    }
    return total - compensator(data, params, u, a, b);
}

totals loglik(const dataset& data, const model_params& params, double a, double b) {
    const auto sigma = effective_sigma(params);
    totals out;
    out.per_cascade.assign(params.n_cascades, 0.0);
    for (std::int32_t u = 0; u < params.n_users; ++u) {
        out.loglik += user_loglik(data, params, u, a, b);
        for (auto e = data.events.user_offsets[u]; e < data.events.user_offsets[u + 1]; ++e) {
            const double t = data.events.time[e];
            if (t <= a || t > b) continue;
            ++out.n_events;
            const auto r = intensities_at(data, params, sigma, u, t);
            const auto c = data.events.cascade[e];
            out.per_cascade[c] += std::log(r.lambda) + log_mixing(params, r.nu_star, c);
        }
        for (std::int32_t c = 0; c < params.n_cascades; ++c)
            out.per_cascade[c] -= compensator_of_cascade(data, params, u, c, a, b);
    }
    return out;
}

double sigma_term(const dataset& data, const model_params& params, std::span<const double> sigma, double a, double b) {
    double total = 0;
    for (std::int32_t u = 0; u < params.n_users; ++u)
        for (auto e = data.events.user_offsets[u]; e < data.events.user_offsets[u + 1]; ++e) {
            const double t = data.events.time[e];
            if (t <= a || t > b) continue;
            const auto r = intensities_at(data, params, sigma, u, t);
            total += log_mixing(params, r.nu_star, data.events.cascade[e]);
        }
    return total;
}

} // namespace mic::reference
