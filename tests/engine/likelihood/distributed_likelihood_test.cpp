// Users sharded across the ranks of the run (1, 2 or 3 under ctest): the totals and per-user values
// equal the single-process values bitwise, and a bad input on one rank fails every rank without a hang.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "engine/distributed/partition.hpp"
#include "engine/likelihood/distributed_sigma_objective.hpp"
#include "engine/likelihood/shard_likelihood.hpp"
#include "engine/support/error.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"
#include "tests/engine/reference/naive_mic.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using namespace mic::testing;

// The same dataset on every rank (fixed seed); each rank keeps its block of users.
dataset medium_dataset(bool ties) {
    random_dataset_spec spec;
    spec.n_users = 40;
    spec.n_cascades = 3;
    spec.edge_probability = 0.15;
    spec.self_loops = true;
    spec.mean_events_per_user = 8.0;
    spec.integer_times = ties;
    spec.t_end = 20.0;
    spec.with_names = false;
    return make_random_dataset(spec, 41);
}

shard my_shard(const dataset& data) {
    return make_shard(data, range_partition::even(data.header.n_users, world().size()).owned(world().rank()));
}

TEST(DistributedLoglik, TotalsEqualTheSingleProcessAndNaiveValuesOnAnyNumberOfRanks) {
    for (auto v: all_variants)
        for (bool ties: {false, true}) {
            const auto data = medium_dataset(ties);
            const auto params = random_params(data, v, 2.5, 1.7, 42);
            const likelihood_window window{3.0, 20.0};
            const auto mine = my_shard(data);
            const auto whole = make_shard(data, all_users(data));
            const auto sharded = evaluate_loglik(world(), mine, params, window, "p.h5");
            const auto single = evaluate_loglik(make_local_communicator(), whole, params, window, "p.h5");
            // Bitwise: the sums over ranks are exact (compensated_sum.hpp), whatever the partition.
            EXPECT_EQ(sharded.loglik, single.loglik) << name_of(v);
            EXPECT_EQ(sharded.n_events, single.n_events);
            EXPECT_EQ(sharded.per_cascade_events, single.per_cascade_events);
            for (std::size_t c = 0; c < 3; ++c) EXPECT_EQ(sharded.per_cascade[c], single.per_cascade[c]);
            for (std::size_t i = 0; i < mine.owned.size(); ++i) {
                EXPECT_EQ(sharded.users[i], mine.owned[i]);
                EXPECT_EQ(sharded.per_user[i], single.per_user[std::size_t(mine.owned[i])]);  // bitwise
                EXPECT_EQ(sharded.per_user_events[i], single.per_user_events[std::size_t(mine.owned[i])]);
            }
            // The oracle, and the per-cascade split adding up to the total.
            const auto naive = reference::loglik(data, params, window.from, window.to);
            EXPECT_NEAR(sharded.loglik, naive.loglik, 1e-12 * std::abs(naive.loglik)) << name_of(v);
            EXPECT_EQ(sharded.n_events, naive.n_events);
            double split = 0;
            for (std::size_t c = 0; c < 3; ++c) {
                EXPECT_NEAR(sharded.per_cascade[c], naive.per_cascade[c], 1e-12 * std::abs(naive.per_cascade[c]));
                split += sharded.per_cascade[c];
            }
            EXPECT_NEAR(split, sharded.loglik, 1e-12 * std::abs(sharded.loglik));
        }
}

TEST(DistributedLoglik, ParamsThatDoNotFitOneRanksUsersFailEveryRankWithTheSameMessage) {
    const auto data = medium_dataset(false);
    auto params = random_params(data, model_variant::mic, 1.0, 1.0, 43);
    const auto mine = my_shard(data);
    // Only the last rank's users are affected: the last user gets a different in-neighbour list.
    const std::int32_t last = data.header.n_users - 1;
    auto in = params.in_neighbours(last);
    ASSERT_FALSE(in.empty());
    ASSERT_GT(in[0], 0);  // (true for this seed) so in[0] − 1 keeps the list ascending
    params.in_source[std::size_t(params.in_offsets[last])] = in[0] - 1;
    try {
        evaluate_loglik(world(), mine, params, {0.0, 20.0}, "p.h5");
        FAIL() << "expected agreed_error";
    } catch (const agreed_error& e) {
        EXPECT_NE(std::string(e.what()).find("p.h5: the in-neighbours of user " + std::to_string(last)),
                  std::string::npos)
            << e.what();
    }
}

TEST(DistributedSigmaObjective, ValueGradientAndProductsEqualTheSingleProcessTerm) {
    std::mt19937_64 rng(44);
    for (auto v: {model_variant::mic, model_variant::linmic}) {
        const auto data = medium_dataset(true);
        const auto params = random_params(data, v, 3.0, 1.2, 45);
        const likelihood_window window{2.0, 20.0};
        const auto mine = my_shard(data);
        const auto whole = make_shard(data, all_users(data));
        const shard_kernels mine_k(mine, params.tau, window), whole_k(whole, params.tau, window);
        sigma_term local(mine_k, params), single(whole_k, params);
        distributed_sigma_objective objective(world(), local);
        EXPECT_EQ(objective.n_events(), single.n_events());

        const auto sigma = random_sigma(3, rng);
        const auto direction = random_sigma(3, rng);
        // Only the root's Σ and V count: the other ranks pass zeros.
        const std::vector<double> zeros(9, 0.0);
        const bool root = world().is_root();
        std::vector<double> g(9), g1(9), hv(9), hv1(9);
        const double value = objective.evaluate(root ? sigma : zeros, g);
        objective.hessian_times(root ? direction : zeros, hv);
        const double value1 = single.evaluate(sigma, g1);
        single.hessian_times(direction, hv1);
        EXPECT_NEAR(value, value1, 1e-12 * std::abs(value1));
        EXPECT_LT(relative_error(g, g1), 1e-12);
        EXPECT_LT(relative_error(hv, hv1), 1e-12);
    }
}

} // namespace
} // namespace mic
