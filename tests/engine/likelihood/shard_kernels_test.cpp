// The prefetch plan of shard_kernels: every cache line a pass reads of a user's in-neighbours, once.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>

#include "engine/likelihood/shard_kernels.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"

namespace mic {
namespace {

using testing::all_users;
using testing::small_dataset;

// The distinct 64-byte lines under the events of the shard user with local index `local` (at most
// `cap`, the first ones).
std::size_t event_lines(const shard_kernels& kernels, std::int32_t local, std::size_t cap) {
    std::set<std::uintptr_t> lines;
    const auto& offsets = kernels.data().events.offsets;
    for (auto j = offsets[std::size_t(local)]; j < offsets[std::size_t(local) + 1]; ++j) {
        const auto first = reinterpret_cast<std::uintptr_t>(&kernels.event(j));
        for (auto byte = first; byte < first + sizeof(shard_kernels::anchored_event); ++byte) lines.insert(byte / 64);
    }
    return std::min(lines.size(), cap);
}

TEST(NeighbourPrefetch, PlansOneStepPerCompensatorRowAndPerEventLineOfEveryInNeighbourUpToTheCap) {
    const dataset data = small_dataset(3);
    const auto users = all_users(data);
    const shard s = make_shard(data, users);
    const shard_kernels kernels(s, 1.0, whole_window(data.header));
    neighbour_prefetch prefetch;
    std::size_t capped = 0;
    for (const std::size_t cap: {std::size_t(1), std::size_t(2), std::size_t(64)})
        for (std::size_t i = 0; i < users.size(); ++i) {
            std::size_t expected = 0;
            for (std::int32_t local: kernels.neighbour_locals(i)) {
                expected += 1 + event_lines(kernels, local, cap);
                capped += event_lines(kernels, local, 64) > cap;
            }
            prefetch.start(kernels, i, cap);
            EXPECT_EQ(prefetch.remaining(), expected) << "user " << users[i] << ", cap " << cap;
            prefetch.advance(expected / 2);
            EXPECT_EQ(prefetch.remaining(), expected - expected / 2);
            prefetch.finish();
            EXPECT_EQ(prefetch.remaining(), 0u);
        }
    EXPECT_GT(capped, 0u);  // the caps of 1 and 2 lines did cut some neighbours short
    prefetch.start(kernels, users.size(), 64);  // past the last user: nothing to fetch
    EXPECT_EQ(prefetch.remaining(), 0u);
    prefetch.finish();
}

} // namespace
} // namespace mic
