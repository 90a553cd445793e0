#include "engine/inference/cost_partition.hpp"

#include <algorithm>
#include <numeric>

namespace mic {

std::vector<double> user_work(std::span<const std::int64_t> user_offsets, std::span<const std::int64_t> in_offsets,
                              std::span<const std::int32_t> in_source) {
    const std::size_t U = user_offsets.size() - 1;
    std::vector<double> work(U);
    for (std::size_t u = 0; u < U; ++u) {
        double w = 1 + double(user_offsets[u + 1] - user_offsets[u]);
        for (auto j = in_offsets[u]; j < in_offsets[u + 1]; ++j) {
            const auto v = std::size_t(in_source[std::size_t(j)]);
            w += double(user_offsets[v + 1] - user_offsets[v]);
        }
        work[u] = w;
    }
    return work;
}

double work_imbalance(const range_partition& partition, std::span<const double> work) {
    const auto per_rank = partition.work_per_rank(work);
    if (per_rank.empty()) return 1.0;
    const double mean = std::accumulate(per_rank.begin(), per_rank.end(), 0.0) / double(per_rank.size());
    return mean > 0 ? *std::max_element(per_rank.begin(), per_rank.end()) / mean : 1.0;
}

} // namespace mic
