#include "engine/distributed/partition.hpp"

#include <numeric>

namespace mic {

std::vector<std::int32_t> block_partition(std::int32_t n_users, int rank, int size) {
    const auto first = static_cast<std::int32_t>(std::int64_t(n_users) * rank / size);
    const auto last = static_cast<std::int32_t>(std::int64_t(n_users) * (rank + 1) / size);
    std::vector<std::int32_t> owned(static_cast<std::size_t>(last - first));
    std::iota(owned.begin(), owned.end(), first);
    return owned;
}

} // namespace mic
