// Parameter recovery in the setting of the paper's Sec. 7.2.3: MIC data simulated (exactly) on an
// Erdős–Rényi network of 50 users, 3 cascades, β = 33.37, τ = 3,
// Σ = [[1, 0, 0], [.71, .29, 0], [0, 0, 1]], μ ~ U[0, 0.2]; fitted with the true β and τ.
// (The paper draws w ~ U[0, 1]; with τ = 3 that explodes on a graph this dense, so w ~ U[0, 0.05]
// here: ρ(W)τ ≈ 0.4.)
#include <gtest/gtest.h>

#include <cmath>

#include "engine/inference/cost_partition.hpp"
#include "engine/inference/fit.hpp"
#include "engine/likelihood/shard_likelihood.hpp"
#include "engine/simulation/graph_generators.hpp"
#include "engine/simulation/parameter_draw.hpp"
#include "engine/simulation/simulation.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using namespace mic::testing;

TEST(Recovery, FitOfSimulatedMicDataRecoversSigmaAndTheBackgroundRates) {
    const csr_graph graph = erdos_renyi_graph(50, 0.1, 4);
    parameter_draw draw;
    draw.variant = model_variant::mic;
    draw.beta = 33.37;
    draw.tau = 3;
    draw.n_cascades = 3;
    draw.sigma = {1, 0, 0, 0.71, 0.29, 0, 0, 0, 1};
    draw.mu = {0.0, 0.2};
    draw.weight = {0.0, 0.05};
    const model_params truth = draw_parameters(graph, draw, 11);
    simulation_options so;
    so.horizon = 500;
    const dataset data = to_dataset(truth, simulator(truth).run_replica(so, 7, 0), so.horizon);
    ASSERT_GT(data.events.n_events(), 5000);

    const auto work = user_work(data.events.user_offsets, data.graph.in_offsets, data.graph.in_source);
    const shard s = make_shard(data, contiguous_partition(work, world().size()).owned(world().rank()));
    const likelihood_window window = whole_window(data.header);
    const shard_kernels kernels(s, truth.tau, window);
    fit_options options;
    options.tolerance = 1e-7;
    options.max_iterations = 200;
    const fit_result fit =
        fit_model(world(), s, window, initial_params(kernels, model_variant::mic, truth.beta, truth.tau), options);

    // Maximum likelihood: the fit scores the training data better than the truth, but not by more
    // than the number of free parameters k (2ΔL is about χ²_k: mean k, standard deviation √(2k)).
    const double truth_loglik = evaluate_loglik(world(), s, truth, window).loglik;
    const double k = double(truth.mu.size() + truth.weight.size() + 6);
    EXPECT_GT(fit.loglik, truth_loglik);
    EXPECT_LT(fit.loglik - truth_loglik, k);
    EXPECT_TRUE(fit.converged);
    // Σ: within the scatter of one realisation (cascade 1 has ~800 events only; the paper reports
    // .73/.25/.01 for the second row); the zeros of the truth stay small.
    for (std::size_t i = 0; i < 9; ++i) {
        EXPECT_NEAR(fit.params.sigma[i], truth.sigma[i], 0.2) << "entry " << i;
        if (truth.sigma[i] == 0) {
            EXPECT_LT(fit.params.sigma[i], 0.1) << "entry " << i;
        }
    }
    // The background rate of each cascade and the total influence: within 30 % (background and
    // excitation trade off against each other in a single realisation).
    for (std::size_t c = 0; c < 3; ++c) {
        double fitted = 0, true_rate = 0;
        for (std::size_t u = 0; u < 50; ++u) fitted += fit.params.mu[u * 3 + c], true_rate += truth.mu[u * 3 + c];
        EXPECT_NEAR(fitted, true_rate, 0.3 * true_rate) << "cascade " << c;
    }
    double fitted_w = 0, true_w = 0;
    for (std::size_t e = 0; e < truth.weight.size(); ++e) fitted_w += fit.params.weight[e], true_w += truth.weight[e];
    EXPECT_NEAR(fitted_w, true_w, 0.3 * true_w);
}

} // namespace
} // namespace mic
