#pragma once
// Exact, order-independent sums of doubles, for totals over ranks.
//
// A double is m·2^k with an integer |m| < 2^53 and −1074 ≤ k ≤ 971. Split along fixed 32-bit
// boundaries of the exponent, it is at most three integer digits of a base-2^32 number whose digit
// j weighs 2^(32j − 1074); adding it adds those digits into int64 bins (room for 2^31 additions per
// bin before a carry is needed). Integer additions are exact and associative, so the bins of a sum
// do not depend on the order of its terms, nor on how the terms were spread over ranks: an MPI sum
// of the bins (integers again) is the exact sum on every rank count. The value is then read back by
// one fixed procedure (the four highest digits added from the top: within 2 ulp of the exact number),
// so every rank count gives the same bits.
//
// Why: at large β a fit is sensitive to the last bit of Σ — two users' Newton solves started 1e-16
// apart can end at different points, and the fit's path then differs — so the totals that decide Σ
// and the fit's steps must not depend on the partition.
#include <cstdint>
#include <span>

namespace mic {

struct exact_sum {
    static constexpr int bins = 70;  // 2^−1074 … 2^1134: every finite double and the carries of its sums

    // bins[0..bins) += x (x finite).
    static void add(std::span<std::int64_t> digits, double x);
    // The value of the bins (the exact number rounded, within ~2 ulp; ±inf beyond the double range).
    static double value(std::span<const std::int64_t> digits);
};

} // namespace mic
