#include "engine/likelihood/lane_vector.hpp"

namespace mic {

void multiply_padded(const double* A, std::size_t rows, std::size_t C, const double* B, std::size_t P,
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
