// The spread job with the topics split over ranks: every series and error equal, bit for bit, to one
// process holding the whole dataset; and a rank given topics outside its share is refused on every
// rank (instead of counting those topics twice).
#include <gtest/gtest.h>

#include <utility>

#include "engine/ctmp/topic_posts.hpp"
#include "engine/ctmp/topic_simulation.hpp"
#include "engine/jobs/spread_job.hpp"
#include "engine/support/error.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using testing::world;

dataset synthetic_topics() {
    const auto chain = random_ctmp_model({.n_users = 80, .mean_out_degree = 3.0, .rate_min = 1.0, .rate_max = 12.0,
                                          .absorbing_fraction = 0.15}, 8);
    return simulate_topics(chain, {.n_topics = 1500, .t_end = 18.0, .seed = 3});
}

spread_plan plan_for(bool extrapolate, bool follow_graph = false) {
    spread_plan plan;
    plan.window = 1.0;
    plan.ic_step = 1.0;
    plan.train_until = 12.0;
    plan.periods = 6;
    plan.training_periods = 10;
    plan.training_start = 2.0;
    plan.top_k = 12;
    plan.random_k = 12;
    plan.ic_runs = 50;
    plan.seed = 5;
    plan.extrapolate_posts = extrapolate;
    plan.follow_graph = follow_graph;
    return plan;
}

TEST(SpreadJob, TopicsSplitOverRanksGiveEverySeriesOfOneProcessWithTheWholeData) {
    const auto data = synthetic_topics();
    ASSERT_GT(data.graph.n_edges(), 0);
    for (const auto& [extrapolate, follow]: {std::pair{false, false}, std::pair{true, false}, std::pair{false, true}}) {
        const auto plan = plan_for(extrapolate, follow);
        const auto split = run_spread_job(world(), plan, topic_share(data, world().rank(), world().size()));
        const auto alone = run_spread_job(make_local_communicator(), plan, data);
        EXPECT_EQ(split.n_transitions, alone.n_transitions);
        ASSERT_EQ(split.sets.size(), 2u);
        for (std::size_t s = 0; s < 2; ++s) {
            SCOPED_TRACE(alone.sets[s].name + (extrapolate ? ", extrapolated" : "") + (follow ? ", follow graph" : ""));
            const auto &a = split.sets[s], &b = alone.sets[s];
            EXPECT_EQ(a.users, b.users);
            EXPECT_EQ(a.observed, b.observed);
            EXPECT_EQ(a.training_observed, b.training_observed);
            EXPECT_EQ(a.predicted_ctmp, b.predicted_ctmp);
            EXPECT_EQ(a.predicted_ic, b.predicted_ic);
            EXPECT_EQ(a.average_ctmp.mae, b.average_ctmp.mae);
            EXPECT_EQ(a.average_ic.mase, b.average_ic.mase);
            double truth = 0.0;
            for (const double y: b.observed) truth += y;
            EXPECT_GT(truth, 0.0) << "the test periods must hold spreading to compare";
        }
    }
}

TEST(SpreadJob, ACascadeIdOutsideTheRangeBelongsToNoShareAndIsRefused) {
    auto data = synthetic_topics();
    data.events.cascade[5] = -1;  // -1 % n is negative: it would silently fall out of every share
    EXPECT_THROW(topic_share(data, 0, 2), input_error);
    data.events.cascade[5] = data.header.n_cascades;
    EXPECT_THROW(topic_share(data, 0, 1), input_error);
}

TEST(SpreadJob, ARankHoldingTopicsOutsideItsShareIsRefusedOnEveryRank) {
    if (world().size() == 1) GTEST_SKIP() << "one rank holds every topic";
    EXPECT_THROW(run_spread_job(world(), plan_for(false), synthetic_topics()), agreed_error);
}

} // namespace
} // namespace mic
