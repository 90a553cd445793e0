#include "engine/likelihood/compensated_sum.hpp"

#include <algorithm>
#include <cmath>

#include "engine/likelihood/exact_sum.hpp"

namespace mic {

std::vector<double> sum_over_ranks(const communicator& comm, std::span<const compensated_sum> local) {
    // Each rank's (sum, correction) pairs go exactly into integer bins, which are summed over the
    // ranks exactly (exact_sum.hpp); the plain sums ride along only to carry an infinite or NaN total.
    // In pieces of `piece` values: 70 int64 per value would otherwise make a C⁴-sized total (the
    // profile curvature) a buffer of gigabytes and an MPI count past 2^31. Every rank has the same n,
    // so every rank makes the same calls.
    constexpr std::size_t piece = 4096;  // 2.3 MB of bins per all-reduce
    const std::size_t n = local.size(), B = std::size_t(exact_sum::bins);
    std::vector<double> out(n);
    std::vector<std::int64_t> digits;
    std::vector<double> plain;
    for (std::size_t first = 0; first < n; first += piece) {
        const std::size_t m = std::min(piece, n - first);
        digits.assign(m * B, 0);
        plain.resize(m);
        for (std::size_t i = 0; i < m; ++i) {
            const compensated_sum& s = local[first + i];
            plain[i] = s.sum;
            if (!std::isfinite(s.sum)) continue;
            const std::span<std::int64_t> bins(digits.data() + i * B, B);
            exact_sum::add(bins, s.sum);
            exact_sum::add(bins, s.correction);
        }
        comm.sum(std::span(digits));
        comm.sum(std::span(plain));
        for (std::size_t i = 0; i < m; ++i)
            out[first + i] = std::isfinite(plain[i]) ? exact_sum::value(std::span<const std::int64_t>(digits.data() + i * B, B)) : plain[i];
    }
    return out;
}

} // namespace mic
