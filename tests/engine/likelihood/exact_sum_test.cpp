// Exact sums in integer bins: the bins of a sum do not depend on the order or grouping of its terms,
// and the value read from them is the exact sum rounded (within 2 ulp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "engine/likelihood/exact_sum.hpp"

namespace mic {
namespace {

using bins = std::vector<std::int64_t>;

bins sum_of(const std::vector<double>& terms) {
    bins b(exact_sum::bins, 0);
    for (const double x : terms) exact_sum::add(b, x);
    return b;
}

double value(const bins& b) { return exact_sum::value(b); }

TEST(ExactSum, CancelsExactlyWhereFloatingPointLosesTheSmallTerm) {
    EXPECT_EQ(value(sum_of({1e100, 1.0, -1e100})), 1.0);
    EXPECT_EQ(value(sum_of({1.0, 1e-300, -1.0})), 1e-300);
    // The doubles nearest 0.1, 0.2 and 0.3 are 3602879701896397, 7205759403792794 and
    // 10808639105689190 times 2^−55: their exact sum is 2^−55 (floating point gives 2^−54).
    EXPECT_EQ(value(sum_of({0.1, 0.2, -0.3})), std::ldexp(1.0, -55));
    EXPECT_EQ(value(sum_of({-2.5, 0.5})), -2.0);  // a negative total is read without cancellation
    EXPECT_EQ(value(sum_of({})), 0.0);
    const double tiny = std::numeric_limits<double>::denorm_min();
    EXPECT_EQ(value(sum_of({tiny, tiny, tiny})), 3 * tiny);   // subnormals, exactly
    EXPECT_EQ(value(sum_of({std::numeric_limits<double>::max(), -std::numeric_limits<double>::max(), 7.0})), 7.0);
    EXPECT_EQ(value(sum_of({std::numeric_limits<double>::max(), std::numeric_limits<double>::max()})), HUGE_VAL);
}

TEST(ExactSum, TheSameBinsInAnyOrderAndAnyGroupingAsRanksWouldSplitThem) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> mantissa(-1, 1);
    std::uniform_int_distribution<int> exponent(-60, 60);
    std::vector<double> terms(5000);
    for (double& x : terms) x = std::ldexp(mantissa(rng), exponent(rng));
    const bins whole = sum_of(terms);
    std::vector<double> shuffled = terms;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    // Three "ranks", each summing its part, then the parts' bins added: the same bins.
    bins parts(exact_sum::bins, 0);
    for (std::size_t r = 0; r < 3; ++r) {
        const bins part = sum_of(std::vector<double>(shuffled.begin() + std::ptrdiff_t(r * shuffled.size() / 3),
                                                     shuffled.begin() + std::ptrdiff_t((r + 1) * shuffled.size() / 3)));
        for (std::size_t j = 0; j < parts.size(); ++j) parts[j] += part[j];
    }
    EXPECT_EQ(value(parts), value(whole));
    // The value against a long double sum of the terms sorted by magnitude (64-bit mantissa: an
    // independent estimate good to ~1e-19 here).
    std::sort(terms.begin(), terms.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
    long double reference = 0;
    for (const double x : terms) reference += x;
    EXPECT_NEAR(value(whole), double(reference), 4 * std::abs(double(reference)) * std::numeric_limits<double>::epsilon());
}

} // namespace
} // namespace mic
