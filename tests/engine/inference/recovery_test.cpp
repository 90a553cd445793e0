// Parameter recovery in the setting of the paper's Sec. 7.2.3: MIC data simulated (exactly) on an
// Erdős–Rényi network of 50 users, 3 cascades, β = 33.37, τ = 3,
// Σ = [[1, 0, 0], [.71, .29, 0], [0, 0, 1]], μ ~ U[0, 0.2]; fitted with the true β and τ.
// (The paper draws w ~ U[0, 1]; with τ = 3 that explodes on a graph this dense, so w ~ U[0, 0.05]
// here: ρ(W)τ ≈ 0.4.)
//
// Σ identifiability (measured with benchmarks/sigma_identifiability, same truth; replica 7 unless said):
// - With the TRUE M and W, L along Σ's row 1 (σ21 = x, σ22 = 1 − x) is not flat: at T = 500
//   (11 214 / 785 / 638 events per cascade) L(x) − L(.71) = −123 at x = 0, −2.0 at .6, −1.8 at .8,
//   −16 at 1, i.e. a standard error of σ21 ≈ 0.05 (only the Σ-term depends on Σ: ΔL = ΔS exactly).
// - Fitted jointly with M and W (below), Σ is off by up to 0.15 at T = 500 (Σ trades off against W:
//   row 1 fitted as .56/.44/0); this test therefore allows 0.2.
// - T = 2000 (43 797 / 3 128 / 2 789 events): replica 7 fits Σ within 0.041 of the truth in every
//   entry (row 1 .697/.303/0), but replica 8 is off by 0.073 (row 1 .783/.217/0): borderline.
// - T = 8000 (~173 000 / 12 800 / 11 600 events): within 0.011 (replica 7) and 0.040 (replica 8);
//   15–20 s and 30–35 iterations on one core each: too slow for a test (benchmark only).
// - Stronger W (w ~ U[0, 0.1], ρ(W)τ ≈ 0.75) is NOT better: at β = 33.37 cascade 0 takes nearly every
//   event (32 157 / 47 / 46 at T = 500) and Σ's rows 1 and 2 are not identifiable (error 1.0).
// So Σ is within 0.05 everywhere only with ~10 000 events in each cascade that Σ's row 1 mixes
// (T ≈ 8000 here); with ~3 000 it is borderline, with ~800 (T = 500) it is not.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/inference/cost_partition.hpp"
#include "engine/inference/fit.hpp"
#include "engine/likelihood/shard_likelihood.hpp"
#include "engine/simulation/graph_generators.hpp"
#include "engine/simulation/parameter_draw.hpp"
#include "engine/simulation/simulation.hpp"
#include "tests/engine/inference/synthetic_fit.hpp"
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


// IC data (linear mixing, Σ = I) on the same kind of graph, w ~ U[0, 0.1] (ρ(W)τ ≈ 0.75), fitted
// with `ic` on horizons T and 4T: errors of M and W, and the relative L1 error of W over the edges
// whose source fired at least `min_events` times (an edge from a silent user is not identifiable).
struct ic_errors {
    double mu_rms = 0, weight_rms = 0, weight_relative_l1 = 0;
};
ic_errors fit_ic_data(double horizon) {
    parameter_draw draw;
    draw.variant = model_variant::ic;
    draw.tau = 3;
    draw.n_cascades = 3;
    draw.mu = {0.0, 0.2};
    draw.weight = {0.0, 0.1};
    const model_params truth = draw_parameters(erdos_renyi_graph(50, 0.1, 4), draw, 11);
    const dataset data = simulate_dataset(truth, horizon, 7);
    const shard s = shard_of(world(), data);
    const fit_result fit = fit_variant(world(), s, whole_window(data.header), model_variant::ic, 1.0, truth.tau, 1e-8);
    EXPECT_TRUE(fit.converged);
    ic_errors e;
    e.mu_rms = rms_difference(fit.params.mu, truth.mu);
    e.weight_rms = rms_difference(fit.params.weight, truth.weight);
    const std::int64_t min_events = 100;
    double diff = 0, total = 0;
    for (std::int32_t u = 0; u < truth.n_users; ++u)
        for (std::int64_t i = truth.in_offsets[u]; i < truth.in_offsets[u + 1]; ++i) {
            const std::int32_t v = truth.in_source[i];
            if (data.events.user_offsets[v + 1] - data.events.user_offsets[v] < min_events) continue;
            diff += std::abs(fit.params.weight[i] - truth.weight[i]), total += truth.weight[i];
        }
    e.weight_relative_l1 = diff / total;
    return e;
}

TEST(Recovery, ErrorsOfBackgroundRatesAndInfluenceShrinkWhenTheHorizonGrowsFourfold) {
    const ic_errors short_run = fit_ic_data(500), long_run = fit_ic_data(2000);
    // Measured (one process): RMS error of μ 0.044 → 0.025 (×1.75), of w 0.022 → 0.012 (×1.86),
    // relative L1 of w over edges with ≥ 100 source events 0.33 → 0.18 (×1.84); 1/√T predicts ×2.
    EXPECT_LT(long_run.mu_rms, short_run.mu_rms / 1.5);
    EXPECT_LT(long_run.weight_rms, short_run.weight_rms / 1.5);
    // `fit --model ic` on IC data recovers W: relative L1 error within 25 % at 4T (measured 18 %).
    EXPECT_LT(long_run.weight_relative_l1, 0.25);
}

} // namespace
} // namespace mic
