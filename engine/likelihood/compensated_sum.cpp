#include "engine/likelihood/compensated_sum.hpp"

#include <cmath>

#include "engine/likelihood/exact_sum.hpp"

namespace mic {

std::vector<double> sum_over_ranks(const communicator& comm, std::span<const compensated_sum> local) {
    // Each rank's (sum, correction) pairs go exactly into integer bins, which are summed over the
    // ranks exactly (exact_sum.hpp); the plain sums ride along only to carry an infinite or NaN total.
    const std::size_t n = local.size(), B = std::size_t(exact_sum::bins);
    std::vector<std::int64_t> digits(n * B, 0);
    std::vector<double> plain(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::span<std::int64_t> bins(digits.data() + i * B, B);
        plain[i] = local[i].sum;
        if (!std::isfinite(local[i].sum)) continue;
        exact_sum::add(bins, local[i].sum);
        exact_sum::add(bins, local[i].correction);
    }
    comm.sum(std::span(digits));
    comm.sum(std::span(plain));
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = std::isfinite(plain[i]) ? exact_sum::value(std::span<const std::int64_t>(digits.data() + i * B, B)) : plain[i];
    return out;
}

} // namespace mic
