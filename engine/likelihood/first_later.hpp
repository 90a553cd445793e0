#pragma once
// Where a neighbour's event lands among a user's events: the first index i < size with
// times[i] > t, for ascending `times` whose last entry is > t (callers keep a sentinel or bound t).
// Branch-free: the answer lies in [base, base + length); each step halves length with a conditional
// move, ⌈log₂ size⌉ steps whatever the data. Searches for different t do not depend on one another,
// so the core runs several at once — unlike a merge, which is one chain of dependent compares.
#include <cstddef>

namespace mic {

inline std::size_t first_later(const double* times, std::size_t size, double t) {
    std::size_t base = 0, length = size;
    while (length > 1) {
        const std::size_t half = length / 2;
        base += times[base + half - 1] <= t ? half : 0;
        length -= half;
    }
    return base;
}

} // namespace mic
