#include "engine/likelihood/exact_sum.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

namespace mic {
namespace {

constexpr int digit_bits = 32;
constexpr std::int64_t digit_mask = (std::int64_t(1) << digit_bits) - 1;

// Carries propagated upwards: every digit but the last in [0, 2^32), the last signed.
void normalise(std::span<std::int64_t> d) {
    for (std::size_t j = 0; j + 1 < d.size(); ++j) {
        const std::int64_t carry = d[j] >> digit_bits;  // floor division (arithmetic shift)
        d[j] -= carry * (std::int64_t(1) << digit_bits);
        d[j + 1] += carry;
    }
}

} // namespace

void exact_sum::add(std::span<std::int64_t> digits, double x) {
    if (x == 0 || !std::isfinite(x)) return;
    int e = 0;
    const double f = std::frexp(x, &e);                          // x = f·2^e, 0.5 ≤ |f| < 1
    std::int64_t m = static_cast<std::int64_t>(std::ldexp(std::abs(f), 53));  // exact: |m| < 2^53
    int shift = e - 53 + 1074;                                   // x = ±m·2^(shift − 1074)
    if (shift < 0) {  // a subnormal: m has at least −shift trailing zero bits
        m >>= -shift;
        shift = 0;
    }
    const auto v = static_cast<unsigned __int128>(m) << (shift % digit_bits);  // < 2^85
    const std::size_t j = std::size_t(shift / digit_bits);
    const std::int64_t sign = x < 0 ? -1 : 1;
    digits[j] += sign * std::int64_t(v & digit_mask);
    digits[j + 1] += sign * std::int64_t((v >> digit_bits) & digit_mask);
    digits[j + 2] += sign * std::int64_t(v >> (2 * digit_bits));
}

double exact_sum::value(std::span<const std::int64_t> digits) {
    std::array<std::int64_t, bins> d{};
    std::copy(digits.begin(), digits.end(), d.begin());
    normalise(d);
    // A negative total has a negative last digit: negate (exactly) and read the magnitude, so that the
    // reading never cancels.
    const bool negative = d.back() < 0;
    if (negative) {
        for (auto& x : d) x = -x;
        normalise(d);
    }
    std::size_t top = d.size();
    while (top > 0 && d[top - 1] == 0) --top;
    if (top == 0) return 0.0;
    // The four highest digits (128 bits) from the top down: exact terms, three roundings.
    double r = 0;
    for (std::size_t j = top; j-- > (top > 4 ? top - 4 : 0);)
        r += std::ldexp(double(d[j]), int(j) * digit_bits - 1074);
    return negative ? -r : r;
}

} // namespace mic
