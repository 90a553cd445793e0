#include "engine/likelihood/sigma_term.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/likelihood/recursive_pass.hpp"
#include "engine/model/mixing.hpp"

namespace mic {

sigma_term::sigma_term(const shard_kernels& kernels, const model_params& params)
    : C_(params.n_cascades), mixing_(mixing_of(params.variant)), beta_(params.beta) {
    const shard& data = kernels.data();
    const std::size_t C = std::size_t(C_);
    const event_model model = make_event_model(params);
    recursive_pass pass(kernels, model);
    // Exact sizes first: grown by doubling, drive_ would briefly need up to 3× its final size.
    std::int64_t n_scored = 0;
    for (std::size_t i = 0; i < data.owned.size(); ++i) {
        const auto [first, last] = kernels.scored_events(i);
        n_scored += last - first;
    }
    mu_.reserve(data.owned.size() * C);
    drive_.reserve(std::size_t(n_scored) * C);
    cascade_.reserve(std::size_t(n_scored));
    user_offsets_.reserve(data.owned.size() + 1);
    for (std::size_t i = 0; i < data.owned.size(); ++i) {
        auto mu = params.mu_of(data.owned[i]);
        mu_.insert(mu_.end(), mu.begin(), mu.end());
        // x_e = X_u(t_e) = Σ_v w_v g_v(t_e), by the recursion over the user's scored events.
        const auto drives = pass.drives(i, user_theta(params, data.owned[i]));
        drive_.insert(drive_.end(), drives.begin(), drives.end());
        const auto [first, last] = kernels.scored_events(i);
        for (auto j = first; j < last; ++j) cascade_.push_back(data.events.cascade[std::size_t(j)]);
        user_offsets_.push_back(std::int64_t(cascade_.size()));
    }
    sigma_ = identity_sigma(C_);
    row_sums_.assign(C, 1.0);
}

std::size_t sigma_term::bytes() const {
    return (mu_.size() + drive_.size() + sigma_.size() + row_sums_.size()) * sizeof(double) +
           cascade_.size() * sizeof(std::int32_t) + user_offsets_.size() * sizeof(std::int64_t);
}

std::pair<double, double> sigma_term::linear_terms(const double* mu, const double* x, std::size_t c) const {
    const std::size_t C = std::size_t(C_);
    double own = mu[c], total = 0;
    for (std::size_t s = 0; s < C; ++s) {
        own += sigma_[s * C + c] * x[s];
        total += mu[s] + x[s] * row_sums_[s];
    }
    return {own, total};
}

void sigma_term::evaluate(std::span<const double> sigma, compensated_sum& value, std::span<compensated_sum> gradient) {
    const std::size_t C = std::size_t(C_);
    const bool with_gradient = !gradient.empty();
    const event_model model = make_event_model(mixing_, beta_, C_, sigma);
    sigma_.assign(sigma.begin(), sigma.end());
    std::fill(row_sums_.begin(), row_sums_.end(), 0.0);
    for (std::size_t s = 0; s < C; ++s)
        for (std::size_t c = 0; c < C; ++c) row_sums_[s] += sigma[s * C + c];
    std::vector<double> nu(C), f(C), q(C), user_gradient(C * C), acc(C);
    impossible_ = false;
    // Per owned user: its events' terms summed in event order (the same on any number of ranks),
    // then added to the compensated totals.
    for (std::size_t i = 0; i + 1 < user_offsets_.size(); ++i) {
        const double* mu = mu_.data() + i * C;
        double user_value = 0;
        std::fill(user_gradient.begin(), user_gradient.end(), 0.0);
        std::fill(acc.begin(), acc.end(), 0.0);
        for (auto e = std::size_t(user_offsets_[i]); e < std::size_t(user_offsets_[i + 1]); ++e) {
            const double* x = drive_.data() + e * C;
            const std::int32_t c = cascade_[e];
            if (mixing_ == mixing_kind::boltzmann) {
                // ν* = μ + Σᵀx, φ = βν*_c − logsumexp(βν*), ∂φ/∂σ_sk = x_s q_k.
                context_intensities(model, mu, x, nu.data());
                user_value += log_mixing(mixing_, beta_, nu, c, f, q);
                if (with_gradient)
                    for (std::size_t s = 0; s < C; ++s)
                        for (std::size_t k = 0; k < C; ++k) user_gradient[s * C + k] += x[s] * q[k];
                continue;
            }
            // Linear: φ = log ν*_c − log D with ν*_c = μ_c + Σ_s σ_sc x_s and D = Σμ + Σ_s x_s r_s
            // (r = row sums of Σ); ∂φ/∂σ_sk = x_s (δ_kc/ν*_c − 1/D): O(C) per event.
            const auto [own, total] = linear_terms(mu, x, std::size_t(c));
            if (!(own > 0) || !(total > 0)) {
                impossible_ = true;  // hessian_times skips the event, as it finds the same terms
                continue;
            }
            user_value += std::log(own) - std::log(total);
            if (with_gradient)
                for (std::size_t s = 0; s < C; ++s) {
                    user_gradient[s * C + std::size_t(c)] += x[s] / own;
                    acc[s] += x[s] / total;
                }
        }
        value.add(user_value);
        if (!with_gradient) continue;
        if (mixing_ == mixing_kind::linear)
            for (std::size_t s = 0; s < C; ++s)
                for (std::size_t k = 0; k < C; ++k) user_gradient[s * C + k] -= acc[s];
        for (std::size_t j = 0; j < C * C; ++j) gradient[j].add(user_gradient[j]);
    }
    if (impossible_) value.add(-std::numeric_limits<double>::infinity());
}

void sigma_term::hessian_times(std::span<const double> direction, std::span<compensated_sum> out) const {
    const std::size_t C = std::size_t(C_);
    const double b2 = beta_ * beta_;
    const event_model model = make_event_model(mixing_, beta_, C_, sigma_);
    std::vector<double> d(C), user_out(C * C), acc(C), v_row_sums(C, 0.0), nu(C), f(C), q(C);
    for (std::size_t s = 0; s < C; ++s)
        for (std::size_t k = 0; k < C; ++k) v_row_sums[s] += direction[s * C + k];
    for (std::size_t i = 0; i + 1 < user_offsets_.size(); ++i) {
        const double* mu = mu_.data() + i * C;
        std::fill(user_out.begin(), user_out.end(), 0.0);
        std::fill(acc.begin(), acc.end(), 0.0);
        for (auto e = std::size_t(user_offsets_[i]); e < std::size_t(user_offsets_[i + 1]); ++e) {
            const double* x = drive_.data() + e * C;
            const std::size_t c = std::size_t(cascade_[e]);
            if (mixing_ == mixing_kind::boltzmann) {
                // f_e as evaluate found it (same calls, same order); d = Vᵀx (the change of ν*),
                // r = M d = −β² f∘(d − f·d), H V += x rᵀ.
                context_intensities(model, mu, x, nu.data());
                log_mixing(mixing_, beta_, nu, std::int32_t(c), f, q);
                std::fill(d.begin(), d.end(), 0.0);
                for (std::size_t s = 0; s < C; ++s)
                    for (std::size_t k = 0; k < C; ++k) d[k] += x[s] * direction[s * C + k];
                double fd = 0;
                for (std::size_t k = 0; k < C; ++k) fd += f[k] * d[k];
                for (std::size_t k = 0; k < C; ++k) d[k] = -b2 * f[k] * (d[k] - fd);
                for (std::size_t s = 0; s < C; ++s)
                    for (std::size_t k = 0; k < C; ++k) user_out[s * C + k] += x[s] * d[k];
                continue;
            }
            // Linear: H V = x (−e_c d_c/ν*_c² + 1 (x·V1)/D²)ᵀ with d_c = Σ_s V[s][c] x_s.
            const auto [own, total] = linear_terms(mu, x, c);
            if (!(own > 0) || !(total > 0)) continue;  // impossible: evaluate left it out too
            double dc = 0, t = 0;
            for (std::size_t s = 0; s < C; ++s) {
                dc += direction[s * C + c] * x[s];
                t += x[s] * v_row_sums[s];
            }
            const double alpha = -dc / (own * own), gamma = t / (total * total);
            for (std::size_t s = 0; s < C; ++s) {
                user_out[s * C + c] += x[s] * alpha;
                acc[s] += x[s] * gamma;
            }
        }
        if (mixing_ == mixing_kind::linear)
            for (std::size_t s = 0; s < C; ++s)
                for (std::size_t k = 0; k < C; ++k) user_out[s * C + k] += acc[s];
        for (std::size_t j = 0; j < C * C; ++j) out[j].add(user_out[j]);
    }
}

double sigma_term::evaluate(std::span<const double> sigma, std::span<double> gradient) {
    compensated_sum value;
    std::vector<compensated_sum> g(gradient.size());
    evaluate(sigma, value, g);
    for (std::size_t j = 0; j < gradient.size(); ++j) gradient[j] = g[j].value();
    return value.value();
}

void sigma_term::hessian_times(std::span<const double> direction, std::span<double> out) const {
    std::vector<compensated_sum> h(out.size());
    hessian_times(direction, h);
    for (std::size_t j = 0; j < out.size(); ++j) out[j] = h[j].value();
}

} // namespace mic
