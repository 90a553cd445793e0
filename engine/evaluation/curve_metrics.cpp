#include "engine/evaluation/curve_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace mic {

double inverse_l1_distance(std::span<const double> real, std::span<const double> simulated) {
    double distance = 0, total = 0;
    for (std::size_t b = 0; b < real.size(); ++b) {
        distance += std::abs(real[b] - simulated[b]);
        total += std::abs(real[b]);
    }
    if (distance == 0) return 1.0;
    if (total == 0) return 0.0;  // l1 = ∞
    return 1.0 / (1.0 + distance / total);
}

double pearson_correlation(std::span<const double> x, std::span<const double> y) {
    const auto n = double(x.size());
    if (x.size() < 2) return std::numeric_limits<double>::quiet_NaN();
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
    mx /= n, my /= n;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (!(sxx > 0) || !(syy > 0)) return std::numeric_limits<double>::quiet_NaN();
    return sxy / std::sqrt(sxx * syy);
}

std::vector<double> ranked(std::span<const double> counts) {
    std::vector<double> r(counts.begin(), counts.end());
    std::sort(r.begin(), r.end(), std::greater<>());
    return r;
}

moments moments_of(std::span<const double> sum, std::span<const double> sum_of_squares, std::int64_t n) {
    moments m;
    m.mean.resize(sum.size());
    m.sd.resize(sum.size());
    for (std::size_t i = 0; i < sum.size(); ++i) {
        m.mean[i] = n > 0 ? sum[i] / double(n) : 0.0;
        const double variance = n > 1 ? (sum_of_squares[i] - double(n) * m.mean[i] * m.mean[i]) / double(n - 1) : 0.0;
        m.sd[i] = std::sqrt(std::max(0.0, variance));
    }
    return m;
}

} // namespace mic
