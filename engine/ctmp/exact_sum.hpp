#pragma once
// Order-independent sums of non-negative doubles, for merges that must not depend on the number of
// ranks. Each term is turned into a 128-bit integer multiple of 2^-e (`to_fixed`), integers are
// added exactly (associative and commutative), and the total is rounded to double once
// (`to_double`). The exponent e is chosen from a global bound on the terms and their number, so no
// sum can overflow:  max_term · 2^e · n_terms < 2^126. A term d is then represented exactly
// whenever d ≥ max_term · 2^(bits(n_terms) − 73) (about 1e-15 · max_term for 10^7 terms); smaller
// terms lose less than 2^-e ≤ max_term · 2^(bits(n_terms) − 125) each — far below double rounding.
#include <bit>
#include <cmath>
#include <cstdint>

namespace mic {

__extension__ using int128 = __int128;  // GCC/Clang extension; -Wpedantic-clean through __extension__

struct fixed_point_scale {
    int exponent = 0;

    // The scale for a sum of at most `n_terms` terms, each in [0, max_term].
    static fixed_point_scale for_sum(double max_term, std::int64_t n_terms) {
        if (!(max_term > 0.0) || n_terms <= 0) return {};
        int max_exponent = 0;
        std::frexp(max_term, &max_exponent);  // max_term < 2^max_exponent
        const int count_bits = static_cast<int>(std::bit_width(static_cast<std::uint64_t>(n_terms)));  // n < 2^bits
        return {125 - max_exponent - count_bits};
    }
    // Truncates toward zero: deterministic, and exact for all but negligible terms (see above).
    // Split at 2^64 so both halves convert with plain 64-bit instructions; x − hi·2^64 is exact
    // (it is x's integer part below 2^64 plus its fraction, at most 53 significant bits).
    int128 to_fixed(double term) const {
        const double x = std::ldexp(term, exponent);  // in [0, 2^126)
        const double hi = std::floor(std::ldexp(x, -64));
        const double lo = x - std::ldexp(hi, 64);
        return (static_cast<int128>(static_cast<std::uint64_t>(hi)) << 64) + static_cast<int128>(static_cast<std::uint64_t>(lo));
    }
    double to_double(int128 sum) const { return std::ldexp(static_cast<double>(sum), -exponent); }
};

} // namespace mic
