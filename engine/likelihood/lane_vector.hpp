#pragma once
// Eight doubles as one value (the GCC/Clang vector extension), for the short loops of the likelihood
// passes: running sums held in registers rather than written back to memory at every step, which is
// what the compiler does with arrays indexed at run time. The arithmetic is the plain IEEE operations
// lane by lane (no reassociation; contraction into fused multiply-adds only where a file asks for it).
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
void multiply_padded(const double* A, std::size_t rows, std::size_t C, const double* B, std::size_t P, double* out);

} // namespace mic
