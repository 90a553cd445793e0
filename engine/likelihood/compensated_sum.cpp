#include "engine/likelihood/compensated_sum.hpp"

namespace mic {

std::vector<double> sum_over_ranks_ordered(const communicator& comm, std::span<const compensated_sum> local) {
    const std::size_t n = local.size();
    std::vector<double> pairs;
    pairs.reserve(2 * n);
    for (const auto& s: local) {
        pairs.push_back(s.sum);
        pairs.push_back(s.correction);
    }
    // Every rank contributes exactly 2n doubles, so the gathered buffer is ranks × 2n.
    const auto all = comm.allgatherv(std::span<const double>(pairs));
    std::vector<compensated_sum> total(n);
    for (std::size_t r = 0; r * 2 * n < all.size(); ++r)
        for (std::size_t i = 0; i < n; ++i) {
            total[i].add(all[r * 2 * n + 2 * i]);
            total[i].add(all[r * 2 * n + 2 * i + 1]);
        }
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = total[i].value();
    return out;
}

std::vector<double> sum_over_ranks(const communicator& comm, std::span<const compensated_sum> local) {
    const std::size_t n = local.size();
    std::vector<double> sums(n), corrections(n);
    for (std::size_t i = 0; i < n; ++i) {
        sums[i] = local[i].sum;
        corrections[i] = local[i].correction;
    }
    comm.sum(std::span(sums));
    comm.sum(std::span(corrections));
    for (std::size_t i = 0; i < n; ++i) sums[i] = std::isfinite(sums[i]) ? sums[i] + corrections[i] : sums[i];
    return sums;
}

} // namespace mic
