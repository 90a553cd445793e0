#include "engine/likelihood/event_block.hpp"

#include <cmath>
#include <limits>

#include "engine/likelihood/lane_vector.hpp"
#include "engine/model/vector_exp.hpp"

namespace mic {

// A block is one lane_vector per cascade.
static_assert(event_block::lanes == vector_lanes);

namespace {

constexpr std::size_t L = event_block::lanes;
constexpr double minus_infinity = -std::numeric_limits<double>::infinity();

// out_i = init_i + Σ_s x_s[·] A(s, i) per lane for outputs i0 ≤ i < i0 + G (A(s, i) = A[s·C + i], or
// A[i·C + s] when `transpose`), s ascending. G outputs at a time: G independent chains of
// multiply-adds sharing each load of x_s (one chain alone would wait on every multiply-add).
template <std::size_t G, bool transpose>
void add_rows_scaled_group(std::size_t C, std::size_t i0, const double* A, const double* x, const double* init,
                           double* out) {
    lane_vector acc[G];
#pragma GCC unroll 16
    for (std::size_t g = 0; g < G; ++g) acc[g] = broadcast(init ? init[i0 + g] : 0.0);
    for (std::size_t s = 0; s < C; ++s) {
        const lane_vector xs = load_lanes(x + s * L);
#pragma GCC unroll 16
        for (std::size_t g = 0; g < G; ++g)
            acc[g] = multiply_add(xs, transpose ? A[(i0 + g) * C + s] : A[s * C + i0 + g], acc[g]);
    }
#pragma GCC unroll 16
    for (std::size_t g = 0; g < G; ++g) store_lanes(out + (i0 + g) * L, acc[g]);
}

// out_i = init_i + Σ_s x_s[·] A(s, i) per lane for every i < C (x and out: C × lanes). Eight outputs at
// a time while 16 or more remain, then the rest (up to 15) as one group: at least eight chains where
// C ≥ 8 keep both multiply-add units busy (a multiply-add waits about four cycles on the one before
// it in its chain); each output's sum runs over s ascending whatever the grouping.
template <bool transpose>
void add_rows_scaled_lanes(std::size_t C, const double* A, const double* x, const double* init, double* out) {
    std::size_t i = 0;
    for (; C - i >= 16; i += 8) add_rows_scaled_group<8, transpose>(C, i, A, x, init, out);
    switch (C - i) {
#define MIC_GROUP(G) \
    case G: add_rows_scaled_group<G, transpose>(C, i, A, x, init, out); break;
        MIC_GROUP(1) MIC_GROUP(2) MIC_GROUP(3) MIC_GROUP(4) MIC_GROUP(5) MIC_GROUP(6) MIC_GROUP(7) MIC_GROUP(8)
        MIC_GROUP(9) MIC_GROUP(10) MIC_GROUP(11) MIC_GROUP(12) MIC_GROUP(13) MIC_GROUP(14) MIC_GROUP(15)
#undef MIC_GROUP
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

    // λ = Σ_s (μ_s + X_s)   (Eq. 8), the running sum in a register (X may alias nothing written here,
    // but the compiler cannot know that of a member array).
    double* lambda = lambda_;
    {
        lane_vector sum{};
        for (std::size_t s = 0; s < C; ++s) sum += broadcast(mu[s]) + load_lanes(X + s * L);
        store_lanes(lambda, sum);
    }

    // ν*_c = μ_c + Σ_s X_s σ_sc   (Eq. 6)
    if (m.sigma_is_identity) {
        for (std::size_t c = 0; c < C; ++c)
            for (std::size_t j = 0; j < L; ++j) nu[c * L + j] = mu[c] + X[c * L + j];
    } else {
        add_rows_scaled_lanes<false>(C, m.sigma.data(), X, mu, nu);
    }

    // φ = log f(c | ν*) = phi − log(divisor) and q = ∂φ/∂ν*, as log_mixing; possible[j]: f(c_j) > 0.
    double phi[L], divisor[L];
    bool possible[L];
    if (m.mixing == mixing_kind::boltzmann) {
        // φ = (βν*_c − top) − log Σ_k exp(βν*_k − top), top = max_k βν*_k; q = β(e_c − f). The
        // logarithm of the sum is taken with log λ below, as one: log(λ / Σ_k exp(βν*_k − top)).
        // Whole vectors: through the pointers the compiler would have to assume f, q and ν* overlap.
        double* f = f_.data();
        const lane_vector b = broadcast(beta);
        lane_vector top_v = broadcast(minus_infinity);
        for (std::size_t k = 0; k < C; ++k) {
            const lane_vector v = b * load_lanes(nu + k * L);
            top_v = top_v < v ? v : top_v;
        }
        for (std::size_t k = 0; k < C; ++k) store_lanes(f + k * L, b * load_lanes(nu + k * L) - top_v);
        exp_each(f, C * L);
        lane_vector total_v{};
        for (std::size_t k = 0; k < C; ++k) total_v += load_lanes(f + k * L);
        double top[L];
        store_lanes(top, top_v);
        store_lanes(divisor, total_v);
        if (with_gradient) {
            const lane_vector inv = 1.0 / total_v, minus_b = broadcast(-beta);
            for (std::size_t k = 0; k < C; ++k) {
                const lane_vector fk = load_lanes(f + k * L) * inv;  // f(k | ν*), kept for the Hessian terms (lane_state)
                store_lanes(f + k * L, fk);
                store_lanes(q + k * L, minus_b * fk);
            }
            for (std::size_t j = 0; j < n; ++j) q[cascade[j] * L + j] += beta;
        }
        for (std::size_t j = 0; j < L; ++j) {
            phi[j] = beta * nu[cascade[j] * L + j] - top[j];
            // φ = −inf only for an absurd θ (βν*_c = −inf with a finite top; ν* ≥ 0 for θ ≥ 0): the
            // event is impossible, as log_mixing says (which gives NaN where some βν*_k = +inf).
            possible[j] = phi[j] != minus_infinity;
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
        for (std::size_t j = 0; j < L; ++j) {
            phi[j] = logs[j] - logs[L + j];
            divisor[j] = 1.0;
        }
        if (with_gradient) {
            double inv[L];
            for (std::size_t j = 0; j < L; ++j) inv[j] = possible[j] ? 1.0 / total[j] : 0.0;
            for (std::size_t k = 0; k < C; ++k)
                for (std::size_t j = 0; j < L; ++j) q[k * L + j] = -inv[j];
            for (std::size_t j = 0; j < n; ++j)
                if (possible[j]) q[cascade[j] * L + j] += 1.0 / nu[cascade[j] * L + j];
        }
    }

    // ℓ = log λ + φ = log(λ / divisor) + phi for the events that are possible (λ > 0 and f(c) > 0).
    double log_lambda[L], inv_lambda[L];
    bool counted[L];
    for (std::size_t j = 0; j < L; ++j) {
        counted[j] = j < n && lambda[j] > 0 && possible[j];
        log_lambda[j] = counted[j] ? lambda[j] / divisor[j] : 1.0;
        inv_lambda[j] = counted[j] ? 1.0 / lambda[j] : 0.0;
    }
    log_each(log_lambda, L);
    for (std::size_t j = 0; j < n; ++j) terms[j] = counted[j] ? log_lambda[j] + phi[j] : minus_infinity;
    if (!with_gradient) return;

    // ∂ℓ/∂μ = 1/λ + q and y = Σq + 1/λ, zero in the lanes not counted.
    const double* pulled = q;
    if (!m.sigma_is_identity) {
        add_rows_scaled_lanes<true>(C, m.sigma.data(), q, nullptr, pulled_.data());
        pulled = pulled_.data();
    }
    // Whole vectors with a lane mask (the pointers may alias as far as the compiler knows, which
    // would make the plain loops scalar).
    lane_mask keep;
    for (std::size_t j = 0; j < L; ++j) keep[j] = counted[j] ? -1 : 0;
    const lane_vector inv = load_lanes(inv_lambda), zero{};
    for (std::size_t s = 0; s < C; ++s) {
        const lane_vector qs = load_lanes(q + s * L), ys = load_lanes(pulled + s * L);
        store_lanes(gradient_mu + s * L, load_lanes(gradient_mu + s * L) + (keep ? inv + qs : zero));
        store_lanes(y + s * L, keep ? ys + inv : zero);
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
