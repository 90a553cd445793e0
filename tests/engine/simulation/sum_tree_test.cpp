#include "engine/simulation/sum_tree.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace mic {
namespace {

// Index found by a linear scan of the prefix sums: the oracle of sum_tree::find.
std::size_t linear_find(const std::vector<double>& w, double target) {
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (target < w[i]) return i;
        target -= w[i];
    }
    return w.size();
}

std::vector<double> random_weights(std::size_t n, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<double> w(n);
    for (auto& x: w) x = unit(rng) < 0.3 ? 0.0 : unit(rng);  // a third of the leaves are empty
    return w;
}

TEST(SumTree, FindAgreesWithALinearScanForEverySize) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (std::size_t n: {1u, 5u, 8u, 9u, 63u, 64u, 65u, 513u, 4097u}) {
        auto w = random_weights(n, rng);
        w[n - 1] = 0.5;  // at least one positive leaf
        sum_tree tree(n);
        tree.assign(w);
        double exact = 0.0;
        for (double x: w) exact += x;
        EXPECT_NEAR(tree.total(), exact, 1e-12 * exact) << n;
        for (int k = 0; k < 2000; ++k) {
            const double target = unit(rng) * tree.total();
            const std::size_t i = tree.find(target);
            // Away from a boundary (rounding of the two summation orders), both agree exactly.
            const std::size_t j = linear_find(w, target);
            if (j < n) {
                EXPECT_EQ(i, j) << "n = " << n << ", target = " << target;
            }
            EXPECT_GT(w[i], 0.0);
        }
    }
}

TEST(SumTree, NeverReturnsALeafOfZeroWeightEvenAtTheEnds) {
    std::vector<double> w{0, 0, 0.25, 0, 0, 0, 0, 0, 0, 0.75, 0, 0, 0};
    sum_tree tree(w.size());
    tree.assign(w);
    EXPECT_EQ(tree.find(0.0), 2u);
    EXPECT_EQ(tree.find(0.2499), 2u);
    EXPECT_EQ(tree.find(0.25), 9u);
    EXPECT_EQ(tree.find(tree.total() * (1 - 1e-16)), 9u);
    EXPECT_EQ(tree.find(tree.total() * 1.5), 9u);  // past the end by rounding: the last positive leaf
}

TEST(SumTree, UpdatesKeepEveryInnerSumExactWithoutDrift) {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const std::size_t n = 1000;
    std::vector<double> w(n, 0.0);
    sum_tree tree(n);
    for (int k = 0; k < 200000; ++k) {
        const auto i = std::size_t(unit(rng) * n);
        w[i] = unit(rng) * 1e3;
        tree.set(i, w[i]);
    }
    sum_tree fresh(n);
    fresh.assign(w);
    EXPECT_EQ(tree.total(), fresh.total());  // same sums in the same order: bit-identical
    tree.scale(0.5);
    EXPECT_EQ(tree.total(), 0.5 * fresh.total());
    EXPECT_EQ(tree.leaf(3), 0.5 * w[3]);
}

TEST(SumTree, DrawsIndicesInProportionToTheirWeights) {
    const std::vector<double> w{1, 0, 2, 3, 0, 4, 0, 0, 0, 10};
    sum_tree tree(w.size());
    tree.assign(w);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const int draws = 200000;
    std::vector<int> hits(w.size(), 0);
    for (int k = 0; k < draws; ++k) ++hits[tree.find(unit(rng) * tree.total())];
    for (std::size_t i = 0; i < w.size(); ++i) {
        const double p = w[i] / 20.0;
        const double sd = std::sqrt(draws * p * (1 - p));
        EXPECT_NEAR(hits[i], draws * p, 4 * sd + 1e-9) << i;  // 4 binomial standard deviations
    }
}

} // namespace
} // namespace mic
