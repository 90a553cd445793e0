// The over-relaxed point of an outer iteration (extrapolation.hpp): the line through the iteration's
// start and end where nothing is clipped, baselines and weights clipped at 0, Σ kept row-stochastic.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/inference/extrapolation.hpp"

namespace mic {
namespace {

model_params two_user_params(std::vector<double> mu, std::vector<double> weight, std::vector<double> sigma) {
    model_params p;
    p.variant = model_variant::mic;
    p.n_users = 2;
    p.n_cascades = 2;
    p.mu = std::move(mu);
    p.sigma = std::move(sigma);
    p.in_offsets = {0, 1, 2};
    p.in_source = {1, 0};
    p.weight = std::move(weight);
    return p;
}

TEST(Extrapolated, IsTheLineThroughTheIterationsStartAndEndWhereNothingIsClipped) {
    const model_params x = two_user_params({1, 2, 3, 4}, {0.5, 0.25}, {0.9, 0.1, 0.2, 0.8});
    const model_params g = two_user_params({1.5, 2, 2.5, 4.25}, {0.75, 0.125}, {0.8, 0.2, 0.3, 0.7});
    const model_params y = extrapolated(x, g, 3);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_DOUBLE_EQ(y.mu[i], x.mu[i] + 3 * (g.mu[i] - x.mu[i])) << i;
    EXPECT_DOUBLE_EQ(y.mu[0], 2.5);
    EXPECT_DOUBLE_EQ(y.weight[0], 1.25);
    // Σ: 0.9 + 3·(−0.1) = 0.6 and 0.1 + 3·0.1 = 0.4 — already a stochastic row.
    EXPECT_NEAR(y.sigma[0], 0.6, 1e-15);
    EXPECT_NEAR(y.sigma[1], 0.4, 1e-15);
    EXPECT_NEAR(y.sigma[2], 0.5, 1e-15);
    EXPECT_NEAR(y.sigma[3], 0.5, 1e-15);
    EXPECT_EQ(y.in_source, g.in_source);
}

TEST(Extrapolated, ClipsBaselinesAndWeightsAtZeroAndRenormalisesClippedRowsOfSigma) {
    const model_params x = two_user_params({1, 1, 1, 1}, {0.5, 0.5}, {0.5, 0.5, 0.5, 0.5});
    const model_params g = two_user_params({0.5, 1, 1, 1}, {0.25, 0.5}, {0.9, 0.1, 0.5, 0.5});
    const model_params y = extrapolated(x, g, 4);
    EXPECT_EQ(y.mu[0], 0.0);      // 1 + 4·(−0.5) < 0
    EXPECT_EQ(y.weight[0], 0.0);  // 0.5 + 4·(−0.25) < 0
    EXPECT_EQ(y.mu[1], 1.0);
    // Row 0: 0.5 + 4·0.4 = 2.1 and 0.5 − 1.6 = −1.1 → (2.1, 0) → (1, 0).
    EXPECT_DOUBLE_EQ(y.sigma[0], 1.0);
    EXPECT_DOUBLE_EQ(y.sigma[1], 0.0);
    for (int s = 0; s < 2; ++s) EXPECT_NEAR(y.sigma[std::size_t(2 * s)] + y.sigma[std::size_t(2 * s + 1)], 1.0, 1e-15);
}

TEST(Extrapolated, RefusesParameterSetsOfDifferentShapes) {
    const model_params x = two_user_params({1, 1, 1, 1}, {0.5, 0.5}, {1, 0, 0, 1});
    model_params g = x;
    g.weight.push_back(1);
    EXPECT_THROW(extrapolated(x, g, 2), std::logic_error);
}

TEST(ExtrapolationFactors, ClimbByHalvesAndDoublesUpToTheLargest) {
    EXPECT_EQ(extrapolation_factors(8), (std::vector<double>{2, 3, 4, 6, 8}));
    EXPECT_EQ(extrapolation_factors(10), (std::vector<double>{2, 3, 4, 6, 8}));
    EXPECT_EQ(extrapolation_factors(2), (std::vector<double>{2}));
    EXPECT_TRUE(extrapolation_factors(1).empty());
    EXPECT_TRUE(extrapolation_factors(0).empty());
}

} // namespace
} // namespace mic
