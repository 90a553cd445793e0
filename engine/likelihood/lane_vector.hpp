#pragma once
// Eight doubles as one value (the GCC/Clang vector extension), for the short loops of the likelihood
// passes: running sums held in registers rather than written back to memory at every step, which is
// what the compiler does with arrays indexed at run time. The arithmetic is the plain IEEE operations
// lane by lane (no reassociation; contraction into fused multiply-adds only where a file asks for it).
#include <cstddef>
#include <cstring>

namespace mic {

constexpr std::size_t vector_lanes = 8;
using lane_vector = double __attribute__((vector_size(vector_lanes * sizeof(double))));

inline lane_vector load_lanes(const double* p) {
    lane_vector v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void store_lanes(double* p, lane_vector v) { std::memcpy(p, &v, sizeof v); }

// out[r][j] = Σ_s A[r][s] · B[s][j] for r < rows, j < C, summed s = 0, 1, … from 0 with a multiply
// and an add per term (the bits of the plain triple loop); A is rows × C, B is C × P row-major with
// P ≥ C a multiple of vector_lanes (zero padding), out is rows × C. Four rows at a time, each output
// block of eight a running sum in a register.
inline void multiply_padded(const double* A, std::size_t rows, std::size_t C, const double* B, std::size_t P,
                            double* out) {
    constexpr std::size_t group = 4;
    for (std::size_t c0 = 0; c0 < C; c0 += vector_lanes) {
        const std::size_t width = C - c0 < vector_lanes ? C - c0 : vector_lanes;
        std::size_t r = 0;
        for (; r + group <= rows; r += group) {
            lane_vector acc[group] = {};
            for (std::size_t s = 0; s < C; ++s) {
                const lane_vector b = load_lanes(B + s * P + c0);
#pragma GCC unroll 4
                for (std::size_t g = 0; g < group; ++g) acc[g] = acc[g] + A[(r + g) * C + s] * b;
            }
#pragma GCC unroll 4
            for (std::size_t g = 0; g < group; ++g)
                for (std::size_t j = 0; j < width; ++j) out[(r + g) * C + c0 + j] = acc[g][j];
        }
        for (; r < rows; ++r) {
            lane_vector acc = {};
            for (std::size_t s = 0; s < C; ++s) acc = acc + A[r * C + s] * load_lanes(B + s * P + c0);
            for (std::size_t j = 0; j < width; ++j) out[r * C + c0 + j] = acc[j];
        }
    }
}

} // namespace mic
