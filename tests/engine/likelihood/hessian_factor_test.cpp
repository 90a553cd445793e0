// The square-root factor of −∇²L_u (event_terms::add_factor_rows, hessian_factor.hpp):
// ZᵀZ against the exact dense Hessian and against central differences of the gradient, for all
// four variants, C = 1 and C = 3, in both storage forms; its value against the naive reference; the
// stored-features and streaming passes give the same bits.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "engine/likelihood/user_likelihood.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"
#include "tests/engine/reference/naive_mic.hpp"

namespace mic {
namespace {

using namespace mic::testing;

constexpr likelihood_window window{2.0, 9.5};

// ZᵀZ as a full p×p row-major matrix, whichever form the factor took.
std::vector<double> square(const hessian_factor& factor) {
    const std::size_t p = factor.dimension();
    Eigen::MatrixXd A;
    if (factor.keeps_rows()) {
        A = factor.factor().transpose() * factor.factor();
    } else {
        A = factor.normal().selfadjointView<Eigen::Lower>();
    }
    std::vector<double> out(p * p);
    for (std::size_t i = 0; i < p; ++i)
        for (std::size_t j = 0; j < p; ++j) out[i * p + j] = A(Eigen::Index(i), Eigen::Index(j));
    return out;
}

std::vector<double> negated(std::vector<double> x) {
    for (double& v : x) v = -v;
    return x;
}

TEST(HessianFactor, SquaresToTheNegativeHessianAndMatchesFiniteDifferencesForAllVariants) {
    for (std::int32_t C : {1, 3})
        for (auto variant : all_variants) {
            const dataset data = small_dataset(31, false, C);
            const shard whole = make_shard(data, all_users(data));
            const model_params params = random_params(data, variant, 2.5, 0.7, 32);
            const shard_kernels kernels(whole, params.tau, window);
            kernel_sweep sweep(kernels);
            const event_model model = make_event_model(params);
            ASSERT_TRUE(factor_supported(model));
            int with_events = 0;
            for (std::int32_t u = 0; u < params.n_users; ++u) {
                const user_features features = build_user_features(sweep, std::size_t(u));
                user_objective objective(features, model);
                const auto theta = user_theta(params, u);
                const std::size_t p = theta.size();
                std::vector<double> g(p), H(p * p), g_factor(p);
                hessian_factor factor;
                const double value = objective.evaluate(theta, g, H);
                EXPECT_EQ(objective.evaluate(theta, g_factor, factor), value);
                EXPECT_EQ(g_factor, g);
                EXPECT_NEAR(value, reference::user_loglik(data, params, u, window.from, window.to),
                            1e-12 * std::abs(value));
                const auto A = square(factor);
                EXPECT_LT(relative_error(A, negated(H)), 1e-13) << name_of(variant) << " C " << C << " user " << u;
                auto gradient = [&](std::span<const double> x) {
                    std::vector<double> out(p);
                    objective.evaluate(x, out);
                    return out;
                };
                EXPECT_LT(relative_error(A, negated(central_jacobian(gradient, theta, 1e-6))), 1e-7)
                    << name_of(variant) << " C " << C << " user " << u;
                with_events += features.n_events() > 0;
            }
            EXPECT_GT(with_events, 3);
        }
}

TEST(HessianFactor, KeepsTheRowsWhenThereAreFewerRowsThanCoordinatesAndGivesTheSameMatrixEitherWay) {
    std::mt19937_64 rng(5);
    std::normal_distribution<double> normal;
    for (std::size_t m : {3u, 40u, 700u}) {
        const std::size_t p = 12;
        hessian_factor rows_form, normal_form;
        rows_form.start(p, m < p ? m : p - 1);
        normal_form.start(p, p);
        std::vector<double> all(m * p);
        for (double& x : all) x = normal(rng);
        for (std::size_t r = 0; r < m; ++r) {
            std::copy_n(all.begin() + std::ptrdiff_t(r * p), p, rows_form.add_row());
            std::copy_n(all.begin() + std::ptrdiff_t(r * p), p, normal_form.add_row());
        }
        rows_form.finish();
        normal_form.finish();
        rows_form.add_diagonal(1, 4.0);
        normal_form.add_diagonal(1, 4.0);
        EXPECT_TRUE(rows_form.keeps_rows());
        EXPECT_FALSE(normal_form.keeps_rows());
        EXPECT_LT(relative_error(square(rows_form), square(normal_form)), 1e-14) << m << " rows";
        for (std::size_t i = 0; i < p; ++i)
            EXPECT_NEAR(rows_form.diagonal(i), normal_form.diagonal(i), 1e-12 * normal_form.diagonal(i));
    }
}

TEST(HessianFactor, StoredFeaturesAndTheStreamingPassGiveIdenticalFactors) {
    for (auto variant : all_variants) {
        const dataset data = small_dataset(37, true);
        const shard whole = make_shard(data, all_users(data));
        const model_params params = random_params(data, variant, 4.0, 1.3, 38);
        const shard_kernels kernels(whole, params.tau, window);
        kernel_sweep sweep(kernels), streaming(kernels);
        const event_model model = make_event_model(params);
        event_terms terms(model, 0);
        for (std::int32_t u = 0; u < params.n_users; ++u) {
            const user_features features = build_user_features(sweep, std::size_t(u));
            user_objective objective(features, model);
            const auto theta = user_theta(params, u);
            std::vector<double> g1(theta.size()), g2(theta.size());
            hessian_factor f1, f2;
            const double a = objective.evaluate(theta, g1, f1);
            const double b = stream_user_loglik(streaming, terms, std::size_t(u), theta, g2, f2);
            EXPECT_EQ(a, b);
            EXPECT_EQ(g1, g2);
            EXPECT_EQ(square(f1), square(f2)) << name_of(variant) << " user " << u;
        }
    }
}

TEST(HessianFactor, IsRefusedForLinearMixingWithASigmaThatIsNotRowStochastic) {
    const std::vector<double> sigma{0.5, 0.6, 0.0, 1.0};  // row 0 sums to 1.1
    EXPECT_FALSE(factor_supported(make_event_model(mixing_kind::linear, 1.0, 2, sigma)));
    EXPECT_TRUE(factor_supported(make_event_model(mixing_kind::boltzmann, 1.0, 2, sigma)));
}

} // namespace
} // namespace mic
