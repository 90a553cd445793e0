#pragma once
// A row vector over the states of a chain that tracks its support, for forward products
// v ← v (I + sQ) that touch only the rows of Q reachable so far (internal to engine/ctmp).
#include <cstdint>
#include <vector>

#include "engine/ctmp/rate_matrix.hpp"

namespace mic::detail {

class sparse_row {
public:
    explicit sparse_row(std::int32_t n_states)
        : value_(static_cast<std::size_t>(n_states), 0.0), next_(value_), in_support_(static_cast<std::size_t>(n_states), 0) {}

    // v = e_iᵀ.
    void reset(std::int32_t i) {
        for (auto j: support_) value_[j] = next_[j] = 0.0, in_support_[j] = 0;
        support_.assign(1, i);
        in_support_[static_cast<std::size_t>(i)] = 1;
        value_[static_cast<std::size_t>(i)] = 1.0;
    }

    // v ← v + s·(v Q): (v + s vQ)_j = v_j + s Σ_i v_i q_ij, rows i taken in support order.
    // Invariant: value_ and next_ are zero outside the support (which only grows).
    void step(const rate_matrix& Q, double s) {
        const std::size_t n_before = support_.size();
        for (std::size_t a = 0; a < n_before; ++a) next_[support_[a]] = value_[support_[a]];
        for (std::size_t a = 0; a < n_before; ++a) {
            const auto i = support_[a];
            const double svi = s * value_[i];
            if (svi == 0.0) continue;
            for (rate_matrix::InnerIterator it(Q, i); it; ++it) {
                const auto j = static_cast<std::size_t>(it.col());
                if (!in_support_[j]) in_support_[j] = 1, support_.push_back(static_cast<std::int32_t>(j));
                next_[j] += svi * it.value();
            }
        }
        value_.swap(next_);
    }

    // v · x.
    double dot(const std::vector<double>& x) const {
        double s = 0.0;
        for (auto j: support_) s += value_[j] * x[j];
        return s;
    }
    // acc[a] += w · v_{support[a]}: accumulators indexed by position in the support (which only grows).
    void accumulate(std::vector<double>& acc, double w) const {
        acc.resize(support_.size(), 0.0);
        for (std::size_t a = 0; a < support_.size(); ++a) acc[a] += w * value_[support_[a]];
    }
    const std::vector<std::int32_t>& support() const { return support_; }
    double operator[](std::int32_t j) const { return value_[static_cast<std::size_t>(j)]; }

private:
    std::vector<double> value_, next_;
    std::vector<char> in_support_;
    std::vector<std::int32_t> support_;
};

} // namespace mic::detail
