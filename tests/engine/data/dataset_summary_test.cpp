// summarise(): the numbers `mic info` prints, against counts done by hand and by brute force.
#include <gtest/gtest.h>

#include <map>

#include "engine/data/dataset_summary.hpp"
#include "tests/support/random_dataset.hpp"

namespace mic {
namespace {

dataset three_users() {
    // user 0: events at 1 (c0), 4 (c1); user 1: none; user 2: 2, 3, 5 (c1, c1, c0).
    // edges: 0 → 1, 2 → 1, 2 → 2 (self-loop); user 0 has no in-neighbours.
    dataset d;
    d.header = {3, 2, 0.0, 6.0, "h"};
    d.events.user_offsets = {0, 2, 2, 5};
    d.events.cascade = {0, 1, 1, 1, 0};
    d.events.time = {1, 4, 2, 3, 5};
    d.graph.in_offsets = {0, 0, 2, 3};
    d.graph.in_source = {0, 2, 2};
    return d;
}

TEST(Summarise, CountsEventsEdgesAndActiveUsersOfAHandMadeDataset) {
    const auto s = summarise(three_users(), 2);
    EXPECT_EQ(s.n_users, 3);
    EXPECT_EQ(s.n_events, 5);
    EXPECT_EQ(s.n_edges, 3);
    EXPECT_EQ(s.users_with_events, 2);
    EXPECT_EQ(s.users_without_in_neighbours, 1);
    EXPECT_EQ(s.max_in_degree, 2);
    EXPECT_EQ(s.self_loops, 1);
    EXPECT_EQ(s.events_per_cascade, (std::vector<std::int64_t>{2, 3}));
    EXPECT_DOUBLE_EQ(s.first_event, 1.0);
    EXPECT_DOUBLE_EQ(s.last_event, 5.0);
    ASSERT_EQ(s.most_active.size(), 2u);
    EXPECT_EQ(s.most_active[0].user, 2);
    EXPECT_EQ(s.most_active[0].events, 3);
    EXPECT_EQ(s.most_active[1].user, 0);
}

TEST(Summarise, MostActiveUsersAgreeWithABruteForceRankingOnRandomData) {
    const auto d = testing::make_random_dataset({.n_users = 50, .mean_events_per_user = 4, .integer_times = true}, 7);
    const auto s = summarise(d, 10);
    std::multimap<std::int64_t, std::int32_t, std::greater<>> ranking;
    for (std::int32_t u = 0; u < d.header.n_users; ++u)
        if (auto n = d.events.user_offsets[u + 1] - d.events.user_offsets[u]; n > 0) ranking.emplace(n, u);
    ASSERT_EQ(s.most_active.size(), 10u);
    auto it = ranking.begin();
    for (const auto& a: s.most_active) {
        EXPECT_EQ(a.events, it->first);  // equal counts may come in either order in the multimap
        ++it;
    }
    std::int64_t total = 0;
    for (auto n: s.events_per_cascade) total += n;
    EXPECT_EQ(total, d.events.n_events());
}

TEST(Summarise, AnEmptyDatasetHasZeroesNotInfinities) {
    dataset d;
    d.header = {0, 1, 0.0, 0.0, ""};
    const auto s = summarise(d, 5);
    EXPECT_EQ(s.n_events, 0);
    EXPECT_EQ(s.first_event, 0.0);
    EXPECT_EQ(s.last_event, 0.0);
    EXPECT_TRUE(s.most_active.empty());
}

} // namespace
} // namespace mic
