#include "engine/support/poisson_weights.hpp"

#include <cmath>
#include <stdexcept>

namespace mic {

truncated_weights uniformization_weights(double lambda, weight_kind kind, double tolerance) {
    if (!(lambda >= 0.0) || !std::isfinite(lambda) || !(tolerance > 0.0))
        throw std::invalid_argument("uniformization_weights: need a finite λ ≥ 0 and a tolerance > 0");
    truncated_weights out;
    if (lambda == 0.0) {  // t = 0: P(0) = I, DS(0) = 0
        out.weight.assign(1, kind == weight_kind::probability ? 1.0 : 0.0);
        return out;
    }
    constexpr double negligible = 1e-30;  // relative to the mode term
    const auto mode = static_cast<std::int64_t>(std::floor(lambda));

    // Unnormalised terms r_k = p_k / p_m, from the mode outward (no overflow, no early underflow).
    std::vector<double> lower{1.0};  // r_m, r_{m-1}, ...
    for (std::int64_t k = mode; k > 0 && lower.back() > negligible; --k)
        lower.push_back(lower.back() * static_cast<double>(k) / lambda);
    std::vector<double> upper;  // r_{m+1}, r_{m+2}, ...
    double r = 1.0;
    for (std::int64_t k = mode + 1;; ++k) {
        r *= lambda / static_cast<double>(k);
        upper.push_back(r);
        // For j > k the ratio r_{j+1}/r_j ≤ ρ = λ/(k+1) < 1, so Σ_{j>k} j² r_j ≤ r·(k+1)²/(1−ρ)³-ish:
        // stop when even that weighted rest is negligible (it bounds what the tail_average weights lose).
        const double rho = lambda / static_cast<double>(k + 1);
        if (rho < 1.0) {
            const double kk = static_cast<double>(k + 2);
            if (r * kk * kk / ((1.0 - rho) * (1.0 - rho) * (1.0 - rho)) < negligible) break;
        }
    }
    const auto first = mode - static_cast<std::int64_t>(lower.size()) + 1;  // smallest k kept
    const auto n = static_cast<std::size_t>(mode + 1 + static_cast<std::int64_t>(upper.size()));
    std::vector<double> w(n, 0.0);  // p_k for k = 0 .. n-1 (0 below `first`)
    for (std::size_t s = 0; s < lower.size(); ++s) w[static_cast<std::size_t>(mode) - s] = lower[s];
    for (std::size_t s = 0; s < upper.size(); ++s) w[static_cast<std::size_t>(mode) + 1 + s] = upper[s];
    double total = 0.0;  // ascending from the small left tail
    for (auto k = static_cast<std::size_t>(first); k < n; ++k) total += w[k];
    for (auto& x: w) x /= total;

    // Turn p_k into the requested weights by suffix sums (all terms ≥ 0: no cancellation):
    // T_k = Σ_{j>k} p_j, U_k = Σ_{j>k} T_j.
    if (kind != weight_kind::probability) {
        double suffix = 0.0;
        for (std::size_t k = n; k-- > 0;) {
            const double p = w[k];
            w[k] = suffix;  // T_k
            suffix += p;
        }
    }
    if (kind == weight_kind::tail_average) {
        double suffix = 0.0;
        for (std::size_t k = n; k-- > 0;) {
            const double t = w[k];
            w[k] = suffix / lambda;  // U_k / λ
            suffix += t;
        }
    }
    // R: the smallest index whose dropped suffix Σ_{k>R} w_k is ≤ tolerance.
    double dropped = 0.0;
    std::size_t last = n - 1;
    while (last > 0 && dropped + w[last] <= tolerance) dropped += w[last--];
    w.resize(last + 1);
    out.weight = std::move(w);
    out.dropped = dropped;
    return out;
}

} // namespace mic
