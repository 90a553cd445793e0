// How the users' optimum follows Σ (sigma_sensitivity.hpp) and the profile Newton Σ-step
// (profile_step.hpp), checked against the definition P(Σ) = max_θ L(θ, Σ) by solving every user
// problem again at perturbed Σ: the first-order response (−H_u)⁻¹J_u V against central differences
// of θ*(Σ), the profile gradient and curvature ∂S/∂Σ, ∇²S + K against differences of P, and the
// profile step's ascent and its independence of the number of ranks.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <span>
#include <string>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "engine/inference/profile_step.hpp"
#include "engine/inference/sigma_sensitivity.hpp"
#include "engine/likelihood/sigma_term.hpp"
#include "engine/simulation/graph_generators.hpp"
#include "engine/simulation/parameter_draw.hpp"
#include "tests/engine/inference/synthetic_fit.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using namespace mic::testing;

constexpr double tau = 1.0;
constexpr double horizon = 60.0;
const likelihood_window window{5.0, horizon};  // history before the window only excites

// An interior Σ (every entry ≥ 0.1, so Σ ± hV stays interior for the steps below).
const std::vector<double> sigma0{0.6, 0.3, 0.1, 0.25, 0.6, 0.15, 0.1, 0.3, 0.6};
// A tangent direction of the row-stochastic constraints (every row sums to 0).
const std::vector<double> tangent{0.3, -0.1, -0.2, -0.2, 0.25, -0.05, 0.1, 0.1, -0.2};

// MIC data simulated exactly on G(12, 0.3) with w ~ U[0.1, 0.3] (ρ(W)τ ≈ 0.7), μ ~ U[0.05, 0.3]:
// ~130 events per user, so that most user coordinates are interior at the optimum.
dataset sensitivity_dataset() {
    parameter_draw draw;
    draw.variant = model_variant::mic;
    draw.beta = 5;
    draw.tau = tau;
    draw.n_cascades = 3;
    draw.sigma = {0.8, 0.2, 0.0, 0.3, 0.7, 0.0, 0.0, 0.1, 0.9};
    draw.mu = {0.05, 0.3};
    draw.weight = {0.1, 0.3};
    const model_params truth = draw_parameters(erdos_renyi_graph(12, 0.3, 3), draw, 5);
    return simulate_dataset(truth, horizon, 9);
}

// Every owned user problem solved at Σ = `sigma`, from `params`' rows: the user step, then three
// Newton iterations on the free coordinates (θ_j > 0) with the exact Hessian, so that ∇L_u vanishes
// there to rounding and θ*(Σ) is exact. (user_step::run alone can stop at a scaled KKT residual of
// ~1e-8 whatever its tolerance: its "optimal to working precision" test estimates the rounding of
// L_u as 8ε|L_u|, far below the real rounding when L_u = Σ ℓ_e − ∫λ cancels; that error, divided by
// h, would swamp the differences below.) Returns the local Σ_u L_u.
compensated_sum solve_users(user_step& users, model_params& params, std::span<const double> sigma) {
    params.sigma.assign(sigma.begin(), sigma.end());
    users.run(params, {1e-10, 500});
    const event_model model = make_event_model(params);
    const std::size_t CC = std::size_t(params.n_cascades) * std::size_t(params.n_cascades);
    compensated_sum total;
    for (std::size_t i = 0; i < users.owned().size(); ++i) {
        std::vector<double> theta = user_theta(params, users.owned()[i]);
        const std::size_t p = theta.size();
        std::vector<double> g(p), H(p * p), J(p * CC);
        std::vector<std::size_t> free;
        for (std::size_t j = 0; j < p; ++j)
            if (theta[j] > 0) free.push_back(j);
        const auto n = Eigen::Index(free.size());
        double value = 0;
        for (int iteration = 0; iteration < 3; ++iteration) {
            value = users.second_derivatives(i, model, theta, g, H, J);
            Eigen::MatrixXd A(n, n);
            Eigen::VectorXd b(n);
            for (Eigen::Index a = 0; a < n; ++a) {
                b(a) = g[free[std::size_t(a)]];
                for (Eigen::Index c = 0; c < n; ++c) A(a, c) = -H[free[std::size_t(a)] * p + free[std::size_t(c)]];
            }
            const Eigen::VectorXd d = A.llt().solve(b);
            for (Eigen::Index a = 0; a < n; ++a) theta[free[std::size_t(a)]] += d(a);
        }
        value = users.second_derivatives(i, model, theta, g, H, J);
        // A KKT point with strict complementarity (so the free set is locally constant in Σ): ∇L_u = 0
        // on θ_j > 0, ∂L_u/∂θ_j < 0 on θ_j = 0 (except weights that do not enter L_u: scale 0).
        const std::vector<double> scale = users.scales(i);
        for (std::size_t j = 0; j < p; ++j) {
            if (theta[j] > 0) {
                EXPECT_LT(std::abs(g[j]), 1e-10 * (1 + std::abs(value))) << "user " << users.owned()[i];
            } else if (scale[j] > 0) {
                EXPECT_EQ(theta[j], 0.0) << "user " << users.owned()[i];
                EXPECT_LT(g[j], 0.0) << "user " << users.owned()[i];
            }
        }
        set_user_theta(params, users.owned()[i], theta);
        total.add(value);
    }
    return total;
}

std::vector<double> along(std::span<const double> sigma, double h, std::span<const double> direction) {
    std::vector<double> out(sigma.begin(), sigma.end());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] += h * direction[i];
    return out;
}

double dot(std::span<const double> a, std::span<const double> b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
    return sum;
}

TEST(SigmaSensitivity, ResponseMatchesTheChangeOfTheUserOptimumWithSigma) {
    for (const double beta : {5.0, 30.0}) {
        const dataset data = sensitivity_dataset();
        const shard s = shard_of(world(), data);
        const shard_kernels kernels(s, tau, window);
        user_step users(kernels, std::size_t(1) << 30);
        model_params center = initial_params(kernels, model_variant::mic, beta, tau);
        solve_users(users, center, sigma0);
        // A tangent V, and a single entry (σ_01 alone, off the simplex: the user problems and J_u are
        // defined for any Σ).
        std::vector<double> single(9, 0.0);
        single[1] = 1.0;
        for (const auto& direction : {tangent, single}) {
            const std::vector<double> response = user_response(users, center, direction, 1e-9);
            // (θ*(Σ + hV) − θ*(Σ − hV)) / 2h, each solved exactly from θ*(Σ). The error is the truncation
            // h²/6 · d³θ*/dh³, which grows like β² (measured at h = 1e-4: 1.4e-8 relative at β = 5,
            // 4e-7 at β = 30), so h = 5e-4/β; the rounding of the solves (~1e-15) divided by h stays < 1e-10.
            const double h = 5e-4 / beta;
            model_params plus = center, minus = center;
            solve_users(users, plus, along(sigma0, h, direction));
            solve_users(users, minus, along(sigma0, -h, direction));
            double diff = 0, size = 0;
            std::int64_t free = 0, total = 0;
            std::size_t at = 0;  // start of Δθ_u in `response` (owned order)
            for (const std::int32_t u : users.owned()) {
                const auto theta = user_theta(center, u), up = user_theta(plus, u), down = user_theta(minus, u);
                ASSERT_LE(at + theta.size(), response.size());
                const std::span<const double> predicted(response.data() + at, theta.size());
                at += theta.size();
                for (std::size_t j = 0; j < theta.size(); ++j) {
                    const double numeric = (up[j] - down[j]) / (2 * h);
                    diff = std::max(diff, std::abs(predicted[j] - numeric));
                    size = std::max(size, std::abs(numeric));
                    free += theta[j] > 0;
                    ++total;
                    // Coordinates held at 0 stay there: no response.
                    if (theta[j] == 0) {
                        EXPECT_EQ(predicted[j], 0.0);
                    }
                }
            }
            EXPECT_EQ(at, response.size()) << "one Δθ_u per owned user, nothing else";
            // Over all ranks (every rank makes the same four reductions).
            diff = world().max(diff), size = world().max(size);
            free = world().sum(free), total = world().sum(total);
            EXPECT_GT(size, 0.1) << "beta " << beta;  // Σ moves the optimum: the test can fail
            EXPECT_LT(diff, 1e-6 * size) << "beta " << beta;
            EXPECT_GE(double(free), 0.6 * double(total)) << "beta " << beta;
            if (world().rank() == 0)
                std::printf("beta %g, h %.2g: response vs differences of theta*: max error %.2e (relative %.2e), "
                            "max |dtheta/dh| %.3g, %lld of %lld coordinates free\n", beta, h, diff, diff / size, size,
                            (long long)free, (long long)total);
        }
    }
}

// The profile likelihood P(Σ) = Σ_u L_u(θ*_u(Σ), Σ) along Σ + hV for a tangent V, against
//   dP/dh = ⟨∂S/∂Σ, V⟩  (envelope theorem),   d²P/dh² = Vᵀ(∇²S + K)V,   K = Σ_u J_uᵀ(−H_u)⁻¹J_u.
TEST(SigmaSensitivity, ProfileCurvatureMatchesSecondDifferencesOfTheProfileLikelihood) {
    const dataset data = sensitivity_dataset();
    const shard s = shard_of(world(), data);
    const shard_kernels kernels(s, tau, window);
    for (const double beta : {5.0, 30.0}) {
        user_step users(kernels, std::size_t(1) << 30);
        model_params center = initial_params(kernels, model_variant::mic, beta, tau);
        const compensated_sum local_p0 = solve_users(users, center, sigma0);

        // ∂S/∂Σ·V and Vᵀ∇²S V at (M, W) = the optimum at Σ, summed over ranks.
        sigma_term term(kernels, center);
        compensated_sum local_s;
        std::vector<compensated_sum> local_gradient(9), local_product(9);
        term.evaluate(sigma0, local_s, local_gradient);
        term.hessian_times(tangent, local_product);
        const auto gradient = sum_over_ranks(world(), local_gradient);
        const auto product = sum_over_ranks(world(), local_product);
        const double slope = dot(gradient, tangent), s_curvature = dot(tangent, product);
        // K (C²×C²), summed over ranks.
        const auto K = sum_over_ranks(world(), local_profile_curvature(users, center, 1e-9));
        std::vector<double> KV(9, 0.0);
        for (std::size_t a = 0; a < 9; ++a)
            for (std::size_t b = 0; b < 9; ++b) KV[a] += K[a * 9 + b] * tangent[b];
        const double k_curvature = dot(tangent, KV);

        // K is symmetric positive semidefinite (a sum of ZᵀZ): random directions, tangent or not.
        double k_size = 0;
        for (const double x : K) k_size = std::max(k_size, std::abs(x));
        for (std::size_t a = 0; a < 9; ++a)
            for (std::size_t b = 0; b < a; ++b) EXPECT_NEAR(K[a * 9 + b], K[b * 9 + a], 1e-13 * k_size);
        std::mt19937_64 rng(8);
        std::normal_distribution<double> normal;
        for (int trial = 0; trial < 20; ++trial) {
            std::vector<double> v(9), Kv(9, 0.0);
            for (double& x : v) x = normal(rng);
            for (std::size_t a = 0; a < 9; ++a)
                for (std::size_t b = 0; b < 9; ++b) Kv[a] += K[a * 9 + b] * v[b];
            EXPECT_GE(dot(v, Kv), -1e-12 * k_size * dot(v, v));
        }
        // K is not negligible here: Σ and W trade off (at β = 30, K cancels 99 % of ∇²S along V), so
        // the comparison below fails by a factor 3.7 (β = 5) or 100 (β = 30) without it.
        EXPECT_GT(k_curvature, 0.5 * std::abs(s_curvature)) << "beta " << beta;

        // Central differences of P with h = 3e-4. The truncation (h²/6 P⁽³⁾, h²/12 P⁽⁴⁾) and the rounding
        // of P (~1e-16 × the ~2·10³ magnitude of its parts, over h²) are both ~1e-7 relative there;
        // measured over h = 1e-2 … 1e-4, the second difference has its smallest error near h = 3e-4
        // (1.2e-7 at β = 5, 3.2e-8 at β = 30; ~5e-7 at h = 1e-3 and at 1e-4).
        const double h = 3e-4;
        model_params plus = center, minus = center;
        const compensated_sum parts[3] = {local_p0, solve_users(users, plus, along(sigma0, h, tangent)),
                                          solve_users(users, minus, along(sigma0, -h, tangent))};
        const auto P = sum_over_ranks(world(), std::span<const compensated_sum>(parts, 3));
        const double first = (P[1] - P[2]) / (2 * h), second = (P[1] - 2 * P[0] + P[2]) / (h * h);
        const double profile_curvature = s_curvature + k_curvature;
        EXPECT_NEAR(first, slope, 1e-6 * std::abs(slope)) << "beta " << beta;
        EXPECT_NEAR(second, profile_curvature, 2e-6 * std::abs(profile_curvature)) << "beta " << beta;
        if (world().rank() == 0)
            std::printf("beta %g: dP/dh %.10g vs <dS/dSigma, V> %.10g (relative error %.2e); d2P/dh2 %.10g vs "
                        "V'(S'' + K)V %.10g (relative error %.2e); V'S''V %.6g, V'KV %.6g\n",
                        beta, first, slope, std::abs(first - slope) / std::abs(slope), second, profile_curvature,
                        std::abs(second - profile_curvature) / std::abs(profile_curvature), s_curvature, k_curvature);
    }
}

// One profile Newton step (profile_sigma_step) over the ranks of `comm`, from the user optimum at the
// interior Σ = sigma0 (not Σ's optimum), users sharded by the cost partition as in `mic fit`.
struct profile_outcome {
    profile_step_result step;
    model_params params;        // after the step: every user on rank 0, the owned rows elsewhere
    double evaluated = 0;       // L at the returned point, by evaluate_loglik
};
profile_outcome profile_step_on(const communicator& comm, const dataset& data, model_variant variant, double beta) {
    const shard s = shard_of(comm, data);
    const shard_kernels kernels(s, tau, window);
    user_step users(kernels, std::size_t(1) << 30);
    model_params local = initial_params(kernels, variant, beta, tau);
    local.sigma = sigma0;
    users.run(local, {1e-10, 200});
    profile_outcome out;
    out.step = profile_sigma_step(comm, kernels, users, local);
    out.evaluated = evaluate_loglik(comm, s, local, window).loglik;
    model_params all = gather_params_on_root(comm, s, local);
    out.params = comm.is_root() ? std::move(all) : local;
    return out;
}

TEST(ProfileStep, IncreasesTheLikelihoodAndGivesTheSameSigmaOnAnyNumberOfRanks) {
    const dataset data = sensitivity_dataset();
    const struct {
        model_variant variant;
        double beta;
    } settings[] = {{model_variant::mic, 5.0}, {model_variant::mic, 30.0}, {model_variant::linmic, 1.0}};
    for (const auto& [variant, beta] : settings) {
        const profile_outcome distributed = profile_step_on(world(), data, variant, beta);
        const profile_outcome alone = profile_step_on(make_local_communicator(), data, variant, beta);
        const std::string name = std::string(name_of(variant)) + " beta " + std::to_string(beta);
        // Ascent, to a row-stochastic Σ, with the L it reports.
        EXPECT_TRUE(distributed.step.moved) << name;
        EXPECT_GT(distributed.step.loglik, distributed.step.loglik_before) << name;
        EXPECT_NEAR(distributed.step.loglik, distributed.evaluated, 1e-12 * std::abs(distributed.evaluated)) << name;
        EXPECT_GT(distributed.step.kkt_residual, 1e-3) << name;  // sigma0 is not Σ's optimum: a step to take
        EXPECT_NE(distributed.params.sigma, sigma0) << name;
        for (std::size_t row = 0; row < 3; ++row) {
            double sum = 0;
            for (std::size_t c = 0; c < 3; ++c) {
                EXPECT_GE(distributed.params.sigma[row * 3 + c], 0.0) << name;
                sum += distributed.params.sigma[row * 3 + c];
            }
            EXPECT_NEAR(sum, 1.0, 1e-14) << name;
        }
        // The same step on any number of ranks: K and the L of every trial are ordered sums, equal
        // to ~1 ulp across partitions; per-user responses do not depend on the partition.
        EXPECT_EQ(distributed.step.trials, alone.step.trials) << name;
        EXPECT_NEAR(distributed.step.loglik, alone.step.loglik, 1e-12 * std::abs(alone.step.loglik)) << name;
        EXPECT_LE(relative_error(distributed.params.sigma, alone.params.sigma, 0.0), 1e-10) << name;
        const model_params expected = same_rows(alone.params, distributed.params);
        EXPECT_LE(relative_error(distributed.params.mu, expected.mu, 0.0), 1e-10) << name;
        EXPECT_LE(relative_error(distributed.params.weight, expected.weight, 0.0), 1e-10) << name;
        if (world().rank() == 0)
            std::printf("%s: profile step L %.12g -> %.12g (%d trials, %d Hessian products, Sigma KKT %.2g before); "
                        "%d ranks vs 1: Sigma %.2e, mu %.2e, w %.2e relative\n",
                        name.c_str(), distributed.step.loglik_before, distributed.step.loglik, distributed.step.trials,
                        distributed.step.hessian_products, distributed.step.kkt_residual, world().size(),
                        relative_error(distributed.params.sigma, alone.params.sigma, 0.0),
                        relative_error(distributed.params.mu, expected.mu, 0.0),
                        relative_error(distributed.params.weight, expected.weight, 0.0));
    }
}

TEST(ProfileStep, TakesNoStepAndEvaluatesNothingAtAFittedOptimum) {
    const dataset data = sensitivity_dataset();
    const shard s = shard_of(world(), data);
    const shard_kernels kernels(s, tau, window);
    fit_options options;
    options.tolerance = 1e-13;
    options.max_iterations = 100;
    const fit_result fit = fit_model(world(), s, window, initial_params(kernels, model_variant::mic, 5.0, tau), options);
    ASSERT_TRUE(fit.converged);
    model_params at = fit.params;
    user_step users(kernels, std::size_t(1) << 30);
    const profile_step_result step = profile_sigma_step(world(), kernels, users, at);
    EXPECT_FALSE(step.moved);
    EXPECT_EQ(step.trials, 0);  // stopped by the KKT or the rounding test, not by a failed search
    EXPECT_EQ(at.sigma, fit.params.sigma);
    EXPECT_EQ(at.mu, fit.params.mu);
}

// Regression (projected_newton.hpp rounding estimate): re-solving every user from the optimum at a
// nearby Σ must reach the tolerance, and "converged" must mean residual ≤ tolerance.
TEST(UserStep, FromTheOptimumAtANearbySigmaReachesATightTolerance) {
    const dataset data = sensitivity_dataset();
    const shard s = make_shard(data, all_users(data));
    const shard_kernels kernels(s, tau, window);
    user_step users(kernels, std::size_t(1) << 30);
    model_params params = initial_params(kernels, model_variant::mic, 5.0, tau);
    params.sigma = sigma0;
    users.run(params, {1e-10, 500});
    for (const double h : {1e-3, 1e-4, 1e-5}) {
        model_params near = params;
        near.sigma = along(sigma0, h, tangent);
        for (const double tolerance : {1e-10, 1e-13}) {
            model_params solved = near;
            const user_step_summary summary = users.run(solved, {tolerance, 500});
            std::vector<double> loglik(s.owned.size()), residual(s.owned.size());
            users.check(solved, loglik, residual);
            double worst = 0;
            for (const double r : residual) worst = std::max(worst, r);
            if (world().rank() == 0)
                std::printf("h %g tolerance %g: not converged %lld, max residual %.3g\n", h, tolerance,
                            (long long)summary.not_converged, worst);
            EXPECT_EQ(summary.not_converged, 0) << "h " << h << " tolerance " << tolerance;
            EXPECT_LE(worst, tolerance) << "h " << h << " tolerance " << tolerance;
        }
    }
}

} // namespace
} // namespace mic
