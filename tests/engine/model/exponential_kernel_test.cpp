// The anchored exponential kernel reproduces exp(−Δt/τ) across blocks and its integral.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/model/exponential_kernel.hpp"
#include "engine/support/error.hpp"

namespace mic {
namespace {

TEST(ExponentialKernel, BlockWidthIsAPowerOfTwoBetweenEightAndSixteenTau) {
    for (double tau: {1e-3, 0.37, 1.0, 3.0, 86400.0}) {
        exponential_kernel k(tau);
        int e = 0;
        EXPECT_EQ(std::frexp(k.block_width(), &e), 0.5);
        EXPECT_GT(k.block_width(), 8 * tau);
        EXPECT_LE(k.block_width(), 16 * tau);
    }
    EXPECT_THROW(exponential_kernel(0.0), input_error);
    EXPECT_THROW(exponential_kernel(-1.0), input_error);
}

TEST(ExponentialKernel, AnchoredTimesReproduceTheKernelAcrossBlocks) {
    exponential_kernel k(0.7);
    // Epoch-like times: the anchored form must keep the precision of the direct difference.
    for (double t0: {0.0, 3.25, 1.7e9}) {
        for (double gap: {0.001, 0.5, 5.3, 11.0, 60.0, 300.0}) {
            const double te = t0, t = t0 + gap;
            const auto a = k.anchor(te), b = k.anchor(t);
            const double anchored = a.scaled * k.block_decay(b.block - a.block) / b.scaled;
            const double direct = std::exp(-(t - te) / 0.7);
            // Both forms round the exponent to ≈ |exponent|·ε; allow a few times that.
            EXPECT_NEAR(anchored / direct, 1.0, 4e-16 * (16 + gap / 0.7) + 1e-15) << "t0 " << t0 << " gap " << gap;
        }
    }
    EXPECT_EQ(k.block_decay(1e6), 0.0);
    EXPECT_EQ(k.block_decay(HUGE_VAL), 0.0);
    EXPECT_EQ(k.block_decay(0), 1.0);
}

TEST(ExponentialKernel, IntegralMatchesTheClosedFormAndIsZeroAfterTheWindow) {
    exponential_kernel k(2.0);
    const double a = 1.0, b = 4.0;
    auto closed = [&](double te) { return 2.0 * (std::exp(-std::max(0.0, a - te) / 2.0) - std::exp(-(b - te) / 2.0)); };
    for (double te: {-3.0, 0.0, 1.0, 2.5, 3.999}) EXPECT_NEAR(k.integral(te, a, b), closed(te), 1e-15);
    EXPECT_EQ(k.integral(4.0, a, b), 0.0);
    EXPECT_EQ(k.integral(5.0, a, b), 0.0);
    // Relative precision for an event just before b (expm1, not a difference of exponentials).
    const double te = b - 1e-12, gap = b - te;  // the representable gap, ≈ 1e-12
    EXPECT_NEAR(k.integral(te, a, b) / gap, 1.0, 1e-12);
    EXPECT_EQ(k.value(0.0), 0.0);  // no self-excitation at the same timestamp
}

} // namespace
} // namespace mic
