// The kernel states G_e[v][s] = g_v^s(t_e) of the sweep against the direct sum, with ties.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/likelihood/kernel_sweep.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"
#include "tests/engine/reference/naive_mic.hpp"

namespace mic {
namespace {

using testing::all_users;
using testing::make_random_dataset;
using testing::random_dataset_spec;
using testing::small_dataset;

void expect_sweep_matches_direct_sums(const dataset& data, double tau, likelihood_window window) {
    const auto users = all_users(data);
    const shard s = make_shard(data, users);
    const shard_kernels kernels(s, tau, window);
    kernel_sweep sweep(kernels);
    const std::int32_t C = data.header.n_cascades;
    std::int64_t scored = 0;
    for (std::size_t i = 0; i < users.size(); ++i) {
        sweep.start(i);
        auto in = data.graph.in_neighbours(users[i]);
        ASSERT_EQ(sweep.n_neighbours(), std::int32_t(in.size()));
        while (sweep.next()) {
            ++scored;
            const double t = sweep.time();
            EXPECT_GT(t, window.from);
            EXPECT_LE(t, window.to);
            for (std::size_t v = 0; v < in.size(); ++v)
                for (std::int32_t c = 0; c < C; ++c) {
                    const double direct = reference::kernel_state(data, in[v], c, t, tau);
                    EXPECT_NEAR(sweep.kernel()[v * C + c], direct, 1e-14 * (1 + direct))
                        << "user " << users[i] << " neighbour " << in[v] << " at t = " << t;
                }
        }
    }
    std::int64_t expected = 0;
    for (double t: data.events.time) expected += (t > window.from && t <= window.to);
    EXPECT_EQ(scored, expected);
}

TEST(KernelSweep, StatesEqualTheDirectSumsOfEarlierNeighbourEvents) {
    for (std::uint64_t seed: {1u, 2u, 3u}) expect_sweep_matches_direct_sums(small_dataset(seed), 0.8, {2.0, 9.0});
}

TEST(KernelSweep, EventsAtTheSameTimestampDoNotExciteEachOther) {
    // Integer times: many ties, across users and within a user (self-loops are on).
    for (std::uint64_t seed: {4u, 5u}) expect_sweep_matches_direct_sums(small_dataset(seed, true), 1.3, {1.0, 10.0});
}

TEST(KernelSweep, LongGapsAndShortTauUnderflowToZeroWithoutNaN) {
    // τ = 0.01 on a 10-unit window: most kernel values underflow; the sweep must stay exact where
    // they do not and give 0 (not NaN) where they do.
    expect_sweep_matches_direct_sums(small_dataset(6), 0.01, {0.0, 10.0});
    expect_sweep_matches_direct_sums(small_dataset(6), 1e4, {-1.0, 10.0});
}

TEST(KernelSweep, UsersWithMoreEventsThanOneSnapshotBlockAreExact) {
    // ~150 scored events per user: the sweep fills its snapshots in blocks of 64 events.
    random_dataset_spec spec;
    spec.n_users = 4;
    spec.n_cascades = 3;
    spec.edge_probability = 0.7;
    spec.self_loops = true;
    spec.mean_events_per_user = 150;
    spec.fraction_silent_users = 0.0;
    spec.t_end = 50.0;
    spec.with_names = false;
    expect_sweep_matches_direct_sums(make_random_dataset(spec, 8), 0.5, {1.0, 50.0});
    spec.integer_times = true;
    expect_sweep_matches_direct_sums(make_random_dataset(spec, 9), 0.5, {1.0, 50.0});
}

TEST(KernelSweep, AUsersStatesDoNotDependOnWhichOtherUsersTheShardHolds) {
    const auto data = small_dataset(7);
    const auto whole = make_shard(data, all_users(data));
    const std::vector<std::int32_t> some{3, 5};
    const auto part = make_shard(data, some);
    const shard_kernels kw(whole, 0.9, {2.0, 10.0}), kp(part, 0.9, {2.0, 10.0});
    kernel_sweep sw(kw), sp(kp);
    for (std::size_t i = 0; i < some.size(); ++i) {
        sw.start(std::size_t(some[i]));
        sp.start(i);
        while (sw.next()) {
            ASSERT_TRUE(sp.next());
            for (std::size_t j = 0; j < sw.kernel().size(); ++j) EXPECT_EQ(sw.kernel()[j], sp.kernel()[j]);
        }
        EXPECT_FALSE(sp.next());
        for (std::size_t j = 0; j < sw.compensator().size(); ++j) EXPECT_EQ(sw.compensator()[j], sp.compensator()[j]);
    }
}

} // namespace
} // namespace mic
