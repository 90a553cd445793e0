#pragma once
// Counter-based random streams for the IDM-CTMP simulations (topics, Independent Cascade, user
// sampling). A stream is named by (seed, key): one stream per topic or per seed user, so a result
// does not depend on how work is split over ranks or in which order streams are drawn. Every
// distribution is written out here (no std::*_distribution, whose algorithms differ between standard
// libraries), so a seed gives the same numbers everywhere.
#include <cmath>
#include <cstdint>

namespace mic {

// SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mix.
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class random_stream {
public:
    random_stream(std::uint64_t seed, std::uint64_t key)
        : state_(splitmix64_mix(splitmix64_mix(seed + 0x9e3779b97f4a7c15ULL) ^ (key * 0xd1b54a32d192ed03ULL + 1))) {}

    // SplitMix64: state advances by the golden gamma, output is the mixed state.
    std::uint64_t next() {
        state_ += 0x9e3779b97f4a7c15ULL;
        return splitmix64_mix(state_);
    }
    // Uniform on [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform on (0, 1]: safe under a logarithm.
    double uniform_positive() { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }
    // Exp(rate) by inversion.
    double exponential(double rate) { return -std::log(uniform_positive()) / rate; }
    // Uniform integer in [0, n), n ≥ 1, without modulo bias (rejection of the short last block).
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
        for (;;) {
            const std::uint64_t r = next();
            if (r >= threshold) return r % n;
        }
    }

private:
    std::uint64_t state_;
};

} // namespace mic
