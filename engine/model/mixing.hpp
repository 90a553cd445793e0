#pragma once
// The per-event mathematics of MIC (SPEC §2): context-sensitive intensities and the cascade mixing.
//
//   ν*_c = μ_c + Σ_s σ_sc X_s                       (Eq. 6)
//   φ(ν*) = log f(c | t)                             (Eq. 7, corrected denominator)
//     Boltzmann: φ = β ν*_c − logsumexp_k(β ν*_k)
//     linear:    φ = log ν*_c − log Σ_k ν*_k
//
// Everything below works on caller-owned buffers (no allocation): these functions sit in the inner
// loop of every likelihood pass.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/model/model_params.hpp"
#include "engine/model/model_variant.hpp"

namespace mic {

// What a likelihood pass needs to know about a variant: the mixing, β and the Σ in use.
struct event_model {
    mixing_kind mixing = mixing_kind::boltzmann;
    double beta = 1.0;
    std::int32_t n_cascades = 1;
    std::vector<double> sigma;       // C×C row-major, sigma[s*C + c] = σ_sc
    bool sigma_is_identity = true;   // lets ν* = μ + X skip the C×C product (cc, ic)
    // Σ and Σᵀ again with each row padded with zeros to `padded_width` (C rounded up to a multiple of
    // sigma_lanes), so that ν* = μ + ΣᵀX and y = Σq run sigma_lanes outputs at a time in registers.
    // Filled by make_event_model from `sigma`.
    static constexpr std::size_t sigma_lanes = 8;
    std::size_t padded_width = 0;
    std::vector<double> sigma_padded;      // C × padded_width: [s*P + c] = σ_sc
    std::vector<double> sigma_t_padded;    // C × padded_width: [c*P + s] = σ_sc
};

// The variant's event model: its mixing, β, and Σ (the identity for cc and ic).
event_model make_event_model(const model_params& params);
// An event model with an explicit Σ (the Σ-step and tests use it).
event_model make_event_model(mixing_kind mixing, double beta, std::int32_t n_cascades, std::span<const double> sigma);

// ν*_c = μ_c + Σ_s σ_sc X_s for c = 0..C-1.
void context_intensities(const event_model& model, const double* mu, const double* drive, double* nu_star);

// y_s = Σ_c σ_sc q_c: pulls a gradient with respect to ν* back to one with respect to X (y = Σ q).
void pull_back(const event_model& model, const double* q, double* y);

// φ = log f(c | t) at ν*, with f(·|t) written to `f` and q = ∂φ/∂ν* to `q` (both of size C).
// Stable for β from 0 to 1e5 (log-sum-exp with the maximum subtracted). Under linear mixing φ is −inf
// when ν*_c ≤ 0 or Σ_k ν*_k ≤ 0 (the event is impossible); q is then set to 0 and f to 0.
double log_mixing(mixing_kind mixing, double beta, std::span<const double> nu_star, std::int32_t c,
                  std::span<double> f, std::span<double> q);

// out = (∂²φ/∂ν*²) d, with f from log_mixing at the same ν* (O(C)):
//   Boltzmann: −β² (f∘d − f (f·d));   linear: −e_c d_c/ν*_c² + 1 (Σ_k d_k)/(Σ_k ν*_k)².
void log_mixing_hessian_times(mixing_kind mixing, double beta, std::span<const double> nu_star,
                              std::span<const double> f, std::int32_t c, std::span<const double> d,
                              std::span<double> out);

// M = ∂²φ/∂ν*² as a C×C row-major matrix (symmetric, negative semidefinite on the Boltzmann side).
void log_mixing_hessian(mixing_kind mixing, double beta, std::span<const double> nu_star,
                        std::span<const double> f, std::int32_t c, std::span<double> M);

// All intensities of one user at one time t, from the kernel state G[v][s] = g_v^s(t) of its k
// in-neighbours (k×C row-major) and θ = (μ, w). For reports and tests; the passes inline this.
struct event_intensities {
    double lambda = 0;             // λ_u(t) = Σ_c ν_c
    std::vector<double> drive;     // X_s = Σ_v w_v G[v][s]
    std::vector<double> nu;        // ν_c = μ_c + X_c
    std::vector<double> nu_star;   // ν*_c
    std::vector<double> f;         // f_u(c | t)
};
event_intensities intensities_from_kernel(const event_model& model, std::span<const double> mu,
                                          std::span<const double> w, std::span<const double> kernel);

} // namespace mic
