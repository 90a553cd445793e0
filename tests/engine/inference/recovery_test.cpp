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
// - Fitted jointly with M and W, Σ is off by up to 0.15 at T = 500: Σ trades off against W (row 1
//   fitted as .566/.434/0 at a KKT point whose L is above the truth's by less than the number of
//   parameters, i.e. this is the maximum-likelihood estimate, not an optimiser failure).
// - T = 8000 (~173 000 / 12 800 / 11 600 events): max |Σ̂ − Σ| over replicas 7..12 is 0.009, 0.048,
//   0.018, 0.022, 0.017, 0.023 (3–6 iterations, 2–4 s each with the profile Σ-step).
// - Stronger W (w ~ U[0, 0.1], ρ(W)τ ≈ 0.75) is NOT better: at β = 33.37 cascade 0 takes nearly every
//   event (32 157 / 47 / 46 at T = 500) and Σ's rows 1 and 2 are not identifiable (error 1.0).
// So Σ is within 0.05 everywhere with ~10 000 events in each cascade that Σ's row 1 mixes (T ≈ 8000
// here); with ~800 (T = 500, the paper's horizon) it is not: the paper's .73/.25/.01 is one draw.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>

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

// The paper's setting, one replica on (0, T]; fits on the nested windows (0, 500] and (0, 8000].
struct mic_recovery {
    model_params truth;
    dataset data;
};
const mic_recovery& paper_setting() {
    static const mic_recovery r = [] {
        const parameter_draw draw = paper_draw(0.05);
        mic_recovery out;
        out.truth = draw_parameters(erdos_renyi_graph(50, 0.1, 4), draw, 11);
        out.data = simulate_dataset(out.truth, 8000, 7);
        return out;
    }();
    return r;
}

struct mic_fit_errors {
    fit_result fit;
    double truth_loglik = 0;
    double sigma_max = 0, mu_rms = 0, weight_rms = 0;
};
mic_fit_errors fit_on_horizon(double horizon) {
    const auto& [truth, data] = paper_setting();
    const shard s = shard_of(world(), data);
    const likelihood_window window{0.0, horizon};
    mic_fit_errors e;
    e.fit = fit_variant(world(), s, window, model_variant::mic, truth.beta, truth.tau, 1e-9);
    e.truth_loglik = evaluate_loglik(world(), s, truth, window).loglik;
    for (std::size_t i = 0; i < 9; ++i) e.sigma_max = std::max(e.sigma_max, std::abs(e.fit.params.sigma[i] - truth.sigma[i]));
    e.mu_rms = rms_difference(e.fit.params.mu, truth.mu);
    e.weight_rms = rms_difference(e.fit.params.weight, truth.weight);
    return e;
}
// Each horizon is fitted once per test program (both tests below use T = 8000).
const mic_fit_errors& fit_paper_setting(double horizon) {
    static std::map<double, mic_fit_errors> fits;
    const auto it = fits.find(horizon);
    return it != fits.end() ? it->second : fits.emplace(horizon, fit_on_horizon(horizon)).first->second;
}

// The fit is the maximum-likelihood point: above the truth's L, by less than about k (2ΔL ~ χ²_k,
// mean k, standard deviation √(2k)), and a KKT point of every user problem and of Σ.
void expect_maximum_likelihood(const mic_fit_errors& e) {
    const model_params& truth = paper_setting().truth;
    const double k = double(truth.mu.size() + truth.weight.size() + 6);
    EXPECT_TRUE(e.fit.converged);
    EXPECT_GT(e.fit.loglik, e.truth_loglik);
    EXPECT_LT(e.fit.loglik - e.truth_loglik, k);
    EXPECT_LE(e.fit.max_user_kkt, 1e-6);
    EXPECT_LE(e.fit.sigma_kkt, 1e-7);
}

TEST(Recovery, OnThePapersSettingSigmaIsWithinFiveHundredthsOfTheTruthWithTenThousandEventsPerCascade) {
    const mic_fit_errors& e = fit_paper_setting(8000);
    const model_params& truth = paper_setting().truth;
    expect_maximum_likelihood(e);
    for (std::size_t i = 0; i < 9; ++i) EXPECT_NEAR(e.fit.params.sigma[i], truth.sigma[i], 0.05) << "entry " << i;
    // Measured: 5 iterations; row 1 fitted as .702/.298/0, max error 0.009.
    EXPECT_LE(e.fit.iterations, 10);
}

TEST(Recovery, OnThePapersSettingErrorsOfSigmaBackgroundAndInfluenceShrinkFromHorizon500To8000) {
    const mic_fit_errors &short_run = fit_paper_setting(500), &long_run = fit_paper_setting(8000);
    expect_maximum_likelihood(short_run);
    // At T = 500 Σ is within the scatter of one realisation (see the top of this file): 0.2.
    for (std::size_t i = 0; i < 9; ++i)
        EXPECT_NEAR(short_run.fit.params.sigma[i], paper_setting().truth.sigma[i], 0.2) << "entry " << i;
    // 16× the horizon: 1/√T predicts errors 4× smaller; we ask for 2×.
    std::printf("T = 500: max|dSigma| %.3f, mu RMS %.4f, w RMS %.4f; T = 8000: %.3f, %.4f, %.4f\n",
                short_run.sigma_max, short_run.mu_rms, short_run.weight_rms, long_run.sigma_max, long_run.mu_rms,
                long_run.weight_rms);
    EXPECT_LT(long_run.sigma_max, short_run.sigma_max / 2);
    EXPECT_LT(long_run.mu_rms, short_run.mu_rms / 2);
    EXPECT_LT(long_run.weight_rms, short_run.weight_rms / 2);
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
