// Strongly connected components of the positive-weight influence graph (strong_components.hpp),
// checked against components known by construction, and on a path of a million users (the DFS must
// not recurse).
#include "engine/simulation/strong_components.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "tests/engine/simulation/simulation_fixtures.hpp"

namespace mic {
namespace {

using mic::testing::on_edges;  // every weight positive

// Two users are in one component exactly when `expected` gives them the same label.
void expect_partition(const strong_components& c, const std::vector<int>& expected) {
    ASSERT_EQ(c.of_user.size(), expected.size());
    int labels = 0;
    for (std::size_t a = 0; a < expected.size(); ++a) {
        labels = std::max(labels, expected[a] + 1);
        for (std::size_t b = 0; b < expected.size(); ++b)
            EXPECT_EQ(c.of_user[a] == c.of_user[b], expected[a] == expected[b]) << "users " << a << ", " << b;
    }
    EXPECT_EQ(c.count, labels);
}

TEST(StrongComponents, FindsTheCyclesOfAReducibleGraph) {
    // 0 ⇄ 1 → 2 → 3 → 4 → 2 → … , 4 → 5 → 6, a lone user 7 and a self-loop on 8.
    const auto p = on_edges(9, {{0, 1}, {1, 0}, {1, 2}, {2, 3}, {3, 4}, {4, 2}, {4, 5}, {5, 6}, {8, 8}}, 1);
    expect_partition(positive_weight_components(p), {0, 0, 1, 1, 1, 2, 3, 4, 5});
}

TEST(StrongComponents, IgnoresEdgesOfZeroWeight) {
    model_params p = on_edges(3, {{0, 1}, {1, 2}, {2, 0}}, 1);
    expect_partition(positive_weight_components(p), {0, 0, 0});
    p.weight[0] = 0.0;  // the cycle is broken
    expect_partition(positive_weight_components(p), {0, 1, 2});
}

TEST(StrongComponents, HandlesAPathOfAMillionUsersWithoutRecursion) {
    const std::int32_t U = 1'000'000;
    std::vector<std::pair<std::int32_t, std::int32_t>> edges;
    for (std::int32_t u = 0; u + 1 < U; ++u) edges.emplace_back(u, u + 1);
    EXPECT_EQ(positive_weight_components(on_edges(U, edges, 1)).count, U);
    edges.emplace_back(U - 1, 0);  // closed: one cycle through everyone
    EXPECT_EQ(positive_weight_components(on_edges(U, edges, 1)).count, 1);
}

} // namespace
} // namespace mic
