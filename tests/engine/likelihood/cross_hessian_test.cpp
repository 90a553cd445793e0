// The cross derivatives ∂²L_u/∂θ∂Σ (event_terms::add_cross_hessian, user_objective::cross_hessian,
// stream_user_cross_hessian, user_step::second_derivatives): against central differences of the
// analytic gradient ∂L_u/∂θ in σ_sc, against mixed central differences of the naive O(N²)
// reference, and stored features = streaming pass bit for bit. Σ is perturbed entry by entry, off
// the simplex (the cross Hessian is defined for a free Σ; λ = Σμ + ΣX does not involve Σ).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "engine/inference/user_step.hpp"
#include "engine/likelihood/user_likelihood.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"
#include "tests/engine/reference/naive_mic.hpp"

namespace mic {
namespace {

using namespace mic::testing;

// A variant, β and whether Σ is a random row-stochastic matrix (else the identity: the start of
// every fit, and the `sigma_is_identity` shortcut of the event terms).
struct cross_case {
    model_variant variant;
    double beta;
    bool random_sigma;
};
std::string describe(const cross_case& c) {
    return std::string(name_of(c.variant)) + " beta " + std::to_string(c.beta) +
           (c.random_sigma ? " random Sigma" : " Sigma = I");
}
constexpr cross_case cases[] = {{model_variant::mic, 2.0, true},
                                {model_variant::mic, 30.0, true},
                                {model_variant::linmic, 1.0, true},
                                {model_variant::mic, 2.0, false},
                                {model_variant::linmic, 1.0, false}};

const likelihood_window window{2.0, 9.5};

model_params case_params(const dataset& data, const cross_case& c, std::uint64_t seed) {
    model_params params = random_params(data, c.variant, c.beta, 0.7, seed);  // θ > 0 (μ ≥ .05, w ≥ .05)
    if (!c.random_sigma) params.sigma = identity_sigma(params.n_cascades);
    return params;
}

TEST(CrossHessian, MatchesFiniteDifferencesOfTheUserGradientInSigma) {
    const dataset data = small_dataset(21);
    const shard whole = make_shard(data, all_users(data));
    const shard_kernels kernels(whole, 0.7, window);
    kernel_sweep sweep(kernels);
    const std::size_t C = 3, CC = C * C;
    for (const cross_case& cc : cases) {
        double worst = 0;
        const model_params params = case_params(data, cc, 31);
        const event_model model = make_event_model(params);
        int users_with_events = 0;
        for (std::int32_t u = 0; u < params.n_users; ++u) {
            const user_features features = build_user_features(sweep, std::size_t(u));
            users_with_events += features.n_events() > 0;
            const std::vector<double> theta = user_theta(params, u);
            const std::size_t p = theta.size();
            std::vector<double> cross(p * CC);
            user_objective(features, model).cross_hessian(theta, cross);
            // Column sc of the cross Hessian = ∂(∇_θ L_u)/∂σ_sc by central differences of the analytic
            // gradient, σ_sc ± h alone (off the simplex). h = 1e-6: the truncation error is
            // h²/6 · ∂³(∇L)/∂σ³ ~ h² β³ x³ ≈ 3e-8 relative to β² x² at β = 30 (x ≲ 1), and the rounding
            // error ε |∇L| / h ≈ 1e-10 relative.
            const double h = 1e-6;
            std::vector<double> numeric(p * CC), up(p), down(p);
            for (std::size_t sc = 0; sc < CC; ++sc) {
                std::vector<double> sigma = model.sigma;
                sigma[sc] = model.sigma[sc] + h;
                const event_model plus = make_event_model(model.mixing, model.beta, model.n_cascades, sigma);
                user_objective(features, plus).evaluate(theta, up);
                sigma[sc] = model.sigma[sc] - h;
                const event_model minus = make_event_model(model.mixing, model.beta, model.n_cascades, sigma);
                user_objective(features, minus).evaluate(theta, down);
                for (std::size_t i = 0; i < p; ++i) numeric[i * CC + sc] = (up[i] - down[i]) / (2 * h);
            }
            const double error = relative_error(cross, numeric);
            worst = std::max(worst, error);
            EXPECT_LT(error, 1e-6) << describe(cc) << " user " << u;
            // A user with events has a non-zero cross Hessian (the test cannot pass with cross = 0).
            if (features.n_events() > 0 && cc.random_sigma) {
                double size = 0;
                for (double x : cross) size = std::max(size, std::abs(x));
                EXPECT_GT(size, 1e-3) << describe(cc) << " user " << u;
            }
        }
        EXPECT_GE(users_with_events, 5);
        std::printf("%s: cross Hessian vs differences of the gradient, max relative error %.2e\n",
                    describe(cc).c_str(), worst);
    }
}

TEST(CrossHessian, MatchesMixedDifferencesOfTheNaiveReference) {
    const dataset data = small_dataset(22);
    const shard whole = make_shard(data, all_users(data));
    const shard_kernels kernels(whole, 0.7, window);
    kernel_sweep sweep(kernels);
    const std::size_t C = 3, CC = C * C;
    for (const cross_case& cc : cases) {
        double worst = 0;
        const model_params params = case_params(data, cc, 32);
        const event_model model = make_event_model(params);
        // Mixed central differences of the naive L_u (params.sigma is taken as it is, off the simplex):
        //   ∂²L/∂θ_i∂σ_sc ≈ [L(+,+) − L(+,−) − L(−,+) + L(−,−)] / (4 h h).
        // Truncation ~ h²/6 (∂⁴L/∂θ_i³∂σ + ∂⁴L/∂θ_i∂σ³): relative to the cross term it grows like
        // (hβ)² under Boltzmann mixing and like (h/ν*)² under linear mixing (ν* ≳ 0.05 here); rounding
        // is ε|L_u|/h² (|L_u| ≲ 30). Measured over h = 1e-3 … 3e-6, the error is smallest near
        // h = 1e-3/β under Boltzmann mixing and h = 5e-5 under linear mixing; there it is ≤ 3.3e-7
        // in every case below, while 10× smaller h gives ~1e-5 (rounding), 10× larger ~1e-4 (truncation).
        const double h = model.mixing == mixing_kind::boltzmann ? 1e-3 / cc.beta : 5e-5;
        for (std::int32_t u = 0; u < params.n_users; ++u) {
            const user_features features = build_user_features(sweep, std::size_t(u));
            const std::vector<double> theta = user_theta(params, u);
            const std::size_t p = theta.size();
            std::vector<double> cross(p * CC);
            user_objective(features, model).cross_hessian(theta, cross);

            model_params at = params;
            auto naive = [&](std::size_t i, double di, std::size_t sc, double dsc) {
                std::vector<double> x = theta;
                x[i] += di;
                set_user_theta(at, u, x);
                at.sigma = params.sigma;
                at.sigma[sc] += dsc;
                return reference::user_loglik(data, at, u, window.from, window.to);
            };
            std::vector<double> numeric(p * CC);
            for (std::size_t i = 0; i < p; ++i)
                for (std::size_t sc = 0; sc < CC; ++sc)
                    numeric[i * CC + sc] = (naive(i, h, sc, h) - naive(i, h, sc, -h) - naive(i, -h, sc, h) +
                                            naive(i, -h, sc, -h)) / (4 * h * h);
            const double error = relative_error(cross, numeric);
            worst = std::max(worst, error);
            EXPECT_LT(error, 5e-6) << describe(cc) << " user " << u;
        }
        std::printf("%s: cross Hessian vs mixed differences of the naive reference (h %.2g), max relative error %.2e\n",
                    describe(cc).c_str(), h, worst);
    }
}

TEST(CrossHessian, StreamingAndStoredFeaturesGiveIdenticalBits) {
    const dataset data = small_dataset(23, true);  // integer times: ties across users
    const shard whole = make_shard(data, all_users(data));
    const shard_kernels kernels(whole, 0.3, window);
    kernel_sweep sweep(kernels);
    const std::size_t CC = 9;
    for (const cross_case& cc : cases) {
        const model_params params = case_params(data, cc, 33);
        const event_model model = make_event_model(params);
        event_terms shared(model, 0);  // scratch reused across users of any in-degree
        // All users cached, and none (every evaluation streamed): user_step::second_derivatives.
        user_step cached(kernels, std::size_t(1) << 30), streamed(kernels, 0);
        ASSERT_EQ(cached.cached_users(), whole.owned.size());
        ASSERT_EQ(streamed.cached_users(), 0u);
        for (std::int32_t u = 0; u < params.n_users; ++u) {
            const std::vector<double> theta = user_theta(params, u);
            const std::size_t p = theta.size();
            std::vector<double> stored(p * CC, 7.0), streaming(p * CC, 7.0);  // overwritten, not accumulated
            const user_features features = build_user_features(sweep, std::size_t(u));
            user_objective(features, model).cross_hessian(theta, stored);
            stream_user_cross_hessian(sweep, shared, std::size_t(u), theta, streaming);
            EXPECT_EQ(stored, streaming) << describe(cc) << " user " << u;

            std::vector<double> g1(p), g2(p), H1(p * p), H2(p * p), J1(p * CC), J2(p * CC);
            const double l1 = cached.second_derivatives(std::size_t(u), model, theta, g1, H1, J1);
            const double l2 = streamed.second_derivatives(std::size_t(u), model, theta, g2, H2, J2);
            EXPECT_EQ(l1, l2);
            EXPECT_EQ(g1, g2);
            EXPECT_EQ(H1, H2);
            EXPECT_EQ(J1, stored) << describe(cc) << " user " << u;
            EXPECT_EQ(J2, stored) << describe(cc) << " user " << u;
            // The value and gradient are those of evaluate().
            std::vector<double> g(p);
            EXPECT_EQ(user_objective(features, model).evaluate(theta, g), l1);
            EXPECT_EQ(g, g1);
        }
    }
}

} // namespace
} // namespace mic
