// The prefetch plan of shard_kernels: every cache line a pass reads of a user's in-neighbours, once.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>

#include "engine/likelihood/shard_kernels.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"

namespace mic {
namespace {

using testing::all_users;
using testing::small_dataset;

// The distinct 64-byte lines under the events of the shard user with local index `local`.
std::size_t event_lines(const shard_kernels& kernels, std::int32_t local) {
    std::set<std::uintptr_t> lines;
    const auto& offsets = kernels.data().events.offsets;
    for (auto j = offsets[std::size_t(local)]; j < offsets[std::size_t(local) + 1]; ++j) {
        const auto first = reinterpret_cast<std::uintptr_t>(&kernels.event(j));
        for (auto byte = first; byte < first + sizeof(shard_kernels::anchored_event); ++byte) lines.insert(byte / 64);
    }
    return lines.size();
}

TEST(NeighbourPrefetch, PlansOneStepPerCompensatorRowAndPerEventLineOfEveryInNeighbour) {
    const dataset data = small_dataset(3);
    const auto users = all_users(data);
    const shard s = make_shard(data, users);
    const shard_kernels kernels(s, 1.0, whole_window(data.header));
    neighbour_prefetch prefetch;
    for (std::size_t i = 0; i < users.size(); ++i) {
        std::size_t expected = 0;
        for (std::int32_t local: kernels.neighbour_locals(i)) expected += 1 + event_lines(kernels, local);
        prefetch.start(kernels, i);
        EXPECT_EQ(prefetch.remaining(), expected) << "user " << users[i];
        // Stepping one line at a time visits exactly that many, then stops.
        std::size_t steps = 0;
        while (prefetch.remaining() > 0) {
            prefetch.advance(1);
            ++steps;
        }
        EXPECT_EQ(steps, expected);
        prefetch.advance(5);
        EXPECT_EQ(prefetch.remaining(), 0u);
    }
    prefetch.start(kernels, users.size());  // past the last user: nothing to fetch
    EXPECT_EQ(prefetch.remaining(), 0u);
    prefetch.finish();
}

} // namespace
} // namespace mic
