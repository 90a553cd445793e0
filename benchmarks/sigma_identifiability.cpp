// Σ identifiability in the paper's Sec. 7.2.3 setting (MIC, 3 cascades, β = 33.37, τ = 3,
// Σ = [[1,0,0],[.71,.29,0],[0,0,1]], Erdős–Rényi graph): simulate, profile the log-likelihood along
// Σ's row 1 (σ21 = x, σ22 = 1 − x) with the TRUE M and W, then fit `mic` with the true β, τ and
// report max |Σ̂ − Σ|. Single process.
//
// Usage: sigma_identifiability [users p mu_high w_high horizon seed]
//   defaults: 50 0.1 0.2 0.05 500 7 (the regime of tests/engine/inference/recovery_test.cpp)
// Output: "profile" lines (x, L(x) − L(.71) for the full L and for the Σ-term S alone), then a
// "fit" line with the events per cascade, the fitted Σ, its max error and the fit time.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/likelihood/sigma_term.hpp"
#include "engine/simulation/graph_generators.hpp"
#include "engine/simulation/parameter_draw.hpp"
#include "tests/engine/inference/synthetic_fit.hpp"

int main(int argc, char** argv) {
    using namespace mic;
    const auto arg = [&](int i, double fallback) { return argc > i ? std::atof(argv[i]) : fallback; };
    const auto users = std::int32_t(arg(1, 50));
    const double p = arg(2, 0.1), mu_high = arg(3, 0.2), w_high = arg(4, 0.05), horizon = arg(5, 500);
    const auto seed = std::uint64_t(arg(6, 7));

    parameter_draw draw = testing::paper_draw(w_high);
    draw.mu = {0.0, mu_high};
    const model_params truth = draw_parameters(erdos_renyi_graph(users, p, 4), draw, 11);
    const dataset data = testing::simulate_dataset(truth, horizon, seed);
    const communicator comm = make_local_communicator();
    const shard s = testing::shard_of(comm, data);
    const likelihood_window window = whole_window(data.header);
    const shard_kernels kernels(s, truth.tau, window);

    std::int64_t counts[3] = {0, 0, 0};
    for (auto c : data.events.cascade) ++counts[c];
    sigma_term term(kernels, truth);
    const auto at = [&](double x) {
        model_params q = truth;
        q.sigma[3] = x, q.sigma[4] = 1 - x;
        return std::pair(evaluate_loglik(comm, s, q, window).loglik, term.evaluate(q.sigma));
    };
    const auto [full0, term0] = at(0.71);
    for (int i = 0; i <= 20; ++i) {
        const double x = i / 20.0;
        const auto [full, st] = at(x);
        std::printf("profile sigma21 %.2f  dL %.3f  dS %.3f\n", x, full - full0, st - term0);
    }
    const auto start = std::chrono::steady_clock::now();
    fit_options options;
    options.tolerance = 1e-7;
    options.max_iterations = 200;
    if (std::getenv("MIC_PLAIN_SIGMA_STEP")) options.sigma_step = sigma_step_kind::plain;
    const fit_result fit = fit_model(comm, s, window, initial_params(kernels, model_variant::mic, truth.beta, truth.tau),
                                     options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double max_error = 0;
    for (std::size_t i = 0; i < 9; ++i) max_error = std::max(max_error, std::abs(fit.params.sigma[i] - truth.sigma[i]));
    std::printf("fit users %d p %g mu_high %g w_high %g T %g  events %lld %lld %lld  sigma", users, p, mu_high, w_high,
                horizon, (long long)counts[0], (long long)counts[1], (long long)counts[2]);
    for (double v : fit.params.sigma) std::printf(" %.3f", v);
    std::printf("  max_error %.3f  iterations %d  %.2fs  loglik %.9g  kkt user %.2g sigma %.2g\n", max_error,
                fit.iterations, seconds, fit.loglik, fit.max_user_kkt, fit.sigma_kkt);
    return 0;
}
