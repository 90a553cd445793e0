// Spreading sizes DS_i(t) = ∫_0^t Σ_j P_ij(s) q_j ds: closed forms, quadrature of dense expm, Monte
// Carlo simulation of the chain, the forward and backward (sharded) paths, and rank independence.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "engine/support/random_stream.hpp"
#include "engine/ctmp/spreading_size.hpp"
#include "engine/ctmp/topic_simulation.hpp"
#include "engine/ctmp/transition_rows.hpp"
#include "engine/ctmp/user_selection.hpp"
#include "engine/distributed/partition.hpp"
#include "engine/support/error.hpp"
#include "tests/engine/ctmp/ctmp_fixtures.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using testing::world;

TEST(SpreadingSize, MatchesClosedFormsOfTwoSmallChains) {
    Eigen::MatrixXd cycle(2, 2), to_absorbing = Eigen::MatrixXd::Zero(2, 2);
    cycle << -1.5, 1.5, 1.5, -1.5;       // jumps form a Poisson process: DS(t) = 1.5 t
    to_absorbing(0, 1) = 2.0, to_absorbing(0, 0) = -2.0;  // one jump at most: DS(t) = 1 − e^{−2t}
    for (double t: {0.0, 0.1, 1.0, 40.0}) {
        EXPECT_NEAR(spreading_size_forward(testing::chain_from_dense(cycle), 0, std::vector{t}, {})[0], 1.5 * t, 1e-8);
        EXPECT_NEAR(spreading_size_forward(testing::chain_from_dense(to_absorbing), 0, std::vector{t}, {})[0],
                    -std::expm1(-2.0 * t), 1e-8);
    }
}

TEST(SpreadingSize, AgreesWithQuadratureOfDenseExpmToTheTolerance) {
    for (const auto& Q: {testing::small_generator(), testing::stiff_generator()}) {
        const auto model = testing::chain_from_dense(Q);
        const std::vector<double> times{0.02, 0.7, 3.0};
        for (std::int32_t i = 0; i < model.n_users(); ++i) {
            const auto ds = spreading_size_forward(model, i, times, {.tolerance = 1e-10});
            for (std::size_t w = 0; w < times.size(); ++w)
                EXPECT_NEAR(ds[w], testing::dense_spreading_size(Q, i, times[w]), 1e-10 + 1e-11 * ds[w]) << i << " " << times[w];
        }
    }
}

TEST(SpreadingSize, AgreesWithMonteCarloSimulationOfTheChain) {
    // Mean number of jumps within t over 200 000 simulated paths from user 0; the tolerance is four
    // standard errors of that mean (a fixed seed makes the check deterministic).
    const auto model = testing::chain_from_dense(testing::small_generator());
    const double t = 2.5;
    const auto s = jump_probabilities(model);
    random_stream rng(2024, 0);
    const int runs = 200000;
    double sum = 0.0, sum_sq = 0.0;
    for (int r = 0; r < runs; ++r) {
        std::int32_t i = 0;
        double clock = 0.0;
        int jumps = 0;
        while (model.rate[static_cast<std::size_t>(i)] > 0.0) {
            clock += rng.exponential(model.rate[static_cast<std::size_t>(i)]);
            if (clock > t) break;
            ++jumps;
            double u = rng.uniform(), c = 0.0;
            auto e = s.offsets[static_cast<std::size_t>(i)];
            for (; e + 1 < s.offsets[static_cast<std::size_t>(i) + 1]; ++e)
                if (u < (c += s.probability[static_cast<std::size_t>(e)])) break;
            i = s.target[static_cast<std::size_t>(e)];
        }
        sum += jumps, sum_sq += double(jumps) * jumps;
    }
    const double mean = sum / runs, se = std::sqrt((sum_sq / runs - mean * mean) / runs);
    const double ds = spreading_size_forward(model, 0, std::vector{t}, {})[0];
    EXPECT_NEAR(mean, ds, 4.0 * se);
    EXPECT_LT(se, 0.01);
}

TEST(SpreadingSize, BackwardTableAgreesWithForwardPropagationForEveryUser) {
    const auto model = random_ctmp_model({.n_users = 120, .mean_out_degree = 3.0, .rate_min = 0.2, .rate_max = 8.0}, 11);
    std::vector<std::int32_t> users(120);
    std::iota(users.begin(), users.end(), 0);
    const auto table = propagate_spreading(model, users, 2.0, {}, make_local_communicator());
    const std::vector<double> times{0.0, 0.25, 1.0, 2.0};
    const auto matrix = spreading_sizes(table, times);
    for (std::int32_t i = 0; i < 120; i += 7) {
        const auto forward = spreading_size_forward(model, i, times, {});
        for (std::size_t w = 0; w < times.size(); ++w) {
            EXPECT_NEAR(matrix(i, static_cast<Eigen::Index>(w)), forward[w], 1e-12 * (1.0 + forward[w]));
            EXPECT_EQ(matrix(i, static_cast<Eigen::Index>(w)), spreading_size(table, static_cast<std::size_t>(i), times[w]));
        }
        // The window mean (1/w)∫_0^w DS by its closed form against the trapezoid rule on forward DS.
        std::vector<double> grid(2001);
        for (std::size_t k = 0; k < grid.size(); ++k) grid[k] = 2.0 * static_cast<double>(k) / 2000.0;
        const auto ds = spreading_size_forward(model, i, grid, {});
        double integral = 0.0;
        for (std::size_t k = 1; k < grid.size(); ++k) integral += 0.5 * (ds[k] + ds[k - 1]) * (grid[k] - grid[k - 1]);
        EXPECT_NEAR(mean_spreading_size(table, static_cast<std::size_t>(i), 2.0), integral / 2.0, 1e-6);
    }
}

TEST(SpreadingSize, TaylorConvergesToUniformizationAsNGrows) {
    const auto model = testing::chain_from_dense(testing::small_generator());
    const double exact = spreading_size_forward(model, 1, std::vector{3.0}, {.tolerance = 1e-12})[0];
    double previous = 1e300;
    for (std::int64_t n: {10, 100, 1000, 10000}) {
        const propagation_options taylor{.method = propagation_method::taylor, .taylor_steps = n};
        const double error = std::abs(spreading_size_forward(model, 1, std::vector{3.0}, taylor)[0] - exact);
        const auto table = propagate_spreading(model, std::vector<std::int32_t>{1}, 3.0, taylor, make_local_communicator());
        EXPECT_NEAR(spreading_size(table, 0, 3.0), exact, error * 1.001 + 1e-12);  // same scheme, other order
        EXPECT_LT(error, previous / 5.0) << n;
        previous = error;
    }
    EXPECT_LT(previous, 1e-3);  // first order: error ≈ C·h with h = 3/10⁴
}

TEST(SpreadingSize, IsIdenticalOnAnyNumberOfRanks) {
    const auto model = random_ctmp_model({.n_users = 300, .mean_out_degree = 4.0}, 3);
    // Descending, so that a rank's users lie in other ranks' rows (this dense chain's rows read most
    // of u, so the allgatherv is used; the sparse test below covers the halo).
    std::vector<std::int32_t> users;
    for (std::int32_t u = 299; u >= 0; u -= 3) users.push_back(u);
    const auto mine = my_share(users, world());
    const std::vector<double> times{0.5, 1.0};
    for (auto method: {propagation_method::uniformization, propagation_method::taylor}) {
        const propagation_options options{.method = method, .taylor_steps = 50};
        const auto here = propagate_spreading(model, mine, 1.0, options, world());
        const auto alone = propagate_spreading(model, mine, 1.0, options, make_local_communicator());
        ASSERT_EQ(here.coefficient.size(), alone.coefficient.size());
        EXPECT_EQ(0, std::memcmp(here.coefficient.data(), alone.coefficient.data(), sizeof(double) * here.coefficient.size()));
        const auto all_here = spreading_sizes_all_users(model, times, options, world());
        const auto all_alone = spreading_sizes_all_users(model, times, options, make_local_communicator());
        ASSERT_EQ(all_here.size(), 600u);
        EXPECT_EQ(0, std::memcmp(all_here.data(), all_alone.data(), sizeof(double) * all_here.size()));
        // And the all-users path agrees with the table for the table's users.
        for (std::size_t a = 0; a < mine.size(); ++a)
            EXPECT_NEAR(all_here[static_cast<std::size_t>(mine[a]) * 2 + 1], spreading_size(here, a, 1.0), 1e-12);
    }
}

TEST(SpreadingSize, OnASparseChainSplitOverRanksMovesOnlyTheHaloAndGivesTheSameBits) {
    // 6000 users, 60 % absorbing, one out-edge for the others: every rank's rows read well under U/4
    // entries of other ranks, so each step swaps the halo instead of gathering all of u.
    const auto model = random_ctmp_model({.n_users = 6000, .mean_out_degree = 1.0, .absorbing_fraction = 0.6}, 12);
    std::vector<std::int32_t> users;  // descending: a rank's users lie in other ranks' rows
    for (std::int32_t u = 5999; u >= 0; u -= 37) users.push_back(u);
    const auto mine = my_share(users, world());
    const double horizon = 2.0;
    const auto before = world().counts();
    const auto here = propagate_spreading(model, mine, horizon, {}, world());
    const auto sent = world().counts().bytes - before.bytes;
    const auto alone = propagate_spreading(model, mine, horizon, {}, make_local_communicator());
    ASSERT_EQ(here.coefficient.size(), alone.coefficient.size());
    EXPECT_EQ(0, std::memcmp(here.coefficient.data(), alone.coefficient.data(), sizeof(double) * here.coefficient.size()));
    const std::vector<double> times{1.0, 2.0};
    for (auto method: {propagation_method::uniformization, propagation_method::taylor}) {
        const propagation_options options{.method = method, .taylor_steps = 40};
        const auto all_here = spreading_sizes_all_users(model, times, options, world());
        const auto all_alone = spreading_sizes_all_users(model, times, options, make_local_communicator());
        EXPECT_EQ(0, std::memcmp(all_here.data(), all_alone.data(), sizeof(double) * all_here.size()));
        const auto taylor_here = propagate_spreading(model, mine, horizon, options, world());
        const auto taylor_alone = propagate_spreading(model, mine, horizon, options, make_local_communicator());
        EXPECT_EQ(0, std::memcmp(taylor_here.coefficient.data(), taylor_alone.coefficient.data(),
                                 sizeof(double) * taylor_alone.coefficient.size()));
    }
    if (world().size() > 1) {
        // An allgatherv would send this rank's U/size rows per step; the halo at most half of that.
        const auto steps = propagation_steps(model, horizon, {});
        const double rows = 6000.0 / world().size();
        EXPECT_LT(static_cast<double>(sent), 0.5 * rows * 8.0 * static_cast<double>(steps)) << steps << " steps";
    }
}

TEST(SpreadingSize, FewerUsersThanRanksAndRepeatedUsersGiveTheSameBits) {
    // 2 users on up to 3 ranks (some ranks own no rows), every rank asking for both, twice.
    const auto model = random_ctmp_model({.n_users = 2, .mean_out_degree = 1.0, .absorbing_fraction = 0.0}, 5);
    const std::vector<std::int32_t> users{1, 0, 1};
    const auto here = propagate_spreading(model, users, 1.5, {}, world());
    const auto alone = propagate_spreading(model, users, 1.5, {}, make_local_communicator());
    ASSERT_EQ(here.coefficient.size(), alone.coefficient.size());
    EXPECT_EQ(0, std::memcmp(here.coefficient.data(), alone.coefficient.data(), sizeof(double) * here.coefficient.size()));
    EXPECT_GT(spreading_size(here, 0, 1.5), 0.0);
    const auto all_here = spreading_sizes_all_users(model, std::vector<double>{0.5, 1.5}, {}, world());
    const auto all_alone = spreading_sizes_all_users(model, std::vector<double>{0.5, 1.5}, {}, make_local_communicator());
    EXPECT_EQ(all_here, all_alone);
}

TEST(SpreadingSize, RefusesWorkBeyondMaxTermsOnEveryRank) {
    const auto model = testing::chain_from_dense(testing::stiff_generator());  // Λ = 500
    EXPECT_THROW(propagate_spreading(model, std::vector<std::int32_t>{0}, 100.0, {.max_terms = 10000}, world()), input_error);
}

} // namespace
} // namespace mic
