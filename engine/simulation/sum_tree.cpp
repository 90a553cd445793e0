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
