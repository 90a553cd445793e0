// shard_kernels: which events a window scores, and the prefetch plan (every cache line a pass reads
// of a user's in-neighbours, once).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

#include "engine/likelihood/shard_kernels.hpp"
#include "engine/likelihood/shard_likelihood.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"

namespace mic {
namespace {

using testing::all_users;
using testing::random_params;
using testing::small_dataset;

// A dataset whose every user with events posts its first one exactly at t_start = 0 (as a log whose
// first timestamp holds many events does).
dataset dataset_starting_with_ties() {
    dataset data = small_dataset(5, /*integer_times=*/true);
    const auto& offsets = data.events.user_offsets;
    for (std::size_t u = 0; u + 1 < offsets.size(); ++u)
        if (offsets[u + 1] > offsets[u]) data.events.time[std::size_t(offsets[u])] = data.header.t_start;
    return data;
}

TEST(ShardKernels, AWindowFromTheDatasetsStartScoresTheEventsAtThatInstant) {
    const dataset data = dataset_starting_with_ties();
    ASSERT_EQ(data.header.t_start, 0.0);
    const auto users = all_users(data);
    const shard s = make_shard(data, users);
    const auto at_start = std::count(data.events.time.begin(), data.events.time.end(), data.header.t_start);
    ASSERT_GE(at_start, 3);

    const likelihood_window closed = whole_window(data.header);
    EXPECT_TRUE(closed.includes_from);
    EXPECT_FALSE(dataset_window(data.header, 0.5, data.header.t_end).includes_from);  // a later start stays open
    const likelihood_window open{closed.from, closed.to};
    const shard_kernels with_start(s, 1.0, closed), without_start(s, 1.0, open);
    std::int64_t scored_closed = 0, scored_open = 0;
    for (std::size_t i = 0; i < users.size(); ++i) {
        const auto [a, b] = with_start.scored_events(i);
        const auto [c, d] = without_start.scored_events(i);
        scored_closed += b - a;
        scored_open += d - c;
    }
    EXPECT_EQ(scored_closed, data.events.n_events());  // every event lies in [t_start, t_end]
    EXPECT_EQ(scored_open, data.events.n_events() - at_start);

    // Under ic nothing precedes an event at t_start, so λ_u^c(t_start) = μ_u^c: the closed window adds
    // exactly Σ log μ_u^c over those events, and the same compensator.
    const model_params params = random_params(data, model_variant::ic, 1.0, 1.0, 7);
    double expected = 0;
    for (std::size_t u = 0; u + 1 < data.events.user_offsets.size(); ++u)
        for (auto j = data.events.user_offsets[u]; j < data.events.user_offsets[u + 1]; ++j)
            if (data.events.time[std::size_t(j)] == data.header.t_start)
                expected += std::log(params.mu_of(std::int32_t(u))[std::size_t(data.events.cascade[std::size_t(j)])]);
    const auto l_closed = local_loglik(with_start, params).result, l_open = local_loglik(without_start, params).result;
    EXPECT_EQ(l_closed.n_events, scored_closed);
    EXPECT_NEAR(l_closed.loglik - l_open.loglik, expected, 1e-12 * std::abs(l_closed.loglik));
}

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
