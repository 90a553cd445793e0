#pragma once
// Time evolution of the expected intensities and counts (Sec. 6, Eq. 28–29) for any operator K of
// influence_operator.hpp:
//
//     dL/dt = −(L − M)/τ + K(L),  L(0) = M,     N(t) = ∫_0^t L(s) ds,
//
// whose solution with L∞ = (I − τK)⁻¹ M is (for K = Wᵀ, M = μ: Eq. 28 and Eq. 29)
//
//     L(t) = L∞ + Φ(t)(M − L∞),            Φ(t) = exp(−(I − τK) t/τ) = exp(−B⁻¹ t/τ),
//     N(t) = L∞ t + τ B (I − Φ(t))(M − L∞)  = L∞ t + ∫_0^t Φ(s)(M − L∞) ds.
//
// Φ(h) z without any dense matrix (uniformisation): with x = h/τ,
//     Φ(h) z       = e^{−x} Σ_k x^k/k! (τK)^k z = Σ_k p_k(x) (τK)^k z,
//     ∫_0^h Φ(s) z ds = τ Σ_k P(N(x) > k) (τK)^k z        (N(x) ~ Poisson(x)),
// because ∫_0^h e^{−s/τ}(s/τ)^k/k! ds = τ P(N(x) ≥ k+1). Both are sums with non-negative weights of
// the same Krylov vectors (τK)^k z, so there is no cancellation (τK ≥ 0 entrywise) and one sequence
// of products with K serves both; weights come from engine/ctmp/poisson_weights (Fox–Glynn style,
// any x), truncated where the dropped weight is below the tolerance. Cost ≈ x + O(√x) products with
// K per step, i.e. about t/τ products in total. Steps longer than 10⁵ τ are taken in pieces, so the
// weights never take more than a few MB.
#include <span>
#include <vector>

#include "engine/simulation/influence_operator.hpp"

namespace mic {

class expectation_flow {
public:
    // Starts at t = 0 with L(0) = m (size K.size()); solves for L∞ (needs ρ(W)·τ < 1).
    expectation_flow(influence_operator K, double tau, std::span<const double> m, double tolerance = 1e-15);

    double time() const { return t_; }
    // Moves to time t ≥ time().
    void advance_to(double t);

    std::span<const double> stationary() const { return stationary_; }  // L∞
    std::span<const double> intensity() const { return intensity_; }    // L(t)
    std::span<const double> count() const { return count_; }            // N(t)
    std::int64_t products() const { return products_; }                 // products with K so far

    // How many products with K advancing from `from` to `to` takes (for budgets), at the flow's
    // `tolerance`: the count advance_to makes (+inf when no number of pieces could do it).
    static double products_needed(double from, double to, double tau, double tolerance = 1e-15);

private:
    static constexpr double max_step_x = 1e5;  // longest piece of a step, in units of τ
    void step(double x);                        // advances the state by x τ (time_ unchanged)

    influence_operator K_;
    double tau_, tolerance_;
    double t_ = 0.0;
    std::vector<double> stationary_, transient_, integral_;  // L∞, Φ(t)(M − L∞), ∫_0^t Φ(s)(M − L∞) ds
    std::vector<double> intensity_, count_;
    std::int64_t products_ = 0;
};

} // namespace mic
