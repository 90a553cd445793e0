// The whole of Alg. 1 over the ranks of the run: L never decreases, the fit ends at a KKT point of
// both steps, the parameters do not depend on the number of ranks, and a fit resumed from the
// parameters of iteration k repeats the uninterrupted run exactly. Also the cost partition.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "engine/inference/cost_partition.hpp"
#include "engine/inference/fit.hpp"
#include "engine/support/error.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using namespace mic::testing;

dataset fit_dataset() {
    random_dataset_spec spec;
    spec.n_users = 24;
    spec.n_cascades = 3;
    spec.edge_probability = 0.2;
    spec.self_loops = true;
    spec.mean_events_per_user = 10.0;
    spec.t_end = 30.0;
    spec.with_names = false;
    return make_random_dataset(spec, 91);
}

const likelihood_window window{3.0, 30.0};

// This rank's users under the cost partition of the run's ranks.
shard balanced_shard(const dataset& data, const communicator& comm) {
    const auto work = user_work(data.events.user_offsets, data.graph.in_offsets, data.graph.in_source);
    return make_shard(data, range_partition::balanced(work, comm.size()).owned(comm.rank()));
}

fit_result run_fit(const communicator& comm, const dataset& data, model_variant variant, int max_iterations,
                   std::vector<double>* trace = nullptr, bool profile_newton = true, int* profile_steps = nullptr) {
    const shard s = balanced_shard(data, comm);
    const shard_kernels kernels(s, 1.5, window);
    const model_params start = initial_params(kernels, variant, 2.0, 1.5);
    fit_options options;
    options.tolerance = 1e-12;
    options.user.tolerance = options.sigma.tolerance = 1e-9;
    options.max_iterations = max_iterations;
    options.sigma_step = profile_newton ? sigma_step_kind::profile : sigma_step_kind::plain;
    return fit_model(comm, s, window, start, options, [&](const fit_progress& p, const model_params*) {
        if (trace) trace->push_back(p.objective);
        if (profile_steps) *profile_steps += p.profile_step;
    });
}

TEST(CostPartition, CutsUsersIntoContiguousRangesOfAboutEqualWork) {
    const std::vector<double> work{5, 1, 1, 1, 1, 1, 4, 1, 1, 1, 1, 1, 1};
    const auto p = range_partition::balanced(work, 3);
    ASSERT_EQ(p.first.size(), 4u);
    EXPECT_EQ(p.first.front(), 0);
    EXPECT_EQ(p.first.back(), 13);
    const auto per_rank = p.work_per_rank(work);
    double total = 0;
    for (int r = 0; r < 3; ++r) {
        EXPECT_LE(p.first[std::size_t(r)], p.first[std::size_t(r) + 1]);
        total += per_rank[std::size_t(r)];
    }
    EXPECT_EQ(total, 20.0);
    EXPECT_LE(work_imbalance(p, work), 1.2);
    // More ranks than users: some ranks own nothing, every user is owned once.
    const auto q = range_partition::balanced(std::vector<double>{1, 1}, 3);
    EXPECT_EQ(q.owned(0).size() + q.owned(1).size() + q.owned(2).size(), 2u);
}

TEST(CostPartition, CountsOwnAndInNeighbourEvents) {
    // Users 0, 1, 2 with 2, 0, 3 events; 2 ← {0, 1}.
    const std::vector<std::int64_t> offsets{0, 2, 2, 5}, in_offsets{0, 0, 0, 2};
    const std::vector<std::int32_t> in_source{0, 1};
    EXPECT_EQ(user_work(offsets, in_offsets, in_source), (std::vector<double>{3, 1, 6}));
}

TEST(Fit, LikelihoodNeverDecreasesAndTheFitEndsAtAKKTPoint) {
    const dataset data = fit_dataset();
    for (auto variant : all_variants) {
        std::vector<double> trace;
        const fit_result r = run_fit(world(), data, variant, 60, &trace);
        ASSERT_GE(trace.size(), 2u);
        for (std::size_t k = 1; k < trace.size(); ++k)
            EXPECT_GE(trace[k], trace[k - 1] - 1e-13 * std::abs(trace[k - 1])) << name_of(variant) << " iteration " << k;
        EXPECT_NEAR(r.objective(), trace.back(), 1e-12 * std::abs(r.loglik));
        EXPECT_TRUE(r.converged) << name_of(variant);
        EXPECT_LE(r.max_user_kkt, 1e-8) << name_of(variant);
        EXPECT_LE(r.sigma_kkt, 1e-8) << name_of(variant);  // the profile Σ-step reaches ~1e-9
        EXPECT_NO_THROW(validate(r.params, "fitted parameters"));
    }
}

TEST(Fit, PlainAndProfileSigmaStepsBothAscendToTheSameOptimumAndProfileStepsNeedFewerIterations) {
    const dataset data = fit_dataset();
    for (auto variant : {model_variant::mic, model_variant::linmic}) {
        std::vector<double> plain_trace, profile_trace;
        int taken = 0, never = 0;
        const fit_result plain = run_fit(world(), data, variant, 300, &plain_trace, false, &never);
        const fit_result profile = run_fit(world(), data, variant, 300, &profile_trace, true, &taken);
        EXPECT_EQ(never, 0);
        if (variant == model_variant::mic) {
            EXPECT_GT(taken, 0);  // (linmic's Σ = I is already a KKT point on this data: no step to take)
        }
        for (const auto* trace : {&plain_trace, &profile_trace})
            for (std::size_t k = 1; k < trace->size(); ++k) EXPECT_GE((*trace)[k], (*trace)[k - 1]) << name_of(variant);
        EXPECT_LE(profile.iterations, plain.iterations) << name_of(variant);
        EXPECT_NEAR(profile.loglik, plain.loglik, 1e-9 * std::abs(plain.loglik)) << name_of(variant);
        EXPECT_NEAR(profile.params.sigma[1], plain.params.sigma[1], 1e-3) << name_of(variant);
        // The profile step ends at a tighter KKT point of Σ than the crawling alternation.
        EXPECT_LE(profile.sigma_kkt, 1e-8) << name_of(variant);
        std::printf("%s: plain %d iterations (Sigma KKT %.2g), profile %d iterations (Sigma KKT %.2g)\n",
                    name_of(variant).data(), plain.iterations, plain.sigma_kkt, profile.iterations, profile.sigma_kkt);
    }
}

TEST(Fit, GivesTheSameParametersOnAnyNumberOfRanks) {
    const dataset data = fit_dataset();
    for (auto variant : {model_variant::mic, model_variant::linmic}) {
        const fit_result distributed = run_fit(world(), data, variant, 8);
        const fit_result alone = run_fit(make_local_communicator(), data, variant, 8);
        EXPECT_EQ(distributed.iterations, alone.iterations);
        // Rank 0 holds every user's row, the other ranks their own users' rows.
        EXPECT_EQ(distributed.params.holds_every_row(), world().is_root());
        // Bitwise: every user's solve depends on its own data and Σ only, and every sum over ranks is
        // exact (compensated_sum.hpp), so Σ and every decision are the same bits on any number of ranks.
        const model_params expected = same_rows(alone.params, distributed.params);
        EXPECT_EQ(distributed.params.mu, expected.mu) << name_of(variant);
        EXPECT_EQ(distributed.params.weight, expected.weight) << name_of(variant);
        EXPECT_EQ(distributed.params.sigma, alone.params.sigma) << name_of(variant);
        EXPECT_EQ(distributed.params.in_source, expected.in_source);
        EXPECT_EQ(alone.params.in_source, data.graph.in_source);
        EXPECT_EQ(distributed.loglik, alone.loglik) << name_of(variant);
    }
}

TEST(Fit, ARankThatOwnsNoUserFitsAlongAndRankZeroGetsEveryRow) {
    // The users split over all ranks but the last, which owns none (as with more ranks than users).
    const dataset data = fit_dataset();
    const int size = world().size(), r = world().rank();
    const int parts = std::max(1, size - 1);
    const auto partition = range_partition::even(data.header.n_users, parts);
    const shard s = make_shard(data, r < parts ? partition.owned(r) : std::vector<std::int32_t>{});
    const shard_kernels kernels(s, 1.5, window);
    fit_options options;  // as run_fit's
    options.tolerance = 1e-12;
    options.user.tolerance = options.sigma.tolerance = 1e-9;
    options.sigma_step = sigma_step_kind::profile;
    options.max_iterations = 4;
    options.gather_every_iteration = true;
    int checkpoints = 0;
    const fit_result fit = fit_model(world(), s, window, initial_params(kernels, model_variant::mic, 2.0, 1.5), options,
                                     [&](const fit_progress&, const model_params* p) {
                                         ASSERT_NE(p, nullptr);
                                         EXPECT_EQ(p->holds_every_row(), world().is_root());
                                         ++checkpoints;
                                     });
    const fit_result alone = run_fit(make_local_communicator(), data, model_variant::mic, 4);
    EXPECT_EQ(checkpoints, fit.iterations + 1);
    EXPECT_EQ(fit.params.holds_every_row(), world().is_root());
    if (size > 1 && r == size - 1) {
        EXPECT_EQ(fit.params.rows(), 0);
    }
    const model_params expected = same_rows(alone.params, fit.params);
    EXPECT_LE(relative_error(fit.params.mu, expected.mu, 1e-3), 1e-8);
    EXPECT_LE(relative_error(fit.params.weight, expected.weight, 1e-3), 1e-8);
    EXPECT_NEAR(fit.loglik, alone.loglik, 1e-10 * std::abs(alone.loglik));
    EXPECT_NEAR(fit.rho_tau, alone.rho_tau, 1e-8 * alone.rho_tau);
}

TEST(Fit, GatheringOnTheRootRestoresUserOrderWhateverUsersEachRankOwns) {
    // Rank r owns the users u with u mod size = r (interleaved: not ranges in rank order).
    const dataset data = fit_dataset();
    std::vector<std::int32_t> owned;
    for (std::int32_t u = world().rank(); u < data.header.n_users; u += world().size()) owned.push_back(u);
    const shard s = make_shard(data, owned);
    const model_params local = initial_params(shard_kernels(s, 1.5, window), model_variant::mic, 2.0, 1.5);
    const model_params gathered = gather_params_on_root(world(), s, local);
    if (!world().is_root()) {
        EXPECT_EQ(gathered.rows(), 0);
        return;
    }
    std::vector<std::int32_t> everyone(std::size_t(data.header.n_users));
    std::iota(everyone.begin(), everyone.end(), 0);
    const shard whole = make_shard(data, everyone);
    const model_params expected = initial_params(shard_kernels(whole, 1.5, window), model_variant::mic, 2.0, 1.5);
    EXPECT_TRUE(gathered.holds_every_row());
    EXPECT_EQ(gathered.mu, expected.mu);
    EXPECT_EQ(gathered.in_offsets, expected.in_offsets);
    EXPECT_EQ(gathered.in_source, expected.in_source);
    EXPECT_EQ(gathered.weight, expected.weight);
}

TEST(Fit, ResumedFromIterationKRepeatsTheUninterruptedRun) {
    const dataset data = fit_dataset();
    const shard s = balanced_shard(data, world());
    const shard_kernels kernels(s, 1.5, window);
    const model_params start = initial_params(kernels, model_variant::mic, 2.0, 1.5);
    fit_options options;
    options.tolerance = 1e-14;
    options.max_iterations = 5;
    const fit_result whole = fit_model(world(), s, window, start, options);

    // The checkpoint of iteration 2 of the same run (as `mic fit --checkpoint` writes it). A run
    // stopped by --max-iter 2 would differ: its last iteration is not over-relaxed (fit.cpp).
    model_params checkpoint;
    double checkpoint_loglik = 0;
    options.gather_every_iteration = true;
    fit_model(world(), s, window, start, options, [&](const fit_progress& p, const model_params* all) {
        ASSERT_NE(all, nullptr);
        if (p.iteration != 2) return;
        checkpoint = *all;
        checkpoint_loglik = p.objective;
    });
    options.gather_every_iteration = false;
    options.max_iterations = 5;
    options.start_iteration = 2;
    options.previous_objective = checkpoint_loglik;
    const fit_result resumed = fit_model(world(), s, window, checkpoint, options);
    EXPECT_EQ(resumed.iterations, whole.iterations);
    EXPECT_EQ(resumed.params.mu, whole.params.mu);
    EXPECT_EQ(resumed.params.weight, whole.params.weight);
    EXPECT_EQ(resumed.params.sigma, whole.params.sigma);
    EXPECT_EQ(resumed.loglik, whole.loglik);
}

TEST(Fit, StartingParametersThatDoNotMatchTheDataFailOnEveryRank) {
    const dataset data = fit_dataset();
    const shard s = balanced_shard(data, world());
    const shard_kernels kernels(s, 1.5, window);
    model_params start = initial_params(kernels, model_variant::mic, 2.0, 1.5);
    // Only the rank that owns the last user finds that its in-neighbour list is wrong.
    const std::int32_t last = data.header.n_users - 1;
    start.n_users = data.header.n_users;
    if (!s.owned.empty() && s.owned.back() == last && !start.in_neighbours(last).empty())
        start.in_source[std::size_t(start.in_offsets[start.row(last)])] = (start.in_neighbours(last)[0] + 1) % last;
    ASSERT_GT(data.graph.in_neighbours(last).size(), 0u);
    EXPECT_THROW(fit_model(world(), s, window, start, fit_options{}), agreed_error);
}

} // namespace
} // namespace mic
