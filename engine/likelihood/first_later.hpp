#pragma once
// Where a neighbour's event lands among a user's events: the first index i < size with
// times[i] > t, for ascending `times` whose last entry is > t (callers keep a sentinel or bound t).
// Branch-free: the answer lies in [base, base + length); each step halves length with a conditional
// move, ⌈log₂ size⌉ steps whatever the data. Searches for different t do not depend on one another,
// so the core runs several at once — unlike a merge, which is one chain of dependent compares.
#include <cstddef>
#include <cstdint>

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

// first_later(times, size, time(j)) into out[j] for every query j < count. Eight searches run in
// lockstep: one loop body holds eight independent chains of compares, which the core overlaps where
// separate searches would mostly wait on their own chain (1.35× on likelihood_benchmark's gradient
// pass, with the event block). The rest (fewer than eight) one at a time.
template <class Time>
void first_later_each(const double* times, std::size_t size, std::size_t count, Time time, std::int32_t* out) {
    constexpr std::size_t group = 8;
    std::size_t j = 0;
    for (; j + group <= count; j += group) {
        std::size_t base[group] = {};
        double t[group];
        for (std::size_t r = 0; r < group; ++r) t[r] = time(j + r);
        for (std::size_t length = size; length > 1;) {
            const std::size_t half = length / 2;
            for (std::size_t r = 0; r < group; ++r) base[r] += times[base[r] + half - 1] <= t[r] ? half : 0;
            length -= half;
        }
        for (std::size_t r = 0; r < group; ++r) out[j + r] = std::int32_t(base[r]);
    }
    for (; j < count; ++j) out[j] = std::int32_t(first_later(times, size, time(j)));
}

} // namespace mic
