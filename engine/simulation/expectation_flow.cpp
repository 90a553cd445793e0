#include "engine/simulation/expectation_flow.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "engine/support/poisson_weights.hpp"

namespace mic {

expectation_flow::expectation_flow(influence_operator K, double tau, std::span<const double> m, double tolerance)
    : K_(std::move(K)), tau_(tau), tolerance_(tolerance) {
    if (m.size() != K_.size()) throw std::invalid_argument("expectation_flow: initial state of the wrong size");
    stationary_ = solve_resolvent(K_, tau_, m);
    transient_.resize(m.size());
    for (std::size_t i = 0; i < m.size(); ++i) transient_[i] = m[i] - stationary_[i];
    integral_.assign(m.size(), 0.0);
    intensity_.assign(m.begin(), m.end());
    count_.assign(m.size(), 0.0);
}

void expectation_flow::advance_to(double t) {
    if (!(t >= t_)) throw std::invalid_argument("expectation_flow: time must not go backwards");
    // Φ(a + b) = Φ(b)Φ(a): a long step is taken in pieces of at most max_step_x τ, so that the
    // weights (O(x) doubles) stay small whatever t; each piece adds only O(√x) products.
    const double x = (t - t_) / tau_;
    const double pieces = std::ceil(x / max_step_x);
    if (pieces > 1e9)  // callers budget their work with products_needed first; this is only a guard
        throw std::invalid_argument("expectation_flow: a step of " + std::to_string(x) + " τ is beyond any budget");
    for (std::int64_t i = 0; i < std::int64_t(pieces); ++i) step(x / pieces);
    t_ = t;
    for (std::size_t i = 0; i < transient_.size(); ++i) {
        intensity_[i] = stationary_[i] + transient_[i];
        count_[i] = stationary_[i] * t_ + integral_[i];
    }
}

void expectation_flow::step(double x) {
    const auto p = uniformization_weights(x, weight_kind::probability, tolerance_);
    const auto tail = uniformization_weights(x, weight_kind::tail, tolerance_);
    const std::size_t terms = std::max(p.weight.size(), tail.weight.size());
    std::vector<double> y = transient_, next(y.size());
    std::fill(transient_.begin(), transient_.end(), 0.0);
    for (std::size_t k = 0; k < terms; ++k) {
        // y = (τK)^k z: add p_k y to Φ(h) z and τ P(N > k) y to ∫_0^h Φ(s) z ds.
        const double pk = k < p.weight.size() ? p.weight[k] : 0.0;
        const double tk = k < tail.weight.size() ? tau_ * tail.weight[k] : 0.0;
        for (std::size_t i = 0; i < y.size(); ++i) {
            transient_[i] += pk * y[i];
            integral_[i] += tk * y[i];
        }
        if (k + 1 == terms) break;
        K_.apply(y, next);
        ++products_;
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = tau_ * next[i];
    }
}

double expectation_flow::products_needed(double from, double to, double tau, double tolerance) {
    const double x = (to - from) / tau;
    if (!(x > 0)) return 0;
    // Exactly what advance_to does: `pieces` equal pieces, each one product per weight of the longer of
    // its two truncated weight lists but the last (step). An estimate of x + 50 + 12√x per piece was
    // several times too high for short steps, and refused requests that take seconds.
    const double pieces = std::ceil(x / max_step_x);
    if (!std::isfinite(pieces)) return pieces;
    const double piece = x / pieces;
    const double terms = double(std::max(uniformization_weights(piece, weight_kind::probability, tolerance).weight.size(),
                                         uniformization_weights(piece, weight_kind::tail, tolerance).weight.size()));
    return pieces * (terms - 1);
}

} // namespace mic
