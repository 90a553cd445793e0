// The Σ-step (Alg. 1 step 1) over the ranks of the run: it increases S(Σ), returns a row-stochastic
// Σ at a KKT point that beats every random row-stochastic Σ (S is concave), and gives the same Σ
// on 1, 2 or 3 ranks as in one process.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "engine/distributed/partition.hpp"
#include "engine/inference/simplex.hpp"
#include "engine/inference/sigma_step.hpp"
#include "engine/likelihood/distributed_sigma_objective.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using namespace mic::testing;

dataset sigma_dataset() {
    random_dataset_spec spec;
    spec.n_users = 30;
    spec.n_cascades = 3;
    spec.edge_probability = 0.2;
    spec.self_loops = true;
    spec.mean_events_per_user = 10.0;
    spec.t_end = 20.0;
    spec.with_names = false;
    return make_random_dataset(spec, 77);
}

std::vector<double> random_row_stochastic(std::size_t C, std::mt19937_64& rng) {
    std::exponential_distribution<double> e(1.0);
    std::bernoulli_distribution zero(0.3);
    std::vector<double> sigma(C * C);
    for (std::size_t s = 0; s < C; ++s) {
        double sum = 0;
        for (std::size_t c = 0; c < C; ++c) sum += (sigma[s * C + c] = (zero(rng) && c != s) ? 0.0 : e(rng));
        for (std::size_t c = 0; c < C; ++c) sigma[s * C + c] /= sum;
    }
    return sigma;
}

TEST(Simplex, ProjectionGivesTheNearestProbabilityVector) {
    std::vector<double> x{0.5, 0.8, -0.2};
    project_to_simplex(x);
    EXPECT_NEAR(x[0], 0.35, 1e-15);
    EXPECT_NEAR(x[1], 0.65, 1e-15);
    EXPECT_EQ(x[2], 0.0);
    std::vector<double> y{0.2, 0.3, 0.5};
    project_to_simplex(y);
    EXPECT_NEAR(y[0], 0.2, 1e-15);
    EXPECT_NEAR(y[2], 0.5, 1e-15);
}

TEST(SigmaStep, IncreasesTheObjectiveToARowStochasticKKTPoint) {
    const dataset data = sigma_dataset();
    const shard s = make_shard(data, range_partition::even(data.header.n_users, world().size()).owned(world().rank()));
    const shard_kernels kernels(s, 1.0, {2.0, 20.0});
    for (auto variant : {model_variant::mic, model_variant::linmic}) {
        const model_params params = random_params(data, variant, 4.0, 1.0, 13);
        sigma_term local(kernels, params);
        distributed_sigma_objective objective(world(), local);
        const std::size_t C = 3;
        for (const auto& start : {identity_sigma(3), params.sigma}) {
            std::vector<double> sigma = start;
            const auto r = sigma_step(world(), objective, sigma, {1e-10, 100});
            EXPECT_TRUE(r.converged) << name_of(variant) << " residual " << r.kkt_residual;
            EXPECT_GE(r.value_after, r.value_before);
            std::vector<double> g(C * C);
            EXPECT_EQ(objective.evaluate(sigma, g), r.value_after);
            for (std::size_t row = 0; row < C; ++row) {
                double sum = 0;
                for (std::size_t c = 0; c < C; ++c) {
                    EXPECT_GE(sigma[row * C + c], 0.0);
                    sum += sigma[row * C + c];
                }
                EXPECT_NEAR(sum, 1.0, 1e-14);
            }
            // Concave objective: the KKT point beats every other feasible point.
            std::mt19937_64 rng(5);
            for (int trial = 0; trial < 50; ++trial) {
                const auto other = random_row_stochastic(C, rng);
                EXPECT_LE(objective.evaluate(other, g), r.value_after + 1e-12 * std::abs(r.value_after));
            }
        }
    }
}

TEST(SigmaStep, GivesTheSameSigmaOnAnyNumberOfRanks) {
    const dataset data = sigma_dataset();
    const shard mine = make_shard(data, range_partition::even(data.header.n_users, world().size()).owned(world().rank()));
    const shard whole = make_shard(data, all_users(data));
    const likelihood_window window{2.0, 20.0};
    const shard_kernels distributed_kernels(mine, 1.0, window), local_kernels(whole, 1.0, window);
    for (auto variant : {model_variant::mic, model_variant::linmic}) {
        const model_params params = random_params(data, variant, 4.0, 1.0, 17);
        sigma_term distributed_term(distributed_kernels, params), local_term(local_kernels, params);
        distributed_sigma_objective distributed(world(), distributed_term);
        const communicator alone = make_local_communicator();
        distributed_sigma_objective local(alone, local_term);
        std::vector<double> a = identity_sigma(3), b = identity_sigma(3);
        sigma_step(world(), distributed, a, {1e-10, 100});
        sigma_step(alone, local, b, {1e-10, 100});
        for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-10) << name_of(variant);
    }
}

} // namespace
} // namespace mic
