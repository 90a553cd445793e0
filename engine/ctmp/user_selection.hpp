#pragma once
// Which users IDM-CTMP is evaluated on (the paper's top users by predicted coverage, and random
// users) and how a list of users is split over ranks.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/distributed/communicator.hpp"

namespace mic {

// The k users with the largest score (e.g. DS_u(whole period) from spreading_sizes_all_users),
// ordered by score descending, ties by id ascending; NaN scores never selected. All if k ≥ count.
std::vector<std::int32_t> top_k_users(std::span<const double> score, std::int64_t k);

// k distinct users drawn uniformly from `candidates` (partial Fisher–Yates on random_stream(seed, 0)),
// returned ascending; all candidates when k ≥ their number. The same on every platform and rank.
std::vector<std::int32_t> random_users(std::span<const std::int32_t> candidates, std::int64_t k, std::uint64_t seed);

} // namespace mic
