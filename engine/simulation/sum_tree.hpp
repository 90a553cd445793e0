#pragma once
// A sum tree over n non-negative weights: change one weight in O(log n), and draw an index with
// probability weight_i / Σ_j weight_j in O(log n) from one uniform number.
//
// Layout: an 8-ary tree stored level by level. levels_[0] holds the leaves (padded with zeros to a
// multiple of 8); entry i of level l+1 is the sum of entries 8i .. 8i+7 of level l, i.e. of one
// 64-byte run of doubles. Depth is ⌈log_8 n⌉ (7 for a million users), so an update touches 7 cache
// lines instead of the 20 of a binary tree.
//
// Every inner entry is recomputed from its 8 children on each update (never incremented by a delta),
// so an inner entry is always the floating-point sum of its children (added in the fixed order 0..7):
// no rounding drift however many updates, and a subtree whose leaves are all zero has an exact zero
// sum (it is never chosen). The whole tree is therefore a function of its leaves alone, whatever the
// order or grouping of the updates that led to them — which is what lets add(indices, deltas) update
// a batch of leaves and recompute each shared ancestor once, bit for bit as one add() per leaf.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace mic {

class sum_tree {
public:
    static constexpr std::size_t arity = 8;

    explicit sum_tree(std::size_t n_leaves = 0);

    std::size_t size() const { return n_leaves_; }
    double total() const { return total_; }
    double leaf(std::size_t i) const { return levels_.front()[i]; }

    // Sets every leaf (values.size() == size()) and rebuilds the inner levels: O(n).
    void assign(std::span<const double> values);
    // Multiplies every leaf by factor ≥ 0 and rebuilds: O(n).
    void scale(double factor);
    // Sets leaf i to value ≥ 0: O(8 log_8 n).
    void set(std::size_t i, double value);
    void add(std::size_t i, double delta) { set(i, leaf(i) + delta); }
    // Adds deltas[k] to leaf indices[k] for k = 0, 1, … in that order (a repeated index accumulates in
    // that order), then recomputes every ancestor of a changed leaf once, level by level from the
    // bottom. The result is bit-identical to add(indices[k], deltas[k]) for each k in turn (see the
    // top), at fewer recomputed entries; ascending indices share the most ancestors.
    // O(k·8 log_8 n) at worst.
    void add(std::span<const std::int32_t> indices, std::span<const double> deltas);
    // Hints the cache lines that set(i, ·) will touch first (leaf and parent runs): issuing this for
    // several leaves before updating them lets their memory accesses overlap.
    void prefetch(std::size_t i) const {
        __builtin_prefetch(&levels_[0][i]);
        if (levels_.size() > 1) __builtin_prefetch(&levels_[1][i / arity]);
        if (levels_.size() > 2) __builtin_prefetch(&levels_[2][i / (arity * arity)]);
    }

    // The index i with Σ_{j<i} w_j ≤ target < Σ_{j≤i} w_j, for 0 ≤ target < total(); never an index
    // of weight 0. When rounding pushes target past the end of a node, the last child of positive
    // weight is taken. Requires total() > 0.
    std::size_t find(double target) const;

    // Level l of the tree (0: the leaves, padded with zeros; depth() − 1: the top, ≤ 8 entries), for tests.
    std::size_t depth() const { return levels_.size(); }
    std::span<const double> level(std::size_t l) const { return levels_[l]; }

private:
    void rebuild();
    std::size_t n_leaves_ = 0;
    std::vector<std::vector<double>> levels_;  // levels_[0]: leaves; levels_.back(): ≤ 8 entries
    double total_ = 0.0;
    std::vector<std::size_t> changed_;  // scratch of add(indices, deltas): changed entries of one level
};

} // namespace mic
