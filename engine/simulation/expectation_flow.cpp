#include "engine/simulation/expectation_flow.hpp"

#include <algorithm>
#include <stdexcept>

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
    const double x = (t - t_) / tau_;
    if (x > 0.0) {
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
    t_ = t;
    for (std::size_t i = 0; i < transient_.size(); ++i) {
        intensity_[i] = stationary_[i] + transient_[i];
        count_[i] = stationary_[i] * t_ + integral_[i];
    }
}

} // namespace mic
