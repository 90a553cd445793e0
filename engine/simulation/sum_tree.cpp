#include "engine/simulation/sum_tree.hpp"

#include <algorithm>
#include <stdexcept>

namespace mic {
namespace {

constexpr std::size_t arity = sum_tree::arity;

std::size_t padded(std::size_t n) { return std::max<std::size_t>(arity, (n + arity - 1) / arity * arity); }

double sum_of_children(const double* children) {
    double s = 0.0;
    for (std::size_t j = 0; j < arity; ++j) s += children[j];
    return s;
}

} // namespace

sum_tree::sum_tree(std::size_t n_leaves): n_leaves_(n_leaves) {
    levels_.emplace_back(padded(n_leaves), 0.0);
    while (levels_.back().size() > arity) levels_.emplace_back(padded(levels_.back().size() / arity), 0.0);
}

void sum_tree::assign(std::span<const double> values) {
    if (values.size() != n_leaves_) throw std::invalid_argument("sum_tree::assign: wrong number of values");
    std::copy(values.begin(), values.end(), levels_.front().begin());
    rebuild();
}

void sum_tree::scale(double factor) {
    for (std::size_t i = 0; i < n_leaves_; ++i) levels_.front()[i] *= factor;
    rebuild();
}

void sum_tree::rebuild() {
    for (std::size_t l = 1; l < levels_.size(); ++l) {
        const auto& below = levels_[l - 1];
        auto& level = levels_[l];
        std::fill(level.begin(), level.end(), 0.0);
        for (std::size_t i = 0; i < below.size() / arity; ++i) level[i] = sum_of_children(&below[i * arity]);
    }
    total_ = sum_of_children(levels_.back().data());
}

void sum_tree::set(std::size_t i, double value) {
    levels_.front()[i] = value;
    // Each ancestor = the sum of its 8 children (one cache line), level by level up to the root.
    for (std::size_t l = 1; l < levels_.size(); ++l) {
        i /= arity;
        levels_[l][i] = sum_of_children(&levels_[l - 1][i * arity]);
    }
    total_ = sum_of_children(levels_.back().data());
}

void sum_tree::add(std::span<const std::int32_t> indices, std::span<const double> deltas) {
    if (indices.size() != deltas.size()) throw std::invalid_argument("sum_tree::add: indices and deltas differ in size");
    if (indices.empty()) return;
    double* leaves = levels_.front().data();
    changed_.resize(indices.size());
    std::size_t* changed = changed_.data();
    // The leaves, in the given order; the parents of the changed leaves, a run of equal parents
    // (neighbouring indices) kept once.
    std::size_t m = 0;
    for (std::size_t k = 0; k < indices.size(); ++k) {
        const auto i = std::size_t(indices[k]);
        leaves[i] += deltas[k];
        const std::size_t parent = i / arity;
        if (m == 0 || changed[m - 1] != parent) changed[m++] = parent;
    }
    // Level by level: every child of a changed entry is final by now (all changes below are done), so
    // each entry gets the value its last per-leaf update would have left. An entry listed twice (indices
    // out of order) is recomputed twice to the same value.
    for (std::size_t l = 1; l < levels_.size(); ++l) {
        const double* below = levels_[l - 1].data();
        double* level = levels_[l].data();
        const std::size_t n = m;
        m = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t i = changed[k];  // read before the slot m ≤ k is overwritten
            level[i] = sum_of_children(below + i * arity);
            const std::size_t parent = i / arity;
            if (m == 0 || changed[m - 1] != parent) changed[m++] = parent;
        }
    }
    total_ = sum_of_children(levels_.back().data());
}

std::size_t sum_tree::find(double target) const {
    std::size_t node = 0;  // index of the current node within its level
    for (std::size_t l = levels_.size(); l-- > 0;) {
        const double* children = &levels_[l][node * arity];
        std::size_t chosen = arity;
        std::size_t last_positive = arity;
        for (std::size_t j = 0; j < arity; ++j) {
            if (!(children[j] > 0.0)) continue;
            last_positive = j;
            if (target < children[j]) {
                chosen = j;
                break;
            }
            target -= children[j];
        }
        if (chosen == arity) {  // rounding ran past the end: keep the last positive child
            chosen = last_positive;
            target = children[chosen] * 0.5;
        }
        node = node * arity + chosen;
    }
    return node;
}

} // namespace mic
