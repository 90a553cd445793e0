#include "engine/ctmp/user_selection.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/support/random_stream.hpp"

namespace mic {

std::vector<std::int32_t> top_k_users(std::span<const double> score, std::int64_t k) {
    std::vector<std::int32_t> users;
    for (std::size_t u = 0; u < score.size(); ++u)
        if (!std::isnan(score[u])) users.push_back(static_cast<std::int32_t>(u));
    const auto n = static_cast<std::int64_t>(users.size());
    const auto keep = std::clamp<std::int64_t>(k, 0, n);
    auto better = [&](std::int32_t a, std::int32_t b) {
        return score[static_cast<std::size_t>(a)] > score[static_cast<std::size_t>(b)] ||
               (score[static_cast<std::size_t>(a)] == score[static_cast<std::size_t>(b)] && a < b);
    };
    std::partial_sort(users.begin(), users.begin() + keep, users.end(), better);
    users.resize(static_cast<std::size_t>(keep));
    return users;
}

std::vector<std::int32_t> random_users(std::span<const std::int32_t> candidates, std::int64_t k, std::uint64_t seed) {
    std::vector<std::int32_t> pool(candidates.begin(), candidates.end());
    const auto keep = static_cast<std::size_t>(std::clamp<std::int64_t>(k, 0, static_cast<std::int64_t>(pool.size())));
    random_stream rng(seed, 0);
    for (std::size_t s = 0; s < keep; ++s)  // partial Fisher–Yates: pool[s] drawn from pool[s..]
        std::swap(pool[s], pool[s + rng.below(pool.size() - s)]);
    pool.resize(keep);
    std::sort(pool.begin(), pool.end());
    return pool;
}


} // namespace mic
