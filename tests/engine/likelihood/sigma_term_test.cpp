// The Σ-term S(Σ) = Σ_e log f(c_e|t_e): value against the naive reference, gradient and exact
// Hessian-vector products against finite differences, symmetry, and concavity on row-stochastic Σ.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "engine/likelihood/sigma_term.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"
#include "tests/engine/reference/naive_mic.hpp"

namespace mic {
namespace {

using namespace mic::testing;

struct sigma_case {
    dataset data;
    shard whole;
    model_params params;
    likelihood_window window{1.5, 10.0};
};

sigma_case make_case(model_variant v, std::uint64_t seed, double beta = 1.5, bool ties = false, double tau = 0.35) {
    sigma_case c;
    c.data = small_dataset(seed, ties, 4);
    c.whole = make_shard(c.data, all_users(c.data));
    c.params = random_params(c.data, v, beta, tau, seed + 7);
    return c;
}

double dot(std::span<const double> a, std::span<const double> b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

TEST(SigmaTerm, ValueMatchesTheNaiveReferenceAtAnySigma) {
    std::mt19937_64 rng(31);
    for (auto v: all_variants)
        for (bool ties: {false, true}) {
            const auto c = make_case(v, 32, 1.5, ties);
            const shard_kernels kernels(c.whole, c.params.tau, c.window);
            sigma_term term(kernels, c.params);
            for (int trial = 0; trial < 3; ++trial) {
                const auto sigma = random_sigma(4, rng);
                const double naive = reference::sigma_term(c.data, c.params, sigma, c.window.from, c.window.to);
                EXPECT_NEAR(term.evaluate(sigma), naive, 1e-13 * (1 + std::abs(naive))) << name_of(v);
            }
            std::int64_t events = 0;
            for (double t: c.data.events.time) events += (t > c.window.from && t <= c.window.to);
            EXPECT_EQ(term.n_events(), events);
        }
}

TEST(SigmaTerm, GradientAndHessianVectorProductsMatchFiniteDifferences) {
    std::mt19937_64 rng(33);
    for (auto v: {model_variant::mic, model_variant::linmic}) {
        const auto c = make_case(v, 34);
        const shard_kernels kernels(c.whole, c.params.tau, c.window);
        sigma_term term(kernels, c.params);
        const auto sigma = random_sigma(4, rng);
        std::vector<double> g(16);
        term.evaluate(sigma, g);
        auto value = [&](std::span<const double> s) { return term.evaluate(s); };
        auto gradient = [&](std::span<const double> s) {
            std::vector<double> out(16);
            term.evaluate(s, out);
            return out;
        };
        EXPECT_LT(relative_error(g, central_gradient(value, sigma, 1e-6)), 1e-7) << name_of(v);
        // Full Hessian from 16 products with unit directions, against the Jacobian of the gradient.
        const auto fd = central_jacobian(gradient, sigma, 1e-6);
        term.evaluate(sigma, g);  // hessian_times works at the Σ of the last evaluate
        std::vector<double> H(256), e(16, 0.0), column(16);
        for (std::size_t j = 0; j < 16; ++j) {
            e[j] = 1.0;
            term.hessian_times(e, column);
            e[j] = 0.0;
            for (std::size_t i = 0; i < 16; ++i) H[j * 16 + i] = column[i];
        }
        EXPECT_LT(relative_error(H, fd), 1e-7) << name_of(v);
    }
}

TEST(SigmaTerm, HessianIsSymmetricAndConcaveOnRowStochasticDirections) {
    std::mt19937_64 rng(35);
    std::normal_distribution<double> normal;
    for (auto v: {model_variant::mic, model_variant::linmic})
        for (double beta: {0.5, 4.0}) {
            const auto c = make_case(v, 36, beta);
            const shard_kernels kernels(c.whole, c.params.tau, c.window);
            sigma_term term(kernels, c.params);
            term.evaluate(random_sigma(4, rng));
            for (int trial = 0; trial < 5; ++trial) {
                std::vector<double> a(16), b(16), Ha(16), Hb(16);
                for (auto& x: a) x = normal(rng);
                for (auto& x: b) x = normal(rng);
                term.hessian_times(a, Ha);
                term.hessian_times(b, Hb);
                EXPECT_NEAR(dot(b, Ha), dot(a, Hb), 1e-12 * (1 + std::abs(dot(b, Ha))));
                // A direction that keeps rows summing to 1: subtract each row's mean.
                for (int s = 0; s < 4; ++s) {
                    double mean = 0;
                    for (int k = 0; k < 4; ++k) mean += a[s * 4 + k] / 4;
                    for (int k = 0; k < 4; ++k) a[s * 4 + k] -= mean;
                }
                term.hessian_times(a, Ha);
                EXPECT_LE(dot(a, Ha), 1e-12) << name_of(v) << " beta " << beta;
            }
        }
}

TEST(SigmaTerm, StaysFiniteAtBetaOneHundredThousand) {
    std::mt19937_64 rng(37);
    const auto c = make_case(model_variant::mic, 38, 1e5);
    const shard_kernels kernels(c.whole, c.params.tau, c.window);
    sigma_term term(kernels, c.params);
    const auto sigma = random_sigma(4, rng);
    std::vector<double> g(16), Hv(16), dir(16, 0.25);
    const double value = term.evaluate(sigma, g);
    term.hessian_times(dir, Hv);
    EXPECT_TRUE(std::isfinite(value));
    for (double x: g) EXPECT_TRUE(std::isfinite(x));
    for (double x: Hv) EXPECT_TRUE(std::isfinite(x));
    const double naive = reference::sigma_term(c.data, c.params, sigma, c.window.from, c.window.to);
    EXPECT_NEAR(value, naive, 1e-12 * (1 + std::abs(naive)));
}

} // namespace
} // namespace mic
