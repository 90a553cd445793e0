#pragma once
// A deterministic force-directed layout (Fruchterman & Reingold 1991) of a small weighted graph, for
// the cascade layer of the bi-layer picture (the MIC paper's Fig. 8): C nodes, tens at most, so the
// O(n²) pair loop is the simple and right choice.
//
// Forces, with k = 1/√n the ideal distance in the unit square:
//   repulsion between every pair      k² / d            (keeps nodes apart)
//   attraction along an edge (i, j)   0.3 a_ij · d² / k (a_ij ∈ [0, 1]: the weights divided by the largest;
//                                                       0.3 settles the strongest pair at ~1.5 k, apart
//                                                       enough for two labelled nodes)
//   gravity to the centre             0.1 · d_centre    (keeps nodes without edges from drifting away)
// Each step moves a node along its net force by at most the temperature, which falls linearly to 0
// (simulated annealing). The start is the circle (angle 2πi/n) with a seeded jitter of 1 % of k, so
// the result depends only on (affinity, seed): a graph without edges stays a regular polygon (the
// paper's circular cascade layer for Σ = I), and identical nodes do not sit on top of each other.
// The result is centred and scaled so that the farthest node is at distance 1.
#include <cstdint>
#include <span>
#include <vector>

namespace mic {

struct force_layout_options {
    std::int32_t iterations = 500;
    std::uint64_t seed = 1;
};

// Positions (n × 2, row-major) of the n nodes of the symmetric n × n `affinity` (row-major, ≥ 0; the
// diagonal is ignored). Throws std::invalid_argument when the matrix is not n × n or has a negative
// or non-finite entry.
std::vector<double> force_layout(std::span<const double> affinity, std::int32_t n, const force_layout_options& options = {});

} // namespace mic
