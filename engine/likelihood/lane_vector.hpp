#pragma once
// Eight doubles as one value (the GCC/Clang vector extension), for the short loops of the likelihood
// passes: running sums held in registers rather than written back to memory at every step, which is
// what the compiler does with arrays indexed at run time. The arithmetic is the plain IEEE operations
// lane by lane (no reassociation; contraction into fused multiply-adds only where a file asks for it).
#include <cmath>
#include <cstddef>
#include <cstring>

namespace mic {

// Without AVX-512 (the portable build) GCC warns, at every function taking or returning this 64-byte
// type by value, that its calling convention differs from an AVX-512 build's; the type never crosses a
// library boundary (inline helpers, file-local functions), so the warning says nothing here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"  // for the files that include this header (the values cross no ABI)
#endif

constexpr std::size_t vector_lanes = 8;
using lane_vector = double __attribute__((vector_size(vector_lanes * sizeof(double))));
// A lane mask for `mask ? a : b` on lane_vectors: −1 (all bits) keeps a, 0 takes b.
using lane_mask = long long __attribute__((vector_size(vector_lanes * sizeof(long long))));

inline lane_vector load_lanes(const double* p) {
    lane_vector v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void store_lanes(double* p, lane_vector v) { std::memcpy(p, &v, sizeof v); }

// x·a + acc per lane, fused where the build targets a fused multiply-add (one rounding), else a
// multiply and an add (two): the same bits for the same build, whatever calls it.
inline lane_vector multiply_add(lane_vector x, lane_vector a, lane_vector acc) {
#if defined(__FMA__)
    lane_vector out;
    for (std::size_t j = 0; j < vector_lanes; ++j) out[j] = std::fma(x[j], a[j], acc[j]);
    return out;
#else
    return x * a + acc;
#endif
}
// a in every lane (not lane_vector{} + a: 0 + a is an add, since 0 + (−0) is +0).
inline lane_vector broadcast(double a) { return lane_vector{a, a, a, a, a, a, a, a}; }
inline lane_vector multiply_add(lane_vector x, double a, lane_vector acc) { return multiply_add(x, broadcast(a), acc); }

// out[r][j] = Σ_s A[r][s] · B[s][j] for r < rows, j < C, summed s = 0, 1, … from 0 with a multiply
// and an add per term (the bits of the plain triple loop); A is rows × C, B is C × P row-major with
// P ≥ C a multiple of vector_lanes (zero padding), out is rows × C. Four rows at a time, each output
// block of eight a running sum in a register.
void multiply_padded(const double* A, std::size_t rows, std::size_t C, const double* B, std::size_t P, double* out);

} // namespace mic
