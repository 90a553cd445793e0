// The Independent Cascade baseline (paper §5.2), and the paper's claim on synthetic data:
// IDM-CTMP predicts the daily spreading sizes with a lower MAE than IC.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/ctmp/forecast_metrics.hpp"
#include "engine/ctmp/independent_cascade.hpp"
#include "engine/ctmp/spreading_size.hpp"
#include "engine/ctmp/topic_simulation.hpp"
#include "engine/ctmp/user_selection.hpp"
#include "engine/distributed/partition.hpp"
#include "tests/engine/ctmp/ctmp_fixtures.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using testing::world;

TEST(IndependentCascade, FollowersAreTheTransposedInNeighbourLists) {
    csr_graph g;  // 0 → 1, 2 → 1, 0 → 2
    g.in_offsets = {0, 0, 2, 3};
    g.in_source = {0, 2, 0};
    const auto f = followers(g);
    EXPECT_EQ(f.offsets, (std::vector<std::int64_t>{0, 2, 2, 3}));
    EXPECT_EQ(f.target, (std::vector<std::int32_t>{1, 2, 1}));
}

TEST(IndependentCascade, ActivationIsTheInverseDailySpreadingSizeCappedAtOne) {
    std::vector<post_window> w(2);
    w[0].observed = 6.0, w[1].observed = 18.0;
    EXPECT_DOUBLE_EQ(daily_spreading_size(w, 12.0), 1.0);  // mean 12 over 12 days
    out_adjacency star{{0, 2, 2, 2}, {1, 2}};
    const auto ic = make_independent_cascade(star, std::vector<double>{4.0, 0.5, 0.0});
    EXPECT_EQ(ic.activation, (std::vector<double>{0.25, 1.0, 0.0}));
    EXPECT_DOUBLE_EQ(expected_activations(ic, 0, 1, {}), 0.5);  // exact: 2 neighbours × 1/4
    EXPECT_EQ(ic_steps(0.0, 1.0), 0);
    EXPECT_EQ(ic_steps(0.3, 1.0), 1);
    EXPECT_EQ(ic_steps(1.0, 1.0), 1);
    EXPECT_EQ(ic_steps(1.2, 1.0), 2);
}

TEST(IndependentCascade, MonteCarloMatchesTheExactSpreadOnATree) {
    // Seed 0 → children 1, 2 (p = 0.5); each child → 3 own grandchildren (p = 0.3):
    // E[activations within 2 steps] = 2·0.5 + 2·0.5·3·0.3 = 1.9.
    out_adjacency tree{{0, 2, 5, 8, 8, 8, 8, 8, 8, 8}, {1, 2, 3, 4, 5, 6, 7, 8}};
    const auto ic = make_independent_cascade(tree, std::vector<double>{2.0, 1.0 / 0.3, 1.0 / 0.3, 1, 1, 1, 1, 1, 1});
    const ic_options options{.runs = 40000, .seed = 3};
    const double mc = expected_activations(ic, 0, 2, options);
    EXPECT_NEAR(mc, 1.9, 0.032);  // sd of one cascade ≈ 1.56: four standard errors of the mean
    EXPECT_EQ(expected_activations(ic, 0, 2, options), mc);  // deterministic given the seed
    EXPECT_NE(expected_activations(ic, 0, 2, {.runs = 40000, .seed = 4}), mc);
}

// End to end on synthetic topics: fit Q on the first 12 days, predict the daily series of the next
// 10 days for the top users by coverage and for random users, with IDM-CTMP and with IC.
struct comparison {
    average_errors ctmp_top, ic_top, ctmp_random, ic_random;
};
comparison compare(const communicator& comm) {
    const auto chain = random_ctmp_model({.n_users = 150, .mean_out_degree = 3.0, .rate_min = 1.0, .rate_max = 12.0,
                                          .absorbing_fraction = 0.15}, 21);
    const auto data = simulate_topics(chain, {.n_topics = 6000, .t_end = 22.0, .seed = 5});
    const double cut = 12.0;
    const auto model = estimate_ctmp(build_influence_network(data, {}, comm, cut));
    const auto all_topics = group_by_topic(data);
    const auto coverage = spreading_sizes_all_users(model, std::vector<double>{22.0}, {}, comm);
    std::vector<std::int32_t> everyone(150);
    std::iota(everyone.begin(), everyone.end(), 0);
    const auto top = top_k_users(coverage, 40), random = random_users(everyone, 40, 1);
    const auto share = topic_share(data, comm.rank(), comm.size());  // DDS sums over the ranks' topics
    const auto ic = make_independent_cascade(followers(data.graph),
                                             daily_spreading_sizes(share, group_by_topic(share), 0.0, cut, 1.0, comm));
    const period_grid train{0.0, 1.0, 12}, test{cut, 1.0, 10};
    comparison out;
    for (int set = 0; set < 2; ++set) {
        const auto mine = my_share(set == 0 ? top : random, comm);
        const auto table = propagate_spreading(model, mine, 1.0, {}, comm);
        std::vector<forecast_errors> e_ctmp, e_ic;
        for (std::size_t a = 0; a < mine.size(); ++a) {
            const auto windows = post_windows(data, all_topics, mine[a], test);
            const auto truth = observed_series(windows, test.periods);
            const double scale = naive_scale(observed_series(post_windows(data, all_topics, mine[a], train), train.periods));
            e_ctmp.push_back(forecast_error(predicted_series(windows, table, a, test.periods), truth, scale));
            const auto ic_values = ic_predictions(ic, mine[a], windows, {});
            e_ic.push_back(forecast_error(period_means(windows, ic_values, test.periods), truth, scale));
        }
        (set == 0 ? out.ctmp_top : out.ctmp_random) = average(e_ctmp, comm);
        (set == 0 ? out.ic_top : out.ic_random) = average(e_ic, comm);
    }
    return out;
}

TEST(IndependentCascade, DailySpreadingSizesSummedOverTheRanksTopicsEqualThoseOfEachUsersWholeWindows) {
    const auto chain = random_ctmp_model({.n_users = 60, .mean_out_degree = 3.0, .rate_min = 1.0, .rate_max = 12.0,
                                          .absorbing_fraction = 0.15}, 4);
    const auto data = simulate_topics(chain, {.n_topics = 800, .t_end = 10.0, .seed = 2});
    const auto share = topic_share(data, world().rank(), world().size());
    const auto split = daily_spreading_sizes(share, group_by_topic(share), 1.0, 7.0, 0.5, world());
    const auto all_topics = group_by_topic(data);
    ASSERT_EQ(split.size(), 60u);
    int spreading = 0;
    for (std::int32_t u = 0; u < 60; ++u) {
        // The definition on the whole data: the mean truth of u's windows over the number of days.
        const double expected = daily_spreading_size(post_windows(data, all_topics, u, {1.0, 6.0, 1}), 12.0);
        EXPECT_EQ(split[static_cast<std::size_t>(u)], expected) << "user " << u;  // bitwise: integer sums
        spreading += expected > 0.0;
    }
    EXPECT_GT(spreading, 30) << "the data must exercise the sums";
}

TEST(IndependentCascade, IdmCtmpHasALowerMaeThanIcOnSyntheticTopics) {
    const auto r = compare(world());
    EXPECT_LT(r.ctmp_top.mae, r.ic_top.mae);
    EXPECT_LT(r.ctmp_random.mae, r.ic_random.mae);
    EXPECT_LT(r.ctmp_top.rmse, r.ic_top.rmse);
    EXPECT_GT(r.ctmp_top.n_users_mase, 0);
    // The whole pipeline gives the same numbers on any number of ranks.
    const auto alone = compare(make_local_communicator());
    EXPECT_EQ(r.ctmp_top.mae, alone.ctmp_top.mae);
    EXPECT_EQ(r.ctmp_random.mase, alone.ctmp_random.mase);
    EXPECT_EQ(r.ic_top.mae, alone.ic_top.mae);
    if (world().is_root())
        std::printf("[ctmp vs ic] top-40 MAE %.4f vs %.4f, random-40 MAE %.4f vs %.4f; top MASE %.3f vs %.3f\n",
                    r.ctmp_top.mae, r.ic_top.mae, r.ctmp_random.mae, r.ic_random.mae, r.ctmp_top.mase, r.ic_top.mase);
}

} // namespace
} // namespace mic
