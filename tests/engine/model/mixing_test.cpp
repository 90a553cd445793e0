// The mixing φ = log f(c|t) and its derivatives: stable from β = 0 to 1e5, exact derivatives.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "engine/model/mixing.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"

namespace mic {
namespace {

const std::vector<double> sample_nu{0.3, 1.2, 0.7, 0.05};

TEST(Mixing, BoltzmannAtBetaZeroIsUniform) {
    std::vector<double> f(4), q(4);
    EXPECT_DOUBLE_EQ(log_mixing(mixing_kind::boltzmann, 0.0, sample_nu, 2, f, q), -std::log(4.0));
    for (double x: f) EXPECT_DOUBLE_EQ(x, 0.25);
    for (double x: q) EXPECT_EQ(x, 0.0);
}

TEST(Mixing, BoltzmannAtBetaOneHundredThousandIsFiniteAndPicksTheLargest) {
    std::vector<double> f(4), q(4);
    const double top = log_mixing(mixing_kind::boltzmann, 1e5, sample_nu, 1, f, q);
    EXPECT_EQ(top, 0.0);  // f(1) = 1 to the last bit: the others are e^{−5e4}
    const double low = log_mixing(mixing_kind::boltzmann, 1e5, sample_nu, 3, f, q);
    EXPECT_NEAR(low, -1e5 * (1.2 - 0.05), 1e-6);
    for (double x: f) EXPECT_TRUE(std::isfinite(x));
    for (double x: q) EXPECT_TRUE(std::isfinite(x));
    std::vector<double> M(16);
    log_mixing_hessian(mixing_kind::boltzmann, 1e5, sample_nu, f, 3, M);
    for (double x: M) EXPECT_TRUE(std::isfinite(x));
}

TEST(Mixing, LinearIsTheShareOfTheContextIntensityAndMinusInfinityAtZero) {
    std::vector<double> f(4), q(4);
    EXPECT_DOUBLE_EQ(log_mixing(mixing_kind::linear, 0.0, sample_nu, 0, f, q), std::log(0.3 / 2.25));
    EXPECT_DOUBLE_EQ(f[1], 1.2 / 2.25);
    const std::vector<double> zero{0.0, 1.0};
    std::vector<double> f2(2), q2(2);
    EXPECT_EQ(log_mixing(mixing_kind::linear, 0.0, zero, 0, f2, q2), -HUGE_VAL);
    EXPECT_EQ(q2[0], 0.0);
}

TEST(Mixing, GradientAndHessianMatchFiniteDifferences) {
    for (auto kind: {mixing_kind::boltzmann, mixing_kind::linear}) {
        const double beta = 1.7;
        const std::int32_t c = 2;
        auto phi = [&](std::span<const double> x) {
            std::vector<double> f(4), q(4);
            return log_mixing(kind, beta, x, c, f, q);
        };
        auto grad = [&](std::span<const double> x) {
            std::vector<double> f(4), q(4);
            log_mixing(kind, beta, x, c, f, q);
            return q;
        };
        std::vector<double> f(4), q(4), M(16);
        log_mixing(kind, beta, sample_nu, c, f, q);
        EXPECT_LT(testing::relative_error(q, testing::central_gradient(phi, sample_nu, 1e-6)), 1e-8);
        log_mixing_hessian(kind, beta, sample_nu, f, c, M);
        EXPECT_LT(testing::relative_error(M, testing::central_jacobian(grad, sample_nu, 1e-6)), 1e-7);
        // Hessian-vector product agrees with the matrix.
        const std::vector<double> d{0.4, -1.0, 0.25, 2.0};
        std::vector<double> Md(4), expected(4, 0.0);
        log_mixing_hessian_times(kind, beta, sample_nu, f, c, d, Md);
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j) expected[i] += M[i * 4 + j] * d[j];
        EXPECT_LT(testing::relative_error(Md, expected), 1e-14);
    }
}

TEST(Mixing, ContextIntensitiesApplySigmaByColumns) {
    // ν*_c = μ_c + Σ_s σ_sc X_s with Σ = [[1,0,0],[.71,.29,0],[0,0,1]] (the paper's example).
    const std::vector<double> sigma{1, 0, 0, 0.71, 0.29, 0, 0, 0, 1};
    const auto model = make_event_model(mixing_kind::boltzmann, 1.0, 3, sigma);
    EXPECT_FALSE(model.sigma_is_identity);
    const double mu[3] = {0.1, 0.2, 0.3}, X[3] = {1.0, 2.0, 4.0};
    double out[3], y[3];
    context_intensities(model, mu, X, out);
    EXPECT_DOUBLE_EQ(out[0], 0.1 + 1.0 + 0.71 * 2.0);
    EXPECT_DOUBLE_EQ(out[1], 0.2 + 0.29 * 2.0);
    EXPECT_DOUBLE_EQ(out[2], 0.3 + 4.0);
    EXPECT_DOUBLE_EQ(out[0] + out[1] + out[2], 0.6 + 7.0);  // row-stochastic: Σ_c ν*_c = λ
    pull_back(model, X, y);
    EXPECT_DOUBLE_EQ(y[1], 0.71 * 1.0 + 0.29 * 2.0);
}

TEST(Mixing, ContextIntensitiesAndPullBackAddInThePlainLoopsOrderForAnyNumberOfCascades) {
    // Eight outputs at a time in registers must give the bits of the plain loops
    // ν*_c = ((μ_c + X_0 σ_0c) + X_1 σ_1c) + …  and  y_s = ((0 + σ_s0 q_0) + σ_s1 q_1) + …,
    // for C below, at and above a multiple of the eight lanes.
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    for (std::int32_t C = 1; C <= 20; ++C) {
        const auto sigma = testing::random_sigma(C, rng);
        const auto model = make_event_model(mixing_kind::boltzmann, 1.0, C, sigma);
        ASSERT_EQ(model.sigma_is_identity, C == 1 && sigma[0] == 1.0);
        const std::size_t n = std::size_t(C);
        std::vector<double> mu(n), X(n), q(n), nu(n), y(n), plain_nu(n), plain_y(n);
        for (std::int32_t i = 0; i < C; ++i) {
            mu[std::size_t(i)] = unit(rng);
            X[std::size_t(i)] = unit(rng);
            q[std::size_t(i)] = unit(rng);
        }
        plain_nu = mu;
        for (std::int32_t s = 0; s < C; ++s)
            for (std::int32_t c = 0; c < C; ++c) plain_nu[std::size_t(c)] += X[std::size_t(s)] * sigma[std::size_t(s * C + c)];
        for (std::int32_t s = 0; s < C; ++s) {
            double acc = 0;
            for (std::int32_t c = 0; c < C; ++c) acc += sigma[std::size_t(s * C + c)] * q[std::size_t(c)];
            plain_y[std::size_t(s)] = acc;
        }
        context_intensities(model, mu.data(), X.data(), nu.data());
        pull_back(model, q.data(), y.data());
        for (std::int32_t i = 0; i < C; ++i) {
            EXPECT_EQ(nu[std::size_t(i)], plain_nu[std::size_t(i)]) << "C = " << C << ", c = " << i;
            EXPECT_EQ(y[std::size_t(i)], plain_y[std::size_t(i)]) << "C = " << C << ", s = " << i;
        }
    }
    // C = 1 with Σ ≠ I (random_sigma gives [1], the identity path): the padded path on one lane.
    const std::vector<double> half{0.5};
    const auto model = make_event_model(mixing_kind::boltzmann, 1.0, 1, half);
    ASSERT_FALSE(model.sigma_is_identity);
    const double mu = 0.25, X = 3.0, q = -2.0;
    double nu = 0, y = 0;
    context_intensities(model, &mu, &X, &nu);
    pull_back(model, &q, &y);
    EXPECT_EQ(nu, 0.25 + 3.0 * 0.5);
    EXPECT_EQ(y, 0.5 * -2.0);
}

TEST(Mixing, AnEventModelNeedsCTimesCSigmaEntries) {
    const std::vector<double> three{1.0, 0.0, 0.0};
    EXPECT_THROW(make_event_model(mixing_kind::boltzmann, 1.0, 2, three), std::invalid_argument);
    EXPECT_THROW(make_event_model(mixing_kind::boltzmann, 1.0, 0, {}), std::invalid_argument);
}

} // namespace
} // namespace mic
