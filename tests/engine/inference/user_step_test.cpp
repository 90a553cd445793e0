// The user step (Alg. 1 step 2): every owned user's max L_u(θ_u | Σ) s.t. θ_u ≥ 0 by projected
// Newton. Checked against a second solver (LBFGSpp's L-BFGS-B on the same objective), against
// random feasible perturbations (−L_u is convex: a KKT point is a global optimum), and between the
// stored-features and streaming paths.
#include <gtest/gtest.h>

#include <LBFGSB.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "engine/inference/user_step.hpp"
#include "engine/likelihood/user_likelihood.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"
#include "tests/support/random_dataset.hpp"

namespace mic {
namespace {

using namespace mic::testing;

// A window with history before it (events in (0, 2] only excite).
likelihood_window test_window() { return {2.0, 10.0}; }

TEST(UserStep, ReachesAKKTPointThatNoFeasiblePerturbationImproves) {
    for (auto variant : all_variants) {
        const dataset data = small_dataset(7);
        const shard s = make_shard(data, all_users(data));
        const shard_kernels kernels(s, 1.5, test_window());
        model_params params = random_params(data, variant, 2.0, 1.5, 11);
        user_step step(kernels, std::size_t(1) << 30);
        const auto summary = step.run(params, {1e-10, 200});
        EXPECT_EQ(summary.not_converged, 0) << name_of(variant);
        EXPECT_LE(summary.max_kkt_residual, 1e-10);

        std::vector<double> loglik(s.owned.size()), residual(s.owned.size());
        step.check(params, loglik, residual);
        const event_model model = make_event_model(params);
        std::mt19937_64 rng(3);
        std::normal_distribution<double> normal;
        for (std::size_t i = 0; i < s.owned.size(); ++i) {
            EXPECT_LE(residual[i], 1e-10);
            ASSERT_TRUE(std::isfinite(loglik[i]));
            kernel_sweep sweep(kernels);
            const user_features f = build_user_features(sweep, i);
            user_objective objective(f, model);
            const auto theta = user_theta(params, s.owned[i]);
            for (int trial = 0; trial < 20; ++trial) {
                std::vector<double> other(theta);
                for (double& x : other) x = std::max(0.0, x + 1e-3 * (1 + x) * normal(rng));
                EXPECT_LE(objective.evaluate(other), loglik[i] + 1e-12 * std::abs(loglik[i]))
                    << name_of(variant) << " user " << s.owned[i];
            }
        }
    }
}

TEST(UserStep, AgreesWithLBFGSBOnTheSameProblems) {
    const dataset data = small_dataset(19);
    const shard s = make_shard(data, all_users(data));
    const shard_kernels kernels(s, 1.0, test_window());
    for (auto variant : all_variants) {
        model_params params = random_params(data, variant, 3.0, 1.0, 5);
        const model_params start = params;
        user_step step(kernels, std::size_t(1) << 30);
        step.run(params, {1e-10, 200});
        const event_model model = make_event_model(params);
        int compared = 0;
        for (std::size_t i = 0; i < s.owned.size(); ++i) {
            kernel_sweep sweep(kernels);
            const user_features f = build_user_features(sweep, i);
            if (f.n_events() == 0) continue;
            user_objective objective(f, model);
            const auto p = Eigen::Index(f.dimension());
            auto minus_loglik = [&](const Eigen::VectorXd& x, Eigen::VectorXd& grad) {
                std::vector<double> g(static_cast<std::size_t>(p));
                const double v = objective.evaluate(std::span(x.data(), std::size_t(p)), g);
                for (Eigen::Index j = 0; j < p; ++j) grad(j) = -g[std::size_t(j)];
                return std::isfinite(v) ? -v : 1e300;
            };
            LBFGSpp::LBFGSBParam<double> options;
            options.epsilon = 1e-9;
            options.epsilon_rel = 1e-9;
            options.max_iterations = 5000;
            LBFGSpp::LBFGSBSolver<double> solver(options);
            const auto theta0 = user_theta(start, s.owned[i]);
            Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(theta0.data(), p);
            double fx = 0;
            try {
                solver.minimize(minus_loglik, x, fx, Eigen::VectorXd::Zero(p),
                                Eigen::VectorXd::Constant(p, std::numeric_limits<double>::infinity()));
            } catch (const std::exception&) {
                // L-BFGS-B's line search may give up close to the optimum; x is its best point.
                fx = -objective.evaluate(std::span(x.data(), std::size_t(p)));
            }
            const double newton = objective.evaluate(user_theta(params, s.owned[i]));
            // Projected Newton is at least as good as L-BFGS-B, and not better by more than L-BFGS-B's
            // own inaccuracy.
            EXPECT_GE(newton, -fx - 1e-12 * std::abs(fx)) << name_of(variant) << " user " << s.owned[i];
            EXPECT_NEAR(newton, -fx, 1e-6 * std::abs(fx)) << name_of(variant) << " user " << s.owned[i];
            ++compared;
        }
        EXPECT_GT(compared, 3);
    }
}

TEST(UserStep, StoredStreamedAndPerSolveFeaturesGiveIdenticalResults) {
    const dataset data = small_dataset(23, /*integer_times=*/true);
    const shard s = make_shard(data, all_users(data));
    const shard_kernels kernels(s, 2.0, test_window());
    model_params stored = random_params(data, model_variant::mic, 5.0, 2.0, 8);
    model_params streamed = stored;
    user_step with_features(kernels, std::size_t(1) << 30), without(kernels, 0);
    EXPECT_EQ(with_features.cached_users(), s.owned.size());
    EXPECT_EQ(without.cached_users(), 0u);
    // A budget below the total but at least four times the largest user's features: some users are
    // kept, and the set-aside part holds the largest user, so every user not kept is solved on
    // features built for its solve.
    kernel_sweep sweep(kernels);
    std::size_t largest = 0;
    for (std::size_t i = 0; i < s.owned.size(); ++i) largest = std::max(largest, build_user_features(sweep, i).bytes());
    const std::size_t total = with_features.cached_bytes(), budget = std::max(4 * largest, total / 2);
    ASSERT_LT(budget, total);
    user_step part(kernels, budget);
    EXPECT_GT(part.cached_users(), 0u);
    EXPECT_LT(part.cached_users(), s.owned.size());
    EXPECT_EQ(part.scratch_bytes(), largest);
    EXPECT_LE(part.cached_bytes() + part.scratch_bytes(), budget);
    EXPECT_EQ(with_features.scratch_bytes(), 0u);  // everything fits: nothing set aside
    model_params partly = stored;
    const auto a = with_features.run(stored, {1e-10, 200});
    const auto b = without.run(streamed, {1e-10, 200});
    const auto c = part.run(partly, {1e-10, 200});
    EXPECT_EQ(stored.mu, streamed.mu);
    EXPECT_EQ(stored.weight, streamed.weight);
    EXPECT_EQ(a.loglik.value(), b.loglik.value());
    EXPECT_EQ(partly.mu, stored.mu);
    EXPECT_EQ(partly.weight, stored.weight);
    EXPECT_EQ(c.loglik.value(), a.loglik.value());
}

TEST(UserStep, SetsTheLargestFeaturesThatFitAsideAndStreamsOnlyUsersLargerThanTheWholeBudget) {
    const dataset data = small_dataset(29, /*integer_times=*/true);
    const shard s = make_shard(data, all_users(data));
    const shard_kernels kernels(s, 2.0, test_window());
    kernel_sweep sweep(kernels);
    std::vector<std::size_t> bytes;
    for (std::size_t i = 0; i < s.owned.size(); ++i) bytes.push_back(build_user_features(sweep, i).bytes());
    const std::size_t largest = *std::max_element(bytes.begin(), bytes.end());
    const auto larger_than = [&](std::size_t budget) {
        return std::size_t(std::count_if(bytes.begin(), bytes.end(), [&](std::size_t b) { return b > budget; }));
    };
    // A budget of exactly the largest user's features (far below four times it): that user is set
    // aside for its solve rather than streamed, and so is everyone else.
    user_step whole(kernels, std::size_t(1) << 30), tight(kernels, largest);
    EXPECT_EQ(tight.scratch_bytes(), largest);
    EXPECT_EQ(tight.streamed_users(), 0u);
    EXPECT_EQ(tight.largest_user_bytes(), largest);
    EXPECT_LE(tight.cached_bytes() + tight.scratch_bytes(), largest);
    // One byte less: the users above it are streamed, the largest of the rest is set aside.
    const std::size_t below = largest - 1;
    user_step short_of(kernels, below);
    ASSERT_GT(larger_than(below), 0u);
    ASSERT_LT(larger_than(below), s.owned.size());
    EXPECT_EQ(short_of.streamed_users(), larger_than(below));
    std::size_t next = 0;
    for (std::size_t b : bytes)
        if (b <= below) next = std::max(next, b);
    EXPECT_EQ(short_of.scratch_bytes(), next);
    // The same fit whichever way each user's features are held.
    model_params a = random_params(data, model_variant::mic, 5.0, 2.0, 8), b = a, c = a;
    const auto ra = whole.run(a, {1e-10, 200});
    const auto rb = tight.run(b, {1e-10, 200});
    const auto rc = short_of.run(c, {1e-10, 200});
    EXPECT_EQ(a.mu, b.mu);
    EXPECT_EQ(a.weight, b.weight);
    EXPECT_EQ(a.mu, c.mu);
    EXPECT_EQ(a.weight, c.weight);
    EXPECT_EQ(ra.loglik.value(), rb.loglik.value());
    EXPECT_EQ(ra.loglik.value(), rc.loglik.value());
}

// Users with fewer events than in-neighbours (a complete graph): the factored Newton systems take the
// Gram form (newton_direction.hpp), with and without the baseline prior.
dataset dense_dataset(std::int32_t n_cascades, std::uint64_t seed) {
    random_dataset_spec spec;
    spec.n_users = 40;
    spec.n_cascades = n_cascades;
    spec.edge_probability = 1.0;
    spec.mean_events_per_user = 8.0;
    spec.fraction_silent_users = 0.1;
    spec.with_names = false;
    return make_random_dataset(spec, seed);
}

TEST(UserStep, FactoredAndDenseNewtonSystemsReachTheSameOptimumForAllVariants) {
    struct problem {
        dataset data;
        double pseudo_events;
    };
    const problem problems[] = {{small_dataset(41), 0.0}, {small_dataset(43), 0.1}, {dense_dataset(1, 45), 0.0},
                                {dense_dataset(3, 47), 0.1}};
    for (const auto& [data, pseudo_events] : problems) {
        const shard s = make_shard(data, all_users(data));
        const shard_kernels kernels(s, 1.2, test_window());
        for (auto variant : all_variants) {
            model_params factored = random_params(data, variant, 3.0, 1.2, 9), dense = factored;
            user_step step(kernels, std::size_t(1) << 30, baseline_prior{pseudo_events});
            const auto a = step.run(factored, {1e-10, 200, false});
            const auto b = step.run(dense, {1e-10, 200, true});
            EXPECT_EQ(a.not_converged, 0) << name_of(variant);
            EXPECT_EQ(b.not_converged, 0) << name_of(variant);
            const double objective_a = a.loglik.value() + a.log_prior.value();
            const double objective_b = b.loglik.value() + b.log_prior.value();
            EXPECT_NEAR(objective_a, objective_b, 1e-9 * std::abs(objective_b)) << name_of(variant);
            // The same point (up to the tolerance: the optimum is unique here).
            double largest = 0;
            for (std::size_t i = 0; i < factored.weight.size(); ++i)
                largest = std::max(largest, std::abs(factored.weight[i] - dense.weight[i]));
            for (std::size_t i = 0; i < factored.mu.size(); ++i)
                largest = std::max(largest, std::abs(factored.mu[i] - dense.mu[i]));
            EXPECT_LT(largest, 1e-5) << name_of(variant);
        }
    }
}

TEST(UserStep, StartsFromAPointWhereEventsAreImpossible) {
    const dataset data = small_dataset(29);
    const shard s = make_shard(data, all_users(data));
    const shard_kernels kernels(s, 1.0, test_window());
    for (auto variant : all_variants) {
        model_params params = random_params(data, variant, 1.0, 1.0, 2);
        std::fill(params.mu.begin(), params.mu.end(), 0.0);  // L_u = −inf for users with events
        std::fill(params.weight.begin(), params.weight.end(), 0.0);
        user_step step(kernels, std::size_t(1) << 30);
        const auto summary = step.run(params, {1e-10, 200});
        EXPECT_TRUE(std::isfinite(summary.loglik.value())) << name_of(variant);
        EXPECT_EQ(summary.not_converged, 0) << name_of(variant);
    }
}

} // namespace
} // namespace mic
