// Uniformisation weights: the Poisson pmf, its tails, and the truncation bound, for small and
// large λ = Λt.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "engine/support/poisson_weights.hpp"

namespace mic {
namespace {

double direct_pmf(double lambda, std::int64_t k) {
    return std::exp(-lambda + static_cast<double>(k) * std::log(lambda) - std::lgamma(static_cast<double>(k) + 1.0));
}

TEST(UniformizationWeights, ProbabilitiesAreThePoissonPmf) {
    for (double lambda: {0.3, 5.0, 80.0}) {
        const auto w = uniformization_weights(lambda, weight_kind::probability, 1e-12);
        for (std::int64_t k = 0; k <= w.last(); ++k)
            EXPECT_NEAR(w.weight[static_cast<std::size_t>(k)], direct_pmf(lambda, k), 1e-13) << "λ=" << lambda << " k=" << k;
        const double kept = std::accumulate(w.weight.begin(), w.weight.end(), 0.0);
        EXPECT_NEAR(kept + w.dropped, 1.0, 1e-14);
        EXPECT_LE(w.dropped, 1e-12);
        // R is the first index that meets the tolerance: one term fewer would not.
        EXPECT_GT(w.dropped + w.weight.back(), 1e-12);
    }
}

TEST(UniformizationWeights, TailsAreThePoissonSurvivalFunction) {
    const double lambda = 12.5;
    const auto p = uniformization_weights(lambda, weight_kind::probability, 1e-15);
    const auto t = uniformization_weights(lambda, weight_kind::tail, 1e-15);
    double cdf = 0.0;
    for (std::int64_t k = 0; k <= std::min(p.last(), t.last()); ++k) {
        cdf += p.weight[static_cast<std::size_t>(k)];
        EXPECT_NEAR(t.weight[static_cast<std::size_t>(k)], 1.0 - cdf, 1e-14) << k;  // T_k = P(N > k)
    }
}

TEST(UniformizationWeights, SumsOfTheWeightsGiveThePoissonMoments) {
    // Σ_k T_k = E[N] = λ and Σ_k U_k/λ = E[N(N−1)/2]/λ = λ/2, up to the dropped mass.
    for (double lambda: {0.7, 40.0, 2.0e4, 3.0e5}) {
        const auto t = uniformization_weights(lambda, weight_kind::tail, 1e-10);
        const auto u = uniformization_weights(lambda, weight_kind::tail_average, 1e-10);
        const double st = std::accumulate(t.weight.begin(), t.weight.end(), 0.0);
        const double su = std::accumulate(u.weight.begin(), u.weight.end(), 0.0);
        EXPECT_NEAR(st + t.dropped, lambda, 1e-12 * lambda + 1e-14) << lambda;
        EXPECT_NEAR(su + u.dropped, lambda / 2.0, 1e-12 * lambda + 1e-14) << lambda;
        EXPECT_LE(t.dropped, 1e-10);
        EXPECT_LE(u.dropped, 1e-10);
        // A large λ needs about λ + c√λ terms, not more: no underflow at the start, no runaway tail.
        EXPECT_LT(static_cast<double>(t.last()), lambda + 12.0 * std::sqrt(lambda) + 40.0);
        EXPECT_GT(static_cast<double>(t.last()), lambda);
    }
}

TEST(UniformizationWeights, ZeroLambdaIsTheIdentity) {
    EXPECT_EQ(uniformization_weights(0.0, weight_kind::probability, 1e-8).weight, std::vector<double>{1.0});
    EXPECT_EQ(uniformization_weights(0.0, weight_kind::tail, 1e-8).weight, std::vector<double>{0.0});
}

} // namespace
} // namespace mic
