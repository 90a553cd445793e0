#include "engine/inference/extrapolation.hpp"

#include <algorithm>
#include <cstddef>

#include <stdexcept>

namespace mic {
namespace {

// out_i = max(0, a_i + α (b_i − a_i))
void extrapolate_nonnegative(const std::vector<double>& a, std::vector<double>& b, double alpha) {
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = std::max(0.0, a[i] + alpha * (b[i] - a[i]));
}

} // namespace

model_params extrapolated(const model_params& from, const model_params& to, double alpha) {
    if (from.mu.size() != to.mu.size() || from.weight.size() != to.weight.size() || from.sigma.size() != to.sigma.size())
        throw std::logic_error("extrapolated: parameter sets of different shapes");
    model_params y = to;
    extrapolate_nonnegative(from.mu, y.mu, alpha);
    extrapolate_nonnegative(from.weight, y.weight, alpha);
    extrapolate_nonnegative(from.sigma, y.sigma, alpha);
    const std::size_t C = std::size_t(y.n_cascades);
    for (std::size_t s = 0; s < C; ++s) {
        double row = 0;
        for (std::size_t c = 0; c < C; ++c) row += y.sigma[s * C + c];
        if (!(row > 0)) {  // every entry clipped (cannot happen for α ≥ 1 from two stochastic rows): keep `to`'s row
            std::copy_n(to.sigma.begin() + std::ptrdiff_t(s * C), C, y.sigma.begin() + std::ptrdiff_t(s * C));
            continue;
        }
        for (std::size_t c = 0; c < C; ++c) y.sigma[s * C + c] /= row;
    }
    return y;
}

std::vector<double> extrapolation_factors(double largest) {
    std::vector<double> out;
    largest = std::min(largest, 1e6);  // (an infinite `largest` would never end the ladder)
    for (double f = 2; f <= largest; f *= 2) {
        out.push_back(f);
        if (1.5 * f <= largest) out.push_back(1.5 * f);
    }
    return out;
}

} // namespace mic
