#include "engine/simulation/sum_tree.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
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

// Every level of a and b bit for bit (levels, padding and total), and the same find() answers.
void expect_identical(const sum_tree& a, const sum_tree& b, std::mt19937_64& rng, const char* where) {
    ASSERT_EQ(a.depth(), b.depth());
    for (std::size_t l = 0; l < a.depth(); ++l) {
        const auto x = a.level(l), y = b.level(l);
        ASSERT_EQ(x.size(), y.size());
        for (std::size_t i = 0; i < x.size(); ++i)
            ASSERT_EQ(std::bit_cast<std::uint64_t>(x[i]), std::bit_cast<std::uint64_t>(y[i]))
                << where << ": level " << l << ", entry " << i << ": " << x[i] << " vs " << y[i];
    }
    ASSERT_EQ(std::bit_cast<std::uint64_t>(a.total()), std::bit_cast<std::uint64_t>(b.total())) << where;
    if (!(a.total() > 0.0)) return;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int k = 0; k < 20; ++k) {
        const double target = unit(rng) * a.total();
        ASSERT_EQ(a.find(target), b.find(target)) << where;
    }
}

// The simulation updates all out-neighbours of an event in one add(indices, deltas). The tree must
// end exactly as with one add(i, delta) per leaf in the same order: seeded simulations depend on
// every bit of the sums (they pick the next user). Batches sorted (as out-lists are) and unsorted,
// with repeated indices, indices crowded into one run of 8 or 64 (shared ancestors at every level),
// deltas over 12 orders of magnitude (so any other summation order would round differently).
TEST(SumTree, BatchedAddsLeaveEveryLevelBitIdenticalToOneAddPerLeaf) {
    std::mt19937_64 rng(2024);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (std::size_t n: {1u, 7u, 8u, 9u, 64u, 65u, 513u, 4097u, 100000u}) {
        sum_tree batched(n), sequential(n);
        std::vector<std::int32_t> indices;
        std::vector<double> deltas;
        for (int round = 0; round < 3000; ++round) {
            const auto k = std::size_t(unit(rng) * 24);  // 0 .. 23 leaves per batch
            indices.resize(k);
            deltas.resize(k);
            const int kind = round % 4;
            const auto base = std::size_t(unit(rng) * double(n));
            for (std::size_t j = 0; j < k; ++j) {
                std::size_t i = std::size_t(unit(rng) * double(n));
                if (kind == 2) i = std::min(n - 1, base / 8 * 8 + std::size_t(unit(rng) * 8));     // one run of 8
                if (kind == 3) i = std::min(n - 1, base / 64 * 64 + std::size_t(unit(rng) * 64));  // one run of 64
                indices[j] = std::int32_t(i);
                deltas[j] = std::pow(10.0, -6.0 + 12.0 * unit(rng)) * unit(rng);
            }
            if (kind != 1) std::sort(indices.begin(), indices.end());  // kind 1: unsorted
            if (k > 2 && kind == 0) indices[1] = indices[0];           // a repeated leaf
            batched.add(indices, deltas);
            for (std::size_t j = 0; j < k; ++j) sequential.add(std::size_t(indices[j]), deltas[j]);
            if (round % 100 == 99 || n <= 64) {
                expect_identical(batched, sequential, rng, "after a batch");
                if (HasFatalFailure()) return;
            }
        }
        expect_identical(batched, sequential, rng, "at the end");
        if (HasFatalFailure()) return;
        batched.scale(0.25);  // the rescaling of the simulation's frame
        sequential.scale(0.25);
        expect_identical(batched, sequential, rng, "after scale");
        if (HasFatalFailure()) return;
    }
}

TEST(SumTree, BatchedAddOfNothingChangesNothing) {
    sum_tree tree(20);
    tree.set(3, 1.5);
    const double total = tree.total();
    tree.add(std::span<const std::int32_t>{}, std::span<const double>{});
    EXPECT_EQ(tree.total(), total);
    EXPECT_EQ(tree.find(0.5 * total), 3u);
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
