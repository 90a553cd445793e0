#pragma once
// Random influence graphs for synthetic data (`mic generate --graph er:U:p | ba:U:m | FILE`). Pure
// functions of their arguments and a seed (counter-based random_stream), in the in-neighbour CSR
// layout of the dataset (SPEC §5: sources of the edges v → u, ascending per u).
#include <cstdint>
#include <span>
#include <utility>

#include "engine/data/event_data.hpp"

namespace mic {

// Erdős–Rényi G(U, p), directed: every ordered pair v ≠ u is an edge v → u independently with
// probability p (no self-loops). Expected edges p·U(U−1); O(U + edges) time (geometric skips
// between edges, Batagelj & Brandes 2005), so U = 10⁶ with mean degree 10 takes a fraction of a second.
csr_graph erdos_renyi_graph(std::int32_t n_users, double p, std::uint64_t seed);

// Barabási–Albert preferential attachment: users 0..m form a clique; each later user attaches to m
// distinct earlier users drawn with probability proportional to their degree. Every undirected
// edge {u, v} gives both v → u and u → v (influence both ways), so the in- and out-degrees follow
// the same power law (P(k) ~ k⁻³), and the mean in-degree is ≈ 2m. Needs 1 ≤ m < U.
csr_graph barabasi_albert_graph(std::int32_t n_users, std::int32_t m, std::uint64_t seed);

// The graph of a list of directed edges (source v, target u) on users 0..U−1: in-lists sorted, a
// repeated edge kept once. Self-loops are kept (they make a user excite itself). Throws
// std::out_of_range for an id outside [0, U).
csr_graph graph_from_edges(std::int32_t n_users, std::span<const std::pair<std::int32_t, std::int32_t>> edges);

} // namespace mic
