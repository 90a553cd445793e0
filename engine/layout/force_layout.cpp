#include "engine/layout/force_layout.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "engine/support/random_stream.hpp"

namespace mic {
namespace {

void check_affinity(std::span<const double> a, std::int32_t n) {
    if (n < 0 || a.size() != std::size_t(n) * std::size_t(n))
        throw std::invalid_argument("force_layout: the affinity matrix is not n × n");
    for (double x: a)
        if (!(x >= 0) || !std::isfinite(x)) throw std::invalid_argument("force_layout: affinities must be finite and >= 0");
}

// Centred on the mean, scaled so that the farthest node is at distance 1 (left as is when all coincide).
void normalise(std::vector<double>& p) {
    const std::size_t n = p.size() / 2;
    double cx = 0, cy = 0;
    for (std::size_t i = 0; i < n; ++i) cx += p[2 * i], cy += p[2 * i + 1];
    cx /= double(n), cy /= double(n);
    double r = 0;
    for (std::size_t i = 0; i < n; ++i) {
        p[2 * i] -= cx, p[2 * i + 1] -= cy;
        r = std::max(r, std::hypot(p[2 * i], p[2 * i + 1]));
    }
    if (r > 0)
        for (double& x: p) x /= r;
}

} // namespace

std::vector<double> force_layout(std::span<const double> affinity, std::int32_t n, const force_layout_options& options) {
    check_affinity(affinity, n);
    const auto N = std::size_t(n);
    std::vector<double> p(2 * N, 0.0);
    if (n <= 1) return p;
    double largest = 0;
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < N; ++j)
            if (i != j) largest = std::max(largest, affinity[i * N + j]);
    const double k = 1.0 / std::sqrt(double(n));
    for (std::size_t i = 0; i < N; ++i) {
        random_stream jitter(options.seed, i);
        const double angle = 2 * std::numbers::pi * double(i) / double(n);
        p[2 * i] = 0.5 * std::cos(angle) + 0.01 * k * (jitter.uniform() - 0.5);
        p[2 * i + 1] = 0.5 * std::sin(angle) + 0.01 * k * (jitter.uniform() - 0.5);
    }
    std::vector<double> force(2 * N);
    const std::int32_t steps = std::max(1, options.iterations);
    for (std::int32_t step = 0; step < steps; ++step) {
        std::fill(force.begin(), force.end(), 0.0);
        for (std::size_t i = 0; i < N; ++i) {
            for (std::size_t j = i + 1; j < N; ++j) {
                const double dx = p[2 * i] - p[2 * j], dy = p[2 * i + 1] - p[2 * j + 1];
                const double d = std::max(std::hypot(dx, dy), 1e-9 * k);
                const double a = largest > 0 ? 0.5 * (affinity[i * N + j] + affinity[j * N + i]) / largest : 0.0;
                // Positive: push apart; negative: pull together. Along the unit vector (dx, dy)/d.
                const double f = k * k / d - 0.3 * a * d * d / k;
                force[2 * i] += f * dx / d, force[2 * i + 1] += f * dy / d;
                force[2 * j] -= f * dx / d, force[2 * j + 1] -= f * dy / d;
            }
            force[2 * i] -= 0.1 * p[2 * i], force[2 * i + 1] -= 0.1 * p[2 * i + 1];
        }
        const double temperature = 0.1 * (1.0 - double(step) / double(steps));
        for (std::size_t i = 0; i < N; ++i) {
            const double size = std::hypot(force[2 * i], force[2 * i + 1]);
            if (size == 0) continue;
            const double move = std::min(size, temperature) / size;
            p[2 * i] += force[2 * i] * move, p[2 * i + 1] += force[2 * i + 1] * move;
        }
    }
    normalise(p);
    return p;
}

} // namespace mic
