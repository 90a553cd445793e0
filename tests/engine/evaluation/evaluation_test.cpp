// The pieces of `mic evaluate` on hand-made inputs with known answers, and the whole job equal on
// 1, 2 and 3 ranks.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/evaluation/activity_groups.hpp"
#include "engine/evaluation/curve_metrics.hpp"
#include "engine/evaluation/history_drive.hpp"
#include "engine/jobs/evaluate_job.hpp"
#include "engine/simulation/graph_generators.hpp"
#include "tests/engine/inference/synthetic_fit.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using namespace mic::testing;

TEST(CurveMetrics, InverseL1IsOneForEqualCurvesAndFallsWithTheRelativeDistance) {
    const std::vector<double> real{1, 2, 3, 4};
    EXPECT_DOUBLE_EQ(inverse_l1_distance(real, real), 1.0);
    // Σ|r − s| = 2, Σ r = 10: l1 = 0.2, inverse 1/1.2.
    EXPECT_DOUBLE_EQ(inverse_l1_distance(real, std::vector<double>{2, 2, 3, 5}), 1.0 / 1.2);
    EXPECT_DOUBLE_EQ(inverse_l1_distance(std::vector<double>{0, 0}, std::vector<double>{1, 0}), 0.0);
}

TEST(CurveMetrics, PearsonIsOneForAffineCurvesMinusOneForReversedAndUndefinedForFlat) {
    const std::vector<double> x{1, 2, 3, 4};
    EXPECT_NEAR(pearson_correlation(x, std::vector<double>{3, 5, 7, 9}), 1.0, 1e-15);
    EXPECT_NEAR(pearson_correlation(x, std::vector<double>{4, 3, 2, 1}), -1.0, 1e-15);
    // x = (1,2,3,4), y = (1,3,2,4): cov 4/4·…: r = 0.8 exactly.
    EXPECT_NEAR(pearson_correlation(x, std::vector<double>{1, 3, 2, 4}), 0.8, 1e-15);
    EXPECT_TRUE(std::isnan(pearson_correlation(x, std::vector<double>{2, 2, 2, 2})));
}

TEST(CurveMetrics, RankedCountsAndMomentsOverReplicas) {
    EXPECT_EQ(ranked(std::vector<double>{3, 9, 1}), (std::vector<double>{9, 3, 1}));
    // Replicas 2, 4, 6 of one quantity: mean 4, sd 2.
    const moments m = moments_of(std::vector<double>{12}, std::vector<double>{56}, 3);
    EXPECT_DOUBLE_EQ(m.mean[0], 4.0);
    EXPECT_DOUBLE_EQ(m.sd[0], 2.0);
}

TEST(ActivityGroups, TheTopFractionsAreTheMostActiveUsersWithTiesByIdAndTheirSumsAndMeans) {
    const std::vector<double> activity{5, 50, 20, 20, 1, 0, 7, 3, 2, 9};
    const std::vector<double> loglik{-1, -10, -4, -6, -0.5, 0, -2, -1, -1, -3};
    const std::vector<std::int64_t> events{1, 8, 3, 2, 0, 0, 1, 1, 1, 2};
    const auto g = top_activity_groups(activity, loglik, events, std::vector<double>{0.1, 0.25, 0.3});
    ASSERT_EQ(g.size(), 3u);
    EXPECT_EQ(g[0].n_users, 1);  // ⌈0.1·10⌉: user 1
    EXPECT_DOUBLE_EQ(g[0].loglik, -10);
    EXPECT_EQ(g[1].n_users, 3);  // users 1, 2, 3 (2 and 3 tie at 20: both in)
    EXPECT_DOUBLE_EQ(g[1].loglik, -20);
    EXPECT_EQ(g[1].n_events, 13);
    EXPECT_DOUBLE_EQ(g[1].mean_per_user, -20.0 / 3);
    EXPECT_EQ(g[2].n_users, 3);
}

// Two users: 0 → 1 with w = 0.5, τ = 2; user 0 posts in cascade 1 at t = 1 and t = 3, and at t = 5.
TEST(HistoryDrive, SumsTheDecayedEventsAtOrBeforeTheStartOverInNeighbours) {
    dataset d;
    d.header = {2, 2, 0.0, 10.0, "", ""};
    d.events.user_offsets = {0, 3, 3};
    d.events.cascade = {1, 1, 0};
    d.events.time = {1, 3, 5};
    d.graph.in_offsets = {0, 0, 1};
    d.graph.in_source = {0};
    model_params p = make_uniform_params(model_variant::mic, 1, 2.0, 2, d.graph, 0.1, 0.5);
    const shard s = make_shard(d, std::vector<std::int32_t>{0, 1});
    const auto x = local_history_drive(s, p, 3.0);  // the event at t = 3 is history
    ASSERT_EQ(x.size(), 4u);
    EXPECT_DOUBLE_EQ(x[2], 0.0);
    EXPECT_DOUBLE_EQ(x[3], 0.5 * (std::exp(-1.0) + 1.0));
    EXPECT_DOUBLE_EQ(x[0] + x[1], 0.0);  // user 0 has no in-neighbour
}

TEST(EvaluateJob, GivesTheSameReportOnAnyNumberOfRanks) {
    parameter_draw draw = paper_draw(0.05);
    const model_params truth = draw_parameters(erdos_renyi_graph(30, 0.15, 2), draw, 5);
    const dataset data = simulate_dataset(truth, 200, 4);
    const auto run = [&](const communicator& comm) {
        evaluate_plan plan;
        plan.test = {split_time(data, 0.8), data.header.t_end};
        plan.partition = range_partition::even(data.header.n_users, comm.size());
        plan.replicas = 5;
        plan.bins = 8;
        return run_evaluate_job(comm, plan, make_shard(data, plan.partition.owned(comm.rank())), truth);
    };
    const evaluation_report a = run(world()), b = run(make_local_communicator());
    EXPECT_NEAR(a.loglik, b.loglik, 1e-12 * std::abs(b.loglik));
    EXPECT_EQ(a.user_events, b.user_events);
    EXPECT_EQ(a.simulated_intensity, b.simulated_intensity);  // integer counts: exact
    EXPECT_EQ(a.simulated_user_ranked, b.simulated_user_ranked);
    EXPECT_EQ(a.real_intensity, b.real_intensity);
    // The curves hold the events: the real ones the held-out events, the simulated ones the mean
    // events per cascade.
    const double width = b.bin_edges[1] - b.bin_edges[0];
    double real = 0, simulated = 0, per_cascade = 0;
    for (double x : b.real_intensity) real += x * width;
    for (double x : b.simulated_intensity) simulated += x * width;
    for (double x : b.simulated_cascade_events) per_cascade += x;
    EXPECT_NEAR(real, double(b.n_events), 1e-9);
    EXPECT_NEAR(simulated, per_cascade, 1e-9 * per_cascade);
    EXPECT_EQ(b.pearson.size(), std::size_t(truth.n_cascades) + 1);
}

} // namespace
} // namespace mic
