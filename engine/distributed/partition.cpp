#include "engine/distributed/partition.hpp"

#include <algorithm>
#include <numeric>

namespace mic {

range_partition range_partition::even(std::int64_t n, int size) {
    range_partition p;
    p.first.resize(std::size_t(size) + 1);
    for (int r = 0; r <= size; ++r) p.first[std::size_t(r)] = n * r / size;
    return p;
}

range_partition range_partition::balanced(std::span<const double> work, int size) {
    const auto n = std::int64_t(work.size());
    std::vector<double> prefix(work.size() + 1, 0.0);
    for (std::size_t i = 0; i < work.size(); ++i) prefix[i + 1] = prefix[i] + work[i];
    const double total = prefix.back();
    range_partition p;
    p.first.assign(std::size_t(size) + 1, n);
    p.first[0] = 0;
    for (int r = 1; r < size; ++r) {
        const double target = total * double(r) / double(size);
        auto cut = std::int64_t(std::lower_bound(prefix.begin(), prefix.end(), target) - prefix.begin());
        if (cut > 0 && cut <= n && target - prefix[std::size_t(cut - 1)] < prefix[std::size_t(cut)] - target) --cut;
        p.first[std::size_t(r)] = std::clamp(cut, p.first[std::size_t(r) - 1], n);
    }
    return p;
}

std::vector<std::int32_t> range_partition::owned(int rank) const {
    std::vector<std::int32_t> ids(std::size_t(end(rank) - begin(rank)));
    std::iota(ids.begin(), ids.end(), std::int32_t(begin(rank)));
    return ids;
}

std::vector<double> range_partition::work_per_rank(std::span<const double> work) const {
    std::vector<double> out(std::size_t(size()), 0.0);
    for (int r = 0; r < size(); ++r)
        for (auto i = begin(r); i < end(r); ++i) out[std::size_t(r)] += work[std::size_t(i)];
    return out;
}

} // namespace mic
