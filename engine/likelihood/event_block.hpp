#pragma once
// The event terms of up to eight events at once from their social drives: event_terms::from_drive
// with the events in the lanes of a vector instead of one after another.
//
// Per event i (drive X_i, cascade c_i), as from_drive (SPEC §2):
//   λ_i = Σ_s (μ_s + X_is),  ν*_i = μ + ΣᵀX_i,  φ_i = log f(c_i | ν*_i),  ℓ_i = log λ_i + φ_i,
//   ∂ℓ_i/∂μ = 1/λ_i + q_i,   y_i = ∂ℓ_i/∂X_i = Σ q_i + 1/λ_i,   q_i = ∂φ/∂ν*.
// Why lanes across events: at C ≈ 10 every loop of one event is a short loop of C (a vector and a
// remainder) or a reduction over C, which leaves most of a wide vector unit idle; the same loops over
// eight events of one cascade are whole vectors, the logarithms included (vector_exp.hpp). The
// values equal from_drive's up to rounding: the vector exp and log (≤ 3 and 4 ulp), fused
// multiply-adds in ν* and Σq where the machine has them, ∂ℓ/∂μ summed per lane (add_lane_totals),
// and under Boltzmann mixing log λ − log Σ_k exp(βν*_k − top) taken as one log(λ / Σ_k …).
// The same build gives the same bits for the same events, whatever the rank.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/model/mixing.hpp"

namespace mic {

// Blocks are lane-major: entry s of the event in lane j is at [s · lanes + j].
class event_block {
public:
    static constexpr std::size_t lanes = 8;

    // Keeps a reference to `model`.
    explicit event_block(const event_model& model);

    // The events in lanes j < n ≤ lanes, with drives `drive` (C × lanes) and cascades `cascades`
    // (n values), baselines μ (C values). Writes ℓ_j to terms[j] for j < n (−inf for an impossible
    // event: λ_j ≤ 0, or φ_j = −inf — under linear mixing f(c_j) = 0 with ν*_c ≤ 0; under Boltzmann
    // mixing only for an absurd θ with βν*_c = −inf, as log_mixing). When `y` is non-null, also writes y_j to `y` (C × lanes; zeros in
    // the lanes of impossible events and in lanes ≥ n) and adds ∂ℓ_j/∂μ_s of every possible event to
    // gradient_mu[s · lanes + j] (C × lanes: one running sum per lane; see add_lane_totals).
    void evaluate(const double* mu, const double* drive, const std::int32_t* cascades, std::size_t n, double* terms,
                  double* gradient_mu, double* y);

    // λ (one value) and ν*, f(· | ν*), q = ∂φ/∂ν* (C values each) of the event in lane j of the last
    // evaluate() with derivatives, for the Hessian terms; only for a possible event (a finite term).
    void lane_state(std::size_t j, double& lambda, double* nu_star, double* f, double* q) const;

private:
    const event_model* model_;
    double lambda_[lanes] = {};
    // Scratch (C × lanes): ν*, the exponentials of the Boltzmann mixing, q = ∂φ/∂ν*, Σq.
    std::vector<double> nu_star_, f_, q_, pulled_;
};

// out[s] += Σ_j values[s · lanes + j] (C values), the lanes summed pairwise in a fixed order.
void add_lane_totals(const double* values, std::size_t C, double* out);

} // namespace mic
