#include "engine/likelihood/event_block.hpp"

#include <cmath>
#include <limits>

#include "engine/likelihood/lane_vector.hpp"
#include "engine/model/vector_exp.hpp"

namespace mic {
namespace {

constexpr std::size_t L = event_block::lanes;
constexpr double minus_infinity = -std::numeric_limits<double>::infinity();

// x·a + acc per lane, fused where the machine has a fused multiply-add (one rounding), else two.
inline lane_vector multiply_add(lane_vector x, double a, lane_vector acc) {
#if defined(__FMA__)
    lane_vector out;
    for (std::size_t j = 0; j < L; ++j) out[j] = std::fma(x[j], a, acc[j]);
    return out;
#else
    return x * a + acc;
#endif
}

// out_i = init_i + Σ_s x_s[·] A(s, i) per lane for outputs i0 ≤ i < i0 + G (A(s, i) = A[s·C + i], or
// A[i·C + s] when `transpose`), s ascending. G outputs at a time: G independent chains of
// multiply-adds sharing each load of x_s (one chain alone would wait on every multiply-add).
template <std::size_t G>
void add_rows_scaled_group(std::size_t C, std::size_t i0, const double* A, bool transpose, const double* x,
                           const double* init, double* out) {
    lane_vector acc[G];
#pragma GCC unroll 4
    for (std::size_t g = 0; g < G; ++g) acc[g] = lane_vector{} + (init ? init[i0 + g] : 0.0);
    for (std::size_t s = 0; s < C; ++s) {
        const lane_vector xs = load_lanes(x + s * L);
#pragma GCC unroll 4
        for (std::size_t g = 0; g < G; ++g)
            acc[g] = multiply_add(xs, transpose ? A[(i0 + g) * C + s] : A[s * C + i0 + g], acc[g]);
    }
#pragma GCC unroll 4
    for (std::size_t g = 0; g < G; ++g) store_lanes(out + (i0 + g) * L, acc[g]);
}

// out_i = init_i + Σ_s x_s[·] A(s, i) per lane for every i < C (x and out: C × lanes).
void add_rows_scaled_lanes(std::size_t C, const double* A, bool transpose, const double* x, const double* init,
                           double* out) {
    std::size_t i = 0;
    for (; i + 4 <= C; i += 4) add_rows_scaled_group<4>(C, i, A, transpose, x, init, out);
    switch (C - i) {
    case 3: add_rows_scaled_group<3>(C, i, A, transpose, x, init, out); break;
    case 2: add_rows_scaled_group<2>(C, i, A, transpose, x, init, out); break;
    case 1: add_rows_scaled_group<1>(C, i, A, transpose, x, init, out); break;
    default: break;
    }
}

} // namespace

event_block::event_block(const event_model& model): model_(&model) {
    const std::size_t C = std::size_t(model.n_cascades);
    nu_star_.resize(C * L);
    f_.resize(C * L);
    q_.resize(C * L);
    pulled_.resize(C * L);
}

void event_block::evaluate(const double* mu, const double* X, const std::int32_t* cascades, std::size_t n,
                           double* terms, double* gradient_mu, double* y) {
    const event_model& m = *model_;
    const std::size_t C = std::size_t(m.n_cascades);
    const bool with_gradient = y != nullptr;
    const double beta = m.beta;
    double* nu = nu_star_.data();
    double* q = q_.data();
    // Lanes ≥ n compute on whatever their drives hold; every result of theirs is masked below.
    std::size_t cascade[L];
    for (std::size_t j = 0; j < L; ++j) cascade[j] = j < n ? std::size_t(cascades[j]) : 0;

    // λ = Σ_s (μ_s + X_s)   (Eq. 8)
    double* lambda = lambda_;
    for (std::size_t j = 0; j < L; ++j) lambda[j] = 0.0;
    for (std::size_t s = 0; s < C; ++s)
        for (std::size_t j = 0; j < L; ++j) lambda[j] += mu[s] + X[s * L + j];

    // ν*_c = μ_c + Σ_s X_s σ_sc   (Eq. 6)
    if (m.sigma_is_identity) {
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t j = 0; j < L; ++j) nu[c * L + j] = mu[c] + X[c * L + j];
    } else {
        add_rows_scaled_lanes(C, m.sigma.data(), false, X, mu, nu);
    }

    // φ = log f(c | ν*) and q = ∂φ/∂ν*, as log_mixing; possible[j]: f(c_j) > 0.
    double phi[L];
    bool possible[L];
    if (m.mixing == mixing_kind::boltzmann) {
        // φ = (βν*_c − top) − log Σ_k exp(βν*_k − top), top = max_k βν*_k; q = β(e_c − f).
        double* f = f_.data();
        double top[L];
        for (std::size_t j = 0; j < L; ++j) top[j] = minus_infinity;
        for (std::size_t k = 0; k < C; ++k)
            for (std::size_t j = 0; j < L; ++j) {
                const double v = beta * nu[k * L + j];
                top[j] = top[j] < v ? v : top[j];
            }
        for (std::size_t k = 0; k < C; ++k)
            for (std::size_t j = 0; j < L; ++j) f[k * L + j] = beta * nu[k * L + j] - top[j];
        exp_each(f, C * L);
        double total[L] = {}, log_total[L];
        for (std::size_t k = 0; k < C; ++k)
            for (std::size_t j = 0; j < L; ++j) total[j] += f[k * L + j];
        for (std::size_t j = 0; j < L; ++j) log_total[j] = total[j];
        log_each(log_total, L);
        if (with_gradient) {
            double inv[L];
            for (std::size_t j = 0; j < L; ++j) inv[j] = 1.0 / total[j];
            for (std::size_t k = 0; k < C; ++k)
                for (std::size_t j = 0; j < L; ++j) {
                    f[k * L + j] *= inv[j];  // f(k | ν*), kept for the Hessian terms (lane_state)
                    q[k * L + j] = -beta * f[k * L + j];
                }
            for (std::size_t j = 0; j < n; ++j) q[cascade[j] * L + j] += beta;
        }
        for (std::size_t j = 0; j < L; ++j) {
            phi[j] = (beta * nu[cascade[j] * L + j] - top[j]) - log_total[j];
            possible[j] = true;
        }
    } else {
        // φ = log ν*_c − log Σ_k ν*_k; q_k = −1/Σ ν*, q_c += 1/ν*_c; impossible when either is ≤ 0.
        double total[L] = {}, logs[2 * L];
        for (std::size_t k = 0; k < C; ++k)
            for (std::size_t j = 0; j < L; ++j) total[j] += nu[k * L + j];
        for (std::size_t j = 0; j < L; ++j) {
            const double own = nu[cascade[j] * L + j];
            possible[j] = own > 0 && total[j] > 0;
            logs[j] = possible[j] ? own : 1.0;
            logs[L + j] = possible[j] ? total[j] : 1.0;
        }
        log_each(logs, 2 * L);
        for (std::size_t j = 0; j < L; ++j) phi[j] = logs[j] - logs[L + j];
        if (with_gradient) {
            double inv[L];
            for (std::size_t j = 0; j < L; ++j) inv[j] = possible[j] ? 1.0 / total[j] : 0.0;
            for (std::size_t k = 0; k < C; ++k)
                for (std::size_t j = 0; j < L; ++j) q[k * L + j] = -inv[j];
            for (std::size_t j = 0; j < n; ++j)
                if (possible[j]) q[cascade[j] * L + j] += 1.0 / nu[cascade[j] * L + j];
        }
    }

    // ℓ = log λ + φ for the events that are possible (λ > 0 and f(c) > 0).
    double log_lambda[L], inv_lambda[L];
    bool counted[L];
    for (std::size_t j = 0; j < L; ++j) {
        counted[j] = j < n && lambda[j] > 0 && possible[j];
        log_lambda[j] = counted[j] ? lambda[j] : 1.0;
        inv_lambda[j] = counted[j] ? 1.0 / lambda[j] : 0.0;
    }
    log_each(log_lambda, L);
    for (std::size_t j = 0; j < n; ++j) terms[j] = counted[j] ? log_lambda[j] + phi[j] : minus_infinity;
    if (!with_gradient) return;

    // ∂ℓ/∂μ = 1/λ + q and y = Σq + 1/λ, zero in the lanes not counted.
    const double* pulled = q;
    if (!m.sigma_is_identity) {
        add_rows_scaled_lanes(C, m.sigma.data(), true, q, nullptr, pulled_.data());
        pulled = pulled_.data();
    }
    for (std::size_t s = 0; s < C; ++s)
        for (std::size_t j = 0; j < L; ++j) {
            gradient_mu[s * L + j] += counted[j] ? inv_lambda[j] + q[s * L + j] : 0.0;
            y[s * L + j] = counted[j] ? pulled[s * L + j] + inv_lambda[j] : 0.0;
        }
}

void add_lane_totals(const double* values, std::size_t C, double* out) {
    for (std::size_t s = 0; s < C; ++s) {
        double pair[L];
        for (std::size_t j = 0; j < L; ++j) pair[j] = values[s * L + j];
        for (std::size_t width = L / 2; width > 0; width /= 2)
            for (std::size_t j = 0; j < width; ++j) pair[j] += pair[j + width];
        out[s] += pair[0];
    }
}

void event_block::lane_state(std::size_t j, double& lambda, double* nu_star, double* f, double* q) const {
    const event_model& m = *model_;
    const std::size_t C = std::size_t(m.n_cascades);
    lambda = lambda_[j];
    double total = 0;
    for (std::size_t c = 0; c < C; ++c) {
        nu_star[c] = nu_star_[c * L + j];
        q[c] = q_[c * L + j];
        total += nu_star[c];
    }
    if (m.mixing == mixing_kind::boltzmann) {
        for (std::size_t c = 0; c < C; ++c) f[c] = f_[c * L + j];
    } else {
        // f = ν*/Σν* as log_mixing writes it (the Hessian terms of linear mixing read ν* only).
        const double inv = 1.0 / total;
        for (std::size_t c = 0; c < C; ++c) f[c] = nu_star[c] * inv;
    }
}

} // namespace mic
