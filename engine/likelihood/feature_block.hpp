#pragma once
// The kernel states of eight events as one block, lane-major, and the two products of a
// stored-features evaluation on it (SPEC §2; event_terms.hpp):
//
//   X_j = G_jᵀ w            X[s·8 + j] = Σ_v w_v G[(v·C + s)·8 + j]
//   ∂ℓ_j/∂w_v = Σ_s G_j[v][s] y_j[s],   summed over the blocks per (v, lane): out[v·8 + j]
//
// Entry i = v·C + s of the kernel state of the event in lane j is at block[i·8 + j] (k·C·8 doubles).
// Why lanes across events: with eight events of one user side by side, both products are whole
// vector multiply-adds (one load of G each) for any C, where one event at a time makes them loops of
// C (a vector and a remainder) or reductions over C. Lanes of a block without an event hold zeros.
//
// The order of summation is fixed by C and k alone (not by alignment or by how the block was filled),
// so that the stored features (blocks kept in memory) and the streaming pass (rows copied into a
// block) give the same bits: X over v in R interleaved partial sums (v ≡ r mod R, ascending), added
// pairwise, R = 8, 4, 2 and 1 for groups of 1, 2, 3–4 and 5–15 cascades (C in groups of eight while
// 16 or more remain, then the rest as one group: 5 to 15 independent chains, 8 or more from C = 8 on,
// to hide the latency of a multiply-add); ∂/∂w over s ascending from 0; one multiply-add per term (fused
// where the build has FMA, as event_block).
#include <cstddef>
#include <span>

namespace mic {

constexpr std::size_t feature_lanes = 8;

// block[i·8 + j] = row[i] for i < row.size(): the kernel state of one event into lane j.
void scatter_to_lane(std::span<const double> row, std::size_t j, double* block);
// row[i] = block[i·8 + j]: the kernel state of the event in lane j.
void gather_lane(const double* block, std::size_t j, std::span<double> row);
// Lanes from..7 of a block of `size` entries per lane set to 0.
void clear_lanes(double* block, std::size_t size, std::size_t from);

// X (C × 8, lane-major) = the social drives of the block's events, X[s·8 + j] = Σ_v w_v G_j[v][s].
void block_social_drive(const double* w, const double* block, std::size_t k, std::size_t C, double* X);

// out[v·8 + j] += Σ_s G_j[v][s] y[s·8 + j] for v < k (y: C × 8, lane-major, zero in empty lanes).
void add_block_weight_gradient(const double* block, const double* y, std::size_t k, std::size_t C, double* out);

} // namespace mic
