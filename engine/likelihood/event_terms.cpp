#include "engine/likelihood/event_terms.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "engine/likelihood/feature_block.hpp"
#include "engine/likelihood/lane_vector.hpp"

namespace mic {

// multiply_padded reads Σ's padded rows (and M's) as whole lane_vectors.
static_assert(event_model::sigma_lanes % vector_lanes == 0);

event_terms::event_terms(const event_model& model, std::int32_t k): model_(&model), block_(model) {
    const std::size_t C = std::size_t(model.n_cascades), L = event_block::lanes;
    block_drive_.assign(C * L, 0.0);
    block_y_.assign(C * L, 0.0);
    gradient_mu_lanes_.assign(C * L, 0.0);
    drive_.resize(C);
    nu_star_.resize(C);
    f_.resize(C);
    q_.resize(C);
    M_.resize(C * C);
    a_.reserve(C + std::size_t(k));
}

double event_terms::from_drive(const double* mu, const double* drive, std::int32_t c, double* gradient_mu,
                               double* y) {
    const event_model& m = *model_;
    const std::size_t C = std::size_t(m.n_cascades);
    // λ = Σ_c μ_c + Σ_s X_s   (Eq. 8)
    double lambda = 0;
    for (std::size_t s = 0; s < C; ++s) lambda += mu[s] + drive[s];
    if (!(lambda > 0)) return -std::numeric_limits<double>::infinity();
    context_intensities(m, mu, drive, nu_star_.data());
    const double phi = log_mixing(m.mixing, m.beta, nu_star_, c, f_, q_);
    if (phi == -std::numeric_limits<double>::infinity()) return phi;
    lambda_ = lambda;
    if (gradient_mu) {
        const double inv = 1.0 / lambda;
        for (std::size_t s = 0; s < C; ++s) gradient_mu[s] += inv + q_[s];
        // y = ∂ℓ/∂X: q pulled back through ν* = μ + ΣᵀX, plus 1/λ from λ = Σμ + ΣX.
        pull_back(m, q_.data(), y);
        for (std::size_t s = 0; s < C; ++s) y[s] += inv;
    }
    return std::log(lambda) + phi;
}

void event_terms::begin(std::span<const double> theta, bool derivatives) {
    const std::size_t C = std::size_t(model_->n_cascades);
    theta_ = theta;
    k_ = theta.size() - C;
    derivatives_ = derivatives;
    const std::size_t L = event_block::lanes;
    if (scratch_.size() < k_ * C * L) scratch_.resize(k_ * C * L);  // sized here: no block moves
    kernel_.resize(k_ * C);
    block_kernels_ = nullptr;
    block_events_ = 0;
    if (derivatives) {
        std::fill(gradient_mu_lanes_.begin(), gradient_mu_lanes_.end(), 0.0);
        gradient_w_lanes_.assign(k_ * L, 0.0);
    }
}

double* event_terms::block_scratch() { return scratch_.data(); }

void event_terms::add_block(const double* block, const std::int32_t* cascades, std::size_t n, double* terms) {
    const std::size_t C = std::size_t(model_->n_cascades), k = k_;
    assert(n > 0 && n <= event_block::lanes);
    block_kernels_ = block;
    block_events_ = n;
    std::copy_n(cascades, n, block_cascades_);
    // X_j = G_jᵀw of the eight lanes at once (feature_block.hpp: a fixed order of summation).
    block_social_drive(theta_.data() + C, block, k, C, block_drive_.data());
    block_.evaluate(theta_.data(), block_drive_.data(), cascades, n, terms,
                    derivatives_ ? gradient_mu_lanes_.data() : nullptr, derivatives_ ? block_y_.data() : nullptr);
    if (!derivatives_) return;
    // ∂ℓ_j/∂w_v = Σ_s G_j[v][s] y_j[s], summed per (v, lane) over the blocks (finish() sums the
    // lanes); y_j is 0 in the lanes of impossible events and of lanes ≥ n, which add nothing.
    add_block_weight_gradient(block, block_y_.data(), k, C, gradient_w_lanes_.data());
}

void event_terms::select(std::size_t j) {
    assert(derivatives_ && j < block_events_);
    const std::size_t C = std::size_t(model_->n_cascades);
    block_.lane_state(j, lambda_, nu_star_.data(), f_.data(), q_.data());
    for (std::size_t s = 0; s < C; ++s) drive_[s] = block_drive_[s * event_block::lanes + j];
    gather_lane(block_kernels_, j, kernel_);
    cascade_ = block_cascades_[j];
}

void event_terms::finish(std::span<double> gradient) {
    if (gradient.empty() || !derivatives_) return;
    const std::size_t C = std::size_t(model_->n_cascades);
    add_lane_totals(gradient_mu_lanes_.data(), C, gradient.data());
    add_lane_totals(gradient_w_lanes_.data(), k_, gradient.data() + C);
}

void event_terms::add_hessian(std::span<double> hessian) {
    add_hessian_terms(kernel_, std::int32_t(k_), cascade_, hessian);
}

std::size_t event_terms::factor_rows_per_event() const {
    const std::size_t C = std::size_t(model_->n_cascades);
    return model_->mixing == mixing_kind::linear || C == 1 ? 1 : 1 + C;
}

void event_terms::add_factor_rows(hessian_factor& factor) {
    const event_model& m = *model_;
    const std::size_t C = std::size_t(m.n_cascades), cc = std::size_t(cascade_), K = k_;
    const double* G = kernel_.data();
    if (m.mixing == mixing_kind::linear) {
        // z = n_c / ν*_c with n_c = (e_c, G Σ_{·c}): ℓ = log ν*_c is the log of a linear function.
        const double inv = 1.0 / nu_star_[cc];
        double* z = factor.add_row();
        z[cc] = inv;
        for (std::size_t v = 0; v < K; ++v) {
            const double* row = G + v * C;
            double acc = 0;
            if (m.sigma_is_identity) acc = row[cc];
            else
                for (std::size_t s = 0; s < C; ++s) acc += row[s] * m.sigma[s * C + cc];
            z[C + v] = acc * inv;
        }
        return;
    }
    // z_0 = a/λ, a = (1_C, G 1_C): the log λ term.
    {
        const double inv = 1.0 / lambda_;
        double* z = factor.add_row();
        for (std::size_t i = 0; i < C; ++i) z[i] = inv;
        for (std::size_t v = 0; v < K; ++v) {
            double h = 0;
            for (std::size_t s = 0; s < C; ++s) h += G[v * C + s];
            z[C + v] = h * inv;
        }
    }
    if (C == 1) return;  // f ≡ 1: the mixing term is 0
    // B = G Σ (k×C; G itself for Σ = I) and Bf = B f (k values).
    const double* B = G;
    if (!m.sigma_is_identity) {
        B_.resize(K * C);
        multiply_padded(G, K, C, m.sigma_padded.data(), m.padded_width, B_.data());
        B = B_.data();
    }
    P_.resize(K);
    for (std::size_t v = 0; v < K; ++v) {
        double acc = 0;
        for (std::size_t j = 0; j < C; ++j) acc += B[v * C + j] * f_[j];
        P_[v] = acc;
    }
    // z_i = β √f_i (e_i − f, B(e_i − f)): −∂²φ/∂ν*² = Σ_i β² f_i (e_i − f)(e_i − f)ᵀ.
    const double b2 = m.beta * m.beta;
    for (std::size_t i = 0; i < C; ++i) {
        if (!(b2 * f_[i] * lambda_ * lambda_ > 1e-24)) continue;
        const double scale = m.beta * std::sqrt(f_[i]);
        double* z = factor.add_row();
        for (std::size_t j = 0; j < C; ++j) z[j] = scale * ((j == i ? 1.0 : 0.0) - f_[j]);
        for (std::size_t v = 0; v < K; ++v) z[C + v] = scale * (B[v * C + i] - P_[v]);
    }
}

bool factor_supported(const event_model& model) {
    if (model.mixing == mixing_kind::boltzmann || model.sigma_is_identity) return true;
    const std::size_t C = std::size_t(model.n_cascades);
    for (std::size_t s = 0; s < C; ++s) {
        double total = 0;
        for (std::size_t c = 0; c < C; ++c) total += model.sigma[s * C + c];
        if (!(std::abs(total - 1.0) <= 1e-12)) return false;
    }
    return true;
}

void event_terms::add_cross_hessian(std::span<double> cross) {
    const std::size_t C = std::size_t(model_->n_cascades), CC = C * C, k = k_;
    const std::span<const double> kernel(kernel_);
    log_mixing_hessian(model_->mixing, model_->beta, nu_star_, f_, cascade_, M_);
    couple(kernel, k);
    const double* G = kernel.data();
    // μ rows: x_s M_cj.
    for (std::size_t j = 0; j < C; ++j) {
        double* row = cross.data() + j * CC;
        for (std::size_t s = 0; s < C; ++s)
            for (std::size_t cc = 0; cc < C; ++cc) row[s * C + cc] += drive_[s] * M_[cc * C + j];
    }
    // w rows: G_vs q_c + x_s P_vc, P = B M.
    for (std::size_t v = 0; v < k; ++v) {
        double* row = cross.data() + (C + v) * CC;
        const double* Pv = P_.data() + v * C;
        for (std::size_t s = 0; s < C; ++s) {
            const double g = G[v * C + s], x = drive_[s];
            for (std::size_t cc = 0; cc < C; ++cc) row[s * C + cc] += g * q_[cc] + x * Pv[cc];
        }
    }
}

void event_terms::couple(std::span<const double> kernel, std::size_t K) {
    const event_model& m = *model_;
    const std::size_t C = std::size_t(m.n_cascades), P = m.padded_width;
    const double* G = kernel.data();
    B_.resize(K * C);
    P_.resize(K * C);
    // B = G Σ (G itself for Σ = I), then P = B M, each summed over the inner index in ascending order
    // (multiply_padded: the bits of the plain loops, with the running sums in registers).
    if (m.sigma_is_identity) std::copy_n(G, K * C, B_.data());
    else multiply_padded(G, K, C, m.sigma_padded.data(), P, B_.data());
    M_padded_.assign(C * P, 0.0);
    for (std::size_t i = 0; i < C; ++i) std::copy_n(M_.data() + i * C, C, M_padded_.data() + i * P);
    multiply_padded(B_.data(), K, C, M_padded_.data(), P, P_.data());
}

void event_terms::add_hessian_terms(std::span<const double> kernel, std::int32_t k, std::int32_t c,
                                    std::span<double> hessian) {
    // Plain loops in a fixed order (no alignment-dependent library kernels), so that the stored
    // features and the streaming pass give the same bits.
    const event_model& m = *model_;
    const std::size_t C = std::size_t(m.n_cascades), K = std::size_t(k), p = C + K;
    const double* G = kernel.data();
    double* H = hessian.data();

    // log λ part: −a aᵀ/λ², a = (1_C, G 1_C).
    a_.resize(p);
    for (std::size_t i = 0; i < C; ++i) a_[i] = 1.0 / lambda_;
    for (std::size_t v = 0; v < K; ++v) {
        double h = 0;
        for (std::size_t s = 0; s < C; ++s) h += G[v * C + s];
        a_[C + v] = h / lambda_;
    }
    for (std::size_t i = 0; i < p; ++i)
        for (std::size_t j = 0; j < p; ++j) H[i * p + j] -= a_[i] * a_[j];

    // log f part: the Jacobian of ν* is [I_C ; B] with B = G Σ (k×C), so the block is
    // [[M, M Bᵀ], [B M, B M Bᵀ]] with M = ∂²φ/∂ν*² (symmetric).
    log_mixing_hessian(m.mixing, m.beta, nu_star_, f_, c, M_);
    couple(kernel, K);
    for (std::size_t i = 0; i < C; ++i)
        for (std::size_t j = 0; j < C; ++j) H[i * p + j] += M_[i * C + j];
    for (std::size_t v = 0; v < K; ++v)
        for (std::size_t j = 0; j < C; ++j) {
            H[(C + v) * p + j] += P_[v * C + j];
            H[j * p + C + v] += P_[v * C + j];
        }
    // (B M Bᵀ)[v][v'] for v ≤ v', mirrored so that the Hessian is exactly symmetric.
    for (std::size_t v = 0; v < K; ++v)
        for (std::size_t w = v; w < K; ++w) {
            double acc = 0;
            for (std::size_t j = 0; j < C; ++j) acc += P_[v * C + j] * B_[w * C + j];
            H[(C + v) * p + C + w] += acc;
            if (w != v) H[(C + w) * p + C + v] += acc;
        }
}

namespace {

// ∫_a^b λ_u = (b − a) Σ_c μ_c + Σ_v w_v K_v, with K_v = total_of(v); subtracts its gradient. The one
// loop behind both forms below (rows or totals), so that they agree bit for bit.
template <class TotalOf>
double compensator_integral(std::span<const double> theta, std::size_t C, double window_length, std::span<double> gradient,
                            TotalOf total_of) {
    const std::size_t k = theta.size() - C;
    const double* w = theta.data() + C;
    double total = 0;
    for (std::size_t c = 0; c < C; ++c) total += theta[c] * window_length;
    for (std::size_t v = 0; v < k; ++v) {
        const double Kv = total_of(v);
        total += w[v] * Kv;
        if (!gradient.empty()) gradient[C + v] -= Kv;
    }
    if (!gradient.empty())
        for (std::size_t c = 0; c < C; ++c) gradient[c] -= window_length;
    return total;
}

// K_v = Σ_c K_v^c of row v of K (k×C), summed in cascade order.
double row_total(std::span<const double> compensator, std::size_t v, std::size_t C) {
    double Kv = 0;
    for (std::size_t s = 0; s < C; ++s) Kv += compensator[v * C + s];
    return Kv;
}

} // namespace

std::vector<double> compensator_totals(std::span<const double> compensator, std::int32_t n_cascades) {
    const std::size_t C = std::size_t(n_cascades);
    std::vector<double> totals(compensator.size() / C);
    for (std::size_t v = 0; v < totals.size(); ++v) totals[v] = row_total(compensator, v, C);
    return totals;
}

double subtract_compensator_totals(std::span<const double> theta, std::int32_t n_cascades,
                                   std::span<const double> totals, double window_length, std::span<double> gradient) {
    return compensator_integral(theta, std::size_t(n_cascades), window_length, gradient,
                                [&](std::size_t v) { return totals[v]; });
}

double subtract_compensator(std::span<const double> theta, std::int32_t n_cascades,
                            std::span<const double> compensator, double window_length,
                            std::span<double> gradient, std::span<double> per_cascade) {
    const std::size_t C = std::size_t(n_cascades);
    const std::size_t k = theta.size() - C;
    const double total = compensator_integral(theta, C, window_length, gradient,
                                              [&](std::size_t v) { return row_total(compensator, v, C); });
    if (!per_cascade.empty()) {
        // ∫ ν_u^c = (b − a) μ_c + Σ_v w_v K_v^c: a split of ∫ λ_u by cascade (λ = Σ_c ν^c).
        const double* w = theta.data() + C;
        for (std::size_t c = 0; c < C; ++c) per_cascade[c] -= theta[c] * window_length;
        for (std::size_t v = 0; v < k; ++v)
            for (std::size_t c = 0; c < C; ++c) per_cascade[c] -= w[v] * compensator[v * C + c];
    }
    return total;
}

} // namespace mic
