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

double work_partition::max_work() const { return work.empty() ? 0.0 : *std::max_element(work.begin(), work.end()); }

double work_partition::mean_work() const {
    return work.empty() ? 0.0 : std::accumulate(work.begin(), work.end(), 0.0) / double(work.size());
}

std::vector<std::int32_t> work_partition::owned(int rank) const {
    std::vector<std::int32_t> users(std::size_t(first[std::size_t(rank) + 1] - first[std::size_t(rank)]));
    std::iota(users.begin(), users.end(), first[std::size_t(rank)]);
    return users;
}

work_partition contiguous_partition(std::span<const double> work, int size) {
    const auto U = std::int32_t(work.size());
    std::vector<double> prefix(work.size() + 1, 0.0);
    for (std::size_t u = 0; u < work.size(); ++u) prefix[u + 1] = prefix[u] + work[u];
    const double total = prefix.back();
    work_partition p;
    p.first.assign(std::size_t(size) + 1, U);
    p.first[0] = 0;
    for (int r = 1; r < size; ++r) {
        // The cut whose prefix is closest to r·total/size, never before the previous cut.
        const double target = total * double(r) / double(size);
        auto it = std::lower_bound(prefix.begin(), prefix.end(), target);
        auto cut = std::int32_t(it - prefix.begin());
        if (cut > 0 && cut <= U && target - prefix[std::size_t(cut - 1)] < prefix[std::size_t(cut)] - target) --cut;
        p.first[std::size_t(r)] = std::clamp(cut, p.first[std::size_t(r) - 1], U);
    }
    p.work.resize(std::size_t(size));
    for (int r = 0; r < size; ++r)
        p.work[std::size_t(r)] = prefix[std::size_t(p.first[std::size_t(r) + 1])] - prefix[std::size_t(p.first[std::size_t(r)])];
    return p;
}

} // namespace mic
