#pragma once
// Spreading sizes under --method taylor (internal to engine/ctmp). The Euler iterates
// c_m = ((I + hQ)^m q)_i approximate (P(mh) q)_i; DS_i(t) = ∫_0^t (P(s)q)_i ds is then integrated with
// the trapezoid rule, i.e. exactly for the piecewise-linear interpolant ĉ of the c_m. At t = nh the
// last iterate is the paper's (I + Qt/n)^n applied to q.
#include <cmath>
#include <cstdint>
#include <span>

namespace mic::detail {

// t = (m + f)·h with 0 ≤ f < 1 and m ≤ n = c.size() − 1 (t beyond the grid is clamped to its end).
struct grid_position {
    std::int64_t m;
    double f;
};
inline grid_position locate(double t, double h, std::int64_t n) {
    if (!(h > 0.0)) return {0, 0.0};
    const double x = t / h;
    const auto m = static_cast<std::int64_t>(std::floor(x));
    if (m >= n) return {n, 0.0};
    return {m, x - static_cast<double>(m)};
}

// ∫_0^t ĉ(s) ds.
inline double taylor_integral(std::span<const double> c, double h, double t) {
    const auto n = static_cast<std::int64_t>(c.size()) - 1;
    const auto [m, f] = locate(t, h, n);
    double sum = 0.0;
    for (std::int64_t j = 0; j < m; ++j) sum += 0.5 * (c[static_cast<std::size_t>(j)] + c[static_cast<std::size_t>(j) + 1]);
    double ds = h * sum;
    if (f > 0.0) {
        const double c0 = c[static_cast<std::size_t>(m)], c1 = c[static_cast<std::size_t>(m) + 1];
        ds += h * (f * c0 + 0.5 * f * f * (c1 - c0));
    }
    return ds;
}

// (1/w) ∫_0^w DS(τ) dτ with DS(τ) = ∫_0^τ ĉ: on [jh, jh + τ], DS = D_j + c_j τ + (c_{j+1} − c_j) τ²/(2h).
inline double taylor_mean_integral(std::span<const double> c, double h, double w) {
    if (!(w > 0.0)) return 0.0;
    const auto n = static_cast<std::int64_t>(c.size()) - 1;
    const auto [m, f] = locate(w, h, n);
    double integral = 0.0, ds = 0.0;  // ds = D_j at the left end of interval j
    auto piece = [&](std::int64_t j, double tau) {
        const double c0 = c[static_cast<std::size_t>(j)], c1 = c[static_cast<std::size_t>(j) + 1];
        integral += ds * tau + c0 * tau * tau / 2.0 + (c1 - c0) * tau * tau * tau / (6.0 * h);
        ds += c0 * tau + (c1 - c0) * tau * tau / (2.0 * h);
    };
    for (std::int64_t j = 0; j < m; ++j) piece(j, h);
    if (f > 0.0) piece(m, f * h);
    return integral / w;
}

} // namespace mic::detail
