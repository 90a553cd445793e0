// `mic cv`'s job: it picks the β and τ that generated synthetic data, gives the same table on any
// number of ranks, splits the ranks into work groups (3 ranks, 2 chains: groups of 2 and 1), and does
// not refit finished points.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/jobs/cv_job.hpp"
#include "engine/simulation/graph_generators.hpp"
#include "engine/inference/cost_partition.hpp"
#include "tests/engine/inference/synthetic_fit.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using namespace mic::testing;

struct cv_fixture {
    model_params truth;
    dataset data;
};

// The paper's Sec. 7.2 draw at β = 100, τ = 3 on 40 users over 1200 time units (~30 000 events).
const cv_fixture& fixture() {
    static const cv_fixture f = [] {
        parameter_draw draw = paper_draw(0.05);
        draw.beta = 100;
        cv_fixture r;
        r.truth = draw_parameters(erdos_renyi_graph(40, 0.12, 4), draw, 4);
        r.data = simulate_dataset(r.truth, 1200, 4);
        return r;
    }();
    return f;
}

cv_plan plan_of(std::vector<model_variant> variants, std::vector<double> betas, std::vector<double> taus) {
    const dataset& d = fixture().data;
    cv_plan plan;
    plan.variants = std::move(variants);
    plan.betas = std::move(betas);
    plan.taus = std::move(taus);
    plan.t_start = d.header.t_start;
    plan.cuts = {split_time(d, 0.6), split_time(d, 0.8)};
    plan.work = user_work(d.events.user_offsets, d.graph.in_offsets, d.graph.in_source);
    return plan;
}

cv_result run(const communicator& comm, const cv_plan& plan, int* fits = nullptr) {
    const auto read = [](const communicator&, std::span<const std::int32_t> owned) { return make_shard(fixture().data, owned); };
    const auto count = [fits](const communicator& group, const cv_row&, const model_params&) {
        if (fits && group.is_root()) ++*fits;
    };
    return run_cv_job(comm, plan, read, count);
}

TEST(CrossValidation, PicksTheBetaAndTauThatGeneratedTheDataWithinOneGridStep) {
    const cv_plan plan = plan_of({model_variant::mic}, {10, 100, 1000}, {1, 3, 9});
    const cv_result r = run(world(), plan);
    ASSERT_EQ(r.scores.size(), 9u);
    const cv_score& best = r.scores[r.best];
    if (world().is_root()) std::printf("best beta %g tau %g (validation loglik %.3f)\n", best.beta, best.tau, best.validation_loglik);
    EXPECT_EQ(best.tau, 3.0);
    EXPECT_TRUE(best.beta == 100 || best.beta == 10 || best.beta == 1000);
    EXPECT_LE(std::abs(std::log10(best.beta) - 2.0), 1.0 + 1e-12);
    // The same table alone as on the ranks of this run.
    const cv_result alone = run(make_local_communicator(), plan);
    ASSERT_EQ(alone.rows.size(), r.rows.size());
    for (std::size_t i = 0; i < r.rows.size(); ++i)
        EXPECT_NEAR(alone.rows[i].validation_loglik, r.rows[i].validation_loglik, 1e-9 * std::abs(r.rows[i].validation_loglik)) << i;
    EXPECT_EQ(alone.best, r.best);
}

TEST(CrossValidation, SplitsTheRanksIntoOneWorkGroupPerChainAtMostAndSkipsFinishedPoints) {
    // Two chains (ic at τ = 1 and τ = 3): with 3 ranks, groups of 2 and 1 ranks.
    cv_plan plan = plan_of({model_variant::ic}, {1}, {1, 3});
    int fits = 0;
    const cv_result r = run(world(), plan, &fits);
    EXPECT_EQ(r.groups, std::min(2, world().size()));
    EXPECT_EQ(world().sum<std::int64_t>(fits), 2);  // each point fitted once, by one group
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].tau, 1.0);
    EXPECT_EQ(r.rows[1].tau, 3.0);
    // Given the first as finished, only the second is fitted; the table is the same.
    plan.done = {r.rows[0]};
    int refits = 0;
    const cv_result again = run(world(), plan, &refits);
    EXPECT_EQ(world().sum<std::int64_t>(refits), 1);
    EXPECT_EQ(again.rows.size(), 2u);
    EXPECT_NEAR(again.rows[1].validation_loglik, r.rows[1].validation_loglik, 1e-9 * std::abs(r.rows[1].validation_loglik));
}

TEST(CrossValidation, ReportsAndChoosesOnlyPointsOfItsGridWhenTheStateHoldsAnEarlierLargerGrid) {
    // An earlier run of mic and ic at τ = 1 and 3 left its rows, among them a mic point that beats
    // everything; this run asks for ic at τ = 1 only.
    cv_plan plan = plan_of({model_variant::ic}, {10}, {1});
    const auto row = [](model_variant v, double beta, double tau, double loglik) {
        cv_row r;
        r.variant = std::int32_t(v), r.fold = 1, r.beta = beta, r.tau = tau, r.validation_loglik = loglik;
        r.validation_events = 10, r.converged = 1;
        return r;
    };
    plan.done = {row(model_variant::mic, 100, 1, 1e9), row(model_variant::ic, 10, 3, 1e9), row(model_variant::ic, 1000, 1, -5),
                 row(model_variant::cc, 10, 1, 1e9)};
    int fits = 0;
    const cv_result r = run(world(), plan, &fits);
    EXPECT_EQ(world().sum<std::int64_t>(fits), 0);  // ic at τ = 1 is finished (its β unused), nothing to fit
    ASSERT_EQ(r.rows.size(), 1u);
    ASSERT_EQ(r.scores.size(), 1u);
    EXPECT_EQ(model_variant(r.rows[0].variant), model_variant::ic);
    EXPECT_EQ(r.rows[0].tau, 1.0);
    EXPECT_EQ(r.rows[0].beta, 10.0);  // the grid's β, not the earlier run's
    EXPECT_EQ(r.scores[r.best].validation_loglik, -5.0);
    EXPECT_EQ(r.scores[r.best].variant, model_variant::ic);
}

TEST(CrossValidation, KeepsOneRowPerPointOfTheGridFromAnEarlierRun) {
    cv_plan plan = plan_of({model_variant::mic, model_variant::linmic}, {10, 100}, {1});
    cv_row a;
    a.variant = std::int32_t(model_variant::mic), a.fold = 1, a.beta = 100, a.tau = 1;
    cv_row outside = a;
    outside.beta = 1000;
    cv_row linear = a;
    linear.variant = std::int32_t(model_variant::linmic), linear.beta = 7;
    cv_row linear_again = linear;
    linear_again.beta = 8;
    cv_row refitted = a;  // the same point fitted again (its parameters file had gone): the later row stands
    refitted.validation_loglik = -3;
    const std::vector<cv_row> finished{a, outside, refitted, linear, linear_again};
    const auto kept = rows_in_grid(plan, finished);
    ASSERT_EQ(kept.size(), 2u);
    EXPECT_EQ(kept[0].beta, 100.0);
    EXPECT_EQ(kept[0].validation_loglik, -3.0);
    EXPECT_EQ(model_variant(kept[1].variant), model_variant::linmic);
    EXPECT_EQ(kept[1].beta, 10.0);
}

} // namespace
} // namespace mic
