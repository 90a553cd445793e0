#include "engine/inference/simplex.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace mic {

void project_to_simplex(std::span<double> x) {
    // Sort descending; θ = (Σ_{j≤ρ} y_j − 1)/ρ for the largest ρ with y_ρ > θ.
    std::vector<double> y(x.begin(), x.end());
    std::sort(y.begin(), y.end(), std::greater<>());
    double cumulative = 0, theta = 0;
    for (std::size_t j = 0; j < y.size(); ++j) {
        cumulative += y[j];
        const double t = (cumulative - 1) / double(j + 1);
        if (y[j] > t) theta = t;
    }
    for (double& v : x) v = std::max(0.0, v - theta);
}

double simplex_kkt_residual(std::span<const double> sigma, std::span<const double> gradient, std::int32_t n_cascades,
                            double n_events) {
    const std::size_t C = std::size_t(n_cascades);
    const double inverse = 1.0 / std::max(1.0, n_events);
    double r = 0;
    std::vector<double> row(C);
    for (std::size_t s = 0; s < C; ++s) {
        for (std::size_t c = 0; c < C; ++c) row[c] = sigma[s * C + c] + gradient[s * C + c] * inverse;
        project_to_simplex(row);
        for (std::size_t c = 0; c < C; ++c) r = std::max(r, std::abs(row[c] - sigma[s * C + c]));
    }
    return r;
}

} // namespace mic
