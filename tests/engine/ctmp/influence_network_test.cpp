// The temporal influence network (SPEC §3) and the rates estimated from it. Every test runs on the
// world of the run (1, 2 or 3 ranks), so the sharded build and the merge are exercised.
#include <gtest/gtest.h>

#include <cstring>

#include "engine/ctmp/influence_network.hpp"
#include "engine/ctmp/rate_matrix.hpp"
#include "engine/support/error.hpp"
#include "tests/engine/ctmp/ctmp_fixtures.hpp"
#include "tests/support/random_dataset.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using testing::world;

// Topic 0: user 0 at 1, user 1 at 3 and 4, user 2 at 7.  Topic 1: user 2 at 0, 0 at 0.5, 1 at 1.
// Topic 2: user 3 alone. Transitions: 0→1 (2, 0.5), 1→2 (3), 2→0 (0.5); the pair (1, 1) is skipped.
dataset three_topics(const std::vector<std::pair<std::int32_t, std::int32_t>>& edges = {}) {
    return testing::dataset_from_posts(4, 3, {{0, 0, 1.0}, {1, 0, 3.0}, {1, 0, 4.0}, {2, 0, 7.0},
                                              {2, 1, 0.0}, {0, 1, 0.5}, {1, 1, 1.0}, {3, 2, 2.0}}, edges);
}

TEST(InfluenceNetwork, CountsConsecutivePostsByDifferentUsersWithTheirDelays) {
    const auto net = build_influence_network(three_topics(), {}, world());
    EXPECT_EQ(net.offsets, (std::vector<std::int64_t>{0, 1, 2, 3, 3}));
    EXPECT_EQ(net.target, (std::vector<std::int32_t>{1, 2, 0}));
    EXPECT_EQ(net.count, (std::vector<std::int64_t>{2, 1, 1}));
    EXPECT_EQ(net.delay_sum, (std::vector<double>{2.5, 3.0, 0.5}));
    EXPECT_EQ(net.out_delay_sum, (std::vector<double>{2.5, 3.0, 0.5, 0.0}));
    EXPECT_EQ(net.n_transitions(), 4);
}

TEST(InfluenceNetwork, FollowGraphKeepsOnlyPairsWhereTheSecondUserFollowsTheFirst) {
    // Edges v → u (u follows v): 1 follows 0 and 0 follows 2; user 2 does not follow 1.
    const auto data = three_topics({{0, 1}, {2, 0}});
    const auto net = build_influence_network(data, {.follow_graph = true}, world());
    EXPECT_EQ(net.offsets, (std::vector<std::int64_t>{0, 1, 1, 2, 2}));
    EXPECT_EQ(net.target, (std::vector<std::int32_t>{1, 0}));
    EXPECT_EQ(net.count, (std::vector<std::int64_t>{2, 1}));
}

TEST(InfluenceNetwork, PostsAfterTheTimeLimitAreLeftOut) {
    const auto net = build_influence_network(three_topics(), {}, world(), 3.5);  // drops 1@4 and 2@7
    EXPECT_EQ(net.target, (std::vector<std::int32_t>{1, 0}));
    EXPECT_EQ(net.count, (std::vector<std::int64_t>{2, 1}));
}

TEST(InfluenceNetwork, BadPostsOnOneRankFailEveryRankWithoutAHang) {
    topic_posts mine;  // rank 0 alone holds a topic with a user id out of range
    if (world().rank() == 0) mine = {{0}, {0, 2}, {0, 7}, {1.0, 2.0}};
    EXPECT_THROW(build_influence_network(mine, 4, nullptr, {}, world()), agreed_error);
    if (world().rank() == 0) mine = {{0}, {0, 2}, {0, 1}, {2.0, 1.0}};  // out of time order
    EXPECT_THROW(build_influence_network(mine, 4, nullptr, {}, world()), agreed_error);
}

TEST(InfluenceNetwork, IsBitIdenticalOnAnyNumberOfRanks) {
    testing::random_dataset_spec spec;
    spec.n_users = 60, spec.n_cascades = 25, spec.mean_events_per_user = 30, spec.edge_probability = 0.3;
    const auto data = testing::make_random_dataset(spec, 17);
    for (bool follow: {false, true}) {
        const auto here = build_influence_network(data, {.follow_graph = follow}, world());
        const auto alone = build_influence_network(data, {.follow_graph = follow}, make_local_communicator());
        ASSERT_GT(alone.n_transitions(), 100);
        EXPECT_EQ(here.offsets, alone.offsets);
        EXPECT_EQ(here.target, alone.target);
        EXPECT_EQ(here.count, alone.count);
        EXPECT_EQ(0, std::memcmp(here.delay_sum.data(), alone.delay_sum.data(), sizeof(double) * alone.delay_sum.size()));
        EXPECT_EQ(0, std::memcmp(here.out_delay_sum.data(), alone.out_delay_sum.data(), sizeof(double) * alone.out_delay_sum.size()));
        const auto q_here = estimate_ctmp(here), q_alone = estimate_ctmp(alone);
        ASSERT_EQ(q_here.generator.nonZeros(), q_alone.generator.nonZeros());
        EXPECT_EQ(0, std::memcmp(q_here.generator.valuePtr(), q_alone.generator.valuePtr(),
                                 sizeof(double) * static_cast<std::size_t>(q_alone.generator.nonZeros())));
    }
}

TEST(RateMatrix, RatesAreInverseMeanDelaysAndJumpProbabilitiesAreShares) {
    // User 0 also jumps to 3 once with delay 1.5: q_0 = 3 / 4 and S_01 = 2/3, S_03 = 1/3.
    auto data = testing::dataset_from_posts(4, 4, {{0, 0, 1.0}, {1, 0, 3.0}, {1, 0, 4.0}, {2, 0, 7.0}, {2, 1, 0.0},
                                                  {0, 1, 0.5}, {1, 1, 1.0}, {0, 3, 0.0}, {3, 3, 1.5}});
    const auto model = estimate_ctmp(build_influence_network(data, {}, world()));
    EXPECT_DOUBLE_EQ(model.rate[0], 0.75);
    EXPECT_DOUBLE_EQ(model.rate[1], 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(model.rate[2], 2.0);
    EXPECT_EQ(model.rate[3], 0.0);  // absorbing
    EXPECT_DOUBLE_EQ(model.generator.coeff(0, 1), 0.75 * 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(model.generator.coeff(0, 3), 0.75 / 3.0);
    EXPECT_DOUBLE_EQ(model.generator.coeff(0, 0), -0.75);
    const auto s = jump_probabilities(model);
    EXPECT_EQ(s.target, (std::vector<std::int32_t>{1, 3, 2, 0}));
    EXPECT_DOUBLE_EQ(s.probability[0], 2.0 / 3.0);
}

TEST(RateMatrix, RowsSumToZeroAndAbsorbingUsersHaveEmptyRows) {
    testing::random_dataset_spec spec;
    spec.n_users = 80, spec.n_cascades = 30, spec.mean_events_per_user = 8;
    const auto model = estimate_ctmp(build_influence_network(testing::make_random_dataset(spec, 5), {}, world()));
    int absorbing = 0;
    for (Eigen::Index i = 0; i < model.generator.rows(); ++i) {
        double sum = 0.0, off = 0.0;
        for (rate_matrix::InnerIterator it(model.generator, i); it; ++it) {
            sum += it.value();
            if (it.col() != i) {
                off += it.value();
                EXPECT_GT(it.value(), 0.0);
            }
        }
        EXPECT_NEAR(sum, 0.0, 1e-14 * model.rate[static_cast<std::size_t>(i)]);
        EXPECT_NEAR(off, model.rate[static_cast<std::size_t>(i)], 1e-14 * model.rate[static_cast<std::size_t>(i)]);
        if (model.rate[static_cast<std::size_t>(i)] == 0.0) {
            ++absorbing;
            EXPECT_EQ(model.generator.row(i).nonZeros(), 0);
        }
    }
    EXPECT_GT(absorbing, 0);  // the silent users
}

TEST(RateMatrix, AllZeroDelaysAreRejectedUnlessAMinimumDelayIsSet) {
    const auto data = testing::dataset_from_posts(2, 1, {{0, 0, 1.0}, {1, 0, 1.0}});
    EXPECT_THROW(estimate_ctmp(build_influence_network(data, {}, world())), input_error);
    const auto model = estimate_ctmp(build_influence_network(data, {.min_delay = 0.01}, world()));
    EXPECT_DOUBLE_EQ(model.rate[0], 100.0);
}

TEST(RateMatrix, EdgeRatesOnAGraphGiveTheChainWithThoseRates) {
    csr_graph g;  // edges 0 → 1 (rate 2), 0 → 2 (rate 1), 2 → 0 (rate 0.5), self-loop 1 → 1 ignored
    g.in_offsets = {0, 1, 3, 4};
    g.in_source = {2, 0, 1, 0};
    const std::vector<double> r{0.5, 2.0, 9.0, 1.0};
    const auto model = ctmp_from_edge_rates(g, r);
    EXPECT_EQ(model.rate, (std::vector<double>{3.0, 0.0, 0.5}));
    EXPECT_EQ(model.generator.coeff(0, 1), 2.0);
    EXPECT_EQ(model.generator.coeff(0, 2), 1.0);
    EXPECT_EQ(model.generator.coeff(2, 0), 0.5);
    EXPECT_EQ(model.generator.coeff(2, 2), -0.5);
}

} // namespace
} // namespace mic
