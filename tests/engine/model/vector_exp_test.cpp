// exp_each and log_each: the vector exp and log of the likelihood passes against std::exp, std::log.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "engine/model/vector_exp.hpp"

namespace mic {
namespace {

std::int64_t ulps_apart(double a, double b) {
    const auto x = std::bit_cast<std::int64_t>(a), y = std::bit_cast<std::int64_t>(b);
    return x > y ? x - y : y - x;
}

TEST(VectorExp, IsWithinFourUlpOfStdExpForEveryLengthAndPosition) {
    // Arguments as the log-sum-exp makes them: β ν*_k − max ≤ 0, down to where exp underflows.
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> wide(-745.0, 0.0), narrow(-40.0, 0.0);
    std::int64_t worst = 0;
    for (std::size_t n = 1; n <= 40; ++n)
        for (int round = 0; round < 2000; ++round) {
            std::vector<double> x(n);
            for (std::size_t i = 0; i < n; ++i) x[i] = round % 2 ? wide(rng) : narrow(rng);
            auto y = x;
            exp_each(y.data(), n);
            for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, ulps_apart(y[i], std::exp(x[i])));
        }
    EXPECT_LE(worst, 4);
}

TEST(VectorExp, IsExactlyOneAtZeroAndZeroWhereExpUnderflows) {
    // The log-sum-exp needs exp(0) = 1 exactly for the largest weight (its sum is then ≥ 1).
    for (std::size_t n = 1; n <= 20; ++n)
        for (std::size_t at = 0; at < n; ++at) {
            std::vector<double> x(n, -800.0);
            x[at] = 0.0;
            exp_each(x.data(), n);
            for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(x[i], i == at ? 1.0 : 0.0) << "n = " << n << ", i = " << i;
        }
}

TEST(VectorLog, IsWithinFourUlpOfStdLogForEveryLengthAndPositionAndExactAtOne) {
    // Arguments as the event block makes them: intensities λ, λ over the log-sum-exp's total, the
    // linear mixing's ν*, from 1e-30 to 1e30; log(1) must be 0 exactly (a single-cascade total), also when the other
    // lanes of its vector hold other values.
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> exponent(-300.0, 300.0);
    std::int64_t worst = 0;
    for (std::size_t n = 1; n <= 40; ++n)
        for (int round = 0; round < 2000; ++round) {
            std::vector<double> x(n);
            for (std::size_t i = 0; i < n; ++i)
                x[i] = round % 3 == 0 || (round % 3 == 1 && rng() % 2 == 0) ? 1.0 : std::pow(10.0, exponent(rng) / 10.0);
            auto y = x;
            log_each(y.data(), n);
            for (std::size_t i = 0; i < n; ++i) {
                if (x[i] == 1.0) {
                    EXPECT_EQ(y[i], 0.0);
                }
                worst = std::max(worst, ulps_apart(y[i], std::log(x[i])));
            }
        }
    EXPECT_LE(worst, 4);
}

} // namespace
} // namespace mic
