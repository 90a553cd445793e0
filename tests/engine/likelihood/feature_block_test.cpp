// feature_block: the lane-major blocks of kernel states and their two products, against plain loops
// over one event at a time written in the documented order of summation (bit for bit), and the
// scatter, gather and clear that fill a block.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "engine/likelihood/feature_block.hpp"

namespace mic {
namespace {

constexpr std::size_t L = feature_lanes;

// acc + x·a as the build does it: one fused multiply-add where it targets FMA, else a multiply and
// an add (the project builds with -ffp-contract=off, so the compiler does not fuse this by itself).
double multiply_add(double x, double a, double acc) {
#if defined(__FMA__)
    return std::fma(x, a, acc);
#else
    return x * a + acc;
#endif
}

// The partial sums per cascade of the documented order: 8, 4, 2 and 1 for groups of 1, 2, 3–4 and
// 5–15 cascades; C in groups of eight while 16 or more remain, then the rest as one group.
std::vector<std::size_t> partials_per_cascade(std::size_t C) {
    std::vector<std::size_t> R(C);
    std::size_t s = 0;
    for (; C - s >= 16; s += 8)
        for (std::size_t g = 0; g < 8; ++g) R[s + g] = 1;
    const std::size_t rest = C - s;
    const std::size_t r = rest == 1 ? 8 : rest == 2 ? 4 : rest <= 4 ? 2 : 1;
    for (; s < C; ++s) R[s] = r;
    return R;
}

// X_s = Σ_v w_v G[v][s] of one event (G row-major k×C): R interleaved partial sums, added pairwise.
double plain_drive(const std::vector<double>& w, const std::vector<double>& G, std::size_t C, std::size_t s,
                   std::size_t R) {
    std::vector<double> partial(R, 0.0);
    for (std::size_t v = 0; v < w.size(); ++v) partial[v % R] = multiply_add(G[v * C + s], w[v], partial[v % R]);
    for (std::size_t width = R / 2; width > 0; width /= 2)
        for (std::size_t r = 0; r < width; ++r) partial[r] += partial[r + width];
    return partial[0];
}

TEST(FeatureBlock, SocialDriveOfEightEventsIsTheDocumentedSumOfEachEventBitForBit) {
    std::mt19937_64 rng(29);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (std::size_t C: {1u, 2u, 3u, 4u, 5u, 7u, 8u, 10u, 15u, 16u, 17u, 24u, 31u})
        for (std::size_t k: {0u, 1u, 3u, 8u, 9u, 37u}) {
            const auto R = partials_per_cascade(C);
            std::vector<double> w(k), block(k * C * L), X(C * L, 42.0);
            for (auto& x: w) x = unit(rng);
            std::vector<std::vector<double>> rows(L, std::vector<double>(k * C));
            for (std::size_t j = 0; j < L; ++j) {
                for (auto& g: rows[j]) g = std::pow(10.0, 3.0 * unit(rng) - 2.0);  // magnitudes apart: order matters
                scatter_to_lane(rows[j], j, block.data());
            }
            block_social_drive(w.data(), block.data(), k, C, X.data());
            for (std::size_t j = 0; j < L; ++j)
                for (std::size_t s = 0; s < C; ++s)
                    ASSERT_EQ(X[s * L + j], plain_drive(w, rows[j], C, s, R[s]))
                        << "C " << C << ", k " << k << ", lane " << j << ", cascade " << s;
        }
}

TEST(FeatureBlock, WeightGradientAddsEachEventsSumOverCascadesToItsLaneBitForBit) {
    std::mt19937_64 rng(31);
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    for (std::size_t C: {1u, 2u, 5u, 10u, 17u})
        for (std::size_t k: {0u, 1u, 7u, 8u, 9u, 23u}) {
            std::vector<double> block(k * C * L), y(C * L), out(k * L), want(k * L);
            for (auto& x: y) x = unit(rng);
            for (std::size_t i = 0; i < out.size(); ++i) out[i] = want[i] = unit(rng);  // added to, not overwritten
            for (std::size_t j = 0; j < L; ++j) {
                std::vector<double> row(k * C);
                for (auto& g: row) g = unit(rng);
                scatter_to_lane(row, j, block.data());
                for (std::size_t v = 0; v < k; ++v) {
                    double sum = 0;
                    for (std::size_t s = 0; s < C; ++s) sum = multiply_add(row[v * C + s], y[s * L + j], sum);
                    want[v * L + j] += sum;
                }
            }
            add_block_weight_gradient(block.data(), y.data(), k, C, out.data());
            for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], want[i]) << "C " << C << ", k " << k << ", entry " << i;
        }
}

TEST(FeatureBlock, GatherReturnsWhatScatterPutInALaneAndClearZeroesOnlyTheLanesFromTheGivenOne) {
    const std::size_t size = 13;
    std::vector<double> block(size * L, -1.0);
    for (std::size_t j = 0; j < L; ++j) {
        std::vector<double> row(size);
        for (std::size_t i = 0; i < size; ++i) row[i] = double(100 * j + i);
        scatter_to_lane(row, j, block.data());
    }
    for (std::size_t j = 0; j < L; ++j) {
        std::vector<double> row(size, -1.0);
        gather_lane(block.data(), j, row);
        for (std::size_t i = 0; i < size; ++i) ASSERT_EQ(row[i], double(100 * j + i));
    }
    clear_lanes(block.data(), size, 5);
    for (std::size_t i = 0; i < size; ++i)
        for (std::size_t j = 0; j < L; ++j) ASSERT_EQ(block[i * L + j], j < 5 ? double(100 * j + i) : 0.0);
    const auto before = block;
    clear_lanes(block.data(), size, L);  // no lane from 8 on: nothing changes
    EXPECT_EQ(block, before);
}

} // namespace
} // namespace mic
