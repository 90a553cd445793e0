#include "engine/likelihood/hessian_factor.hpp"

#include <algorithm>
#include <cmath>

namespace mic {
namespace {

// Rows per rank-k update in the normal form: large enough for matrix-matrix speed, at most ~2 MB.
std::size_t block_rows(std::size_t p) { return std::clamp<std::size_t>((std::size_t(1) << 18) / std::max<std::size_t>(p, 1), 16, 256); }

} // namespace

void hessian_factor::start(std::size_t p, std::size_t expected_rows) {
    p_ = p;
    rows_used_ = 0;
    keep_rows_ = expected_rows < p;
    const std::size_t capacity = keep_rows_ ? std::max<std::size_t>(expected_rows, 1) : block_rows(p);
    if (std::size_t(rows_.rows()) < capacity || std::size_t(rows_.cols()) != p)
        rows_.resize(Eigen::Index(capacity), Eigen::Index(p));
    if (!keep_rows_) normal_.setZero(Eigen::Index(p), Eigen::Index(p));
}

double* hessian_factor::add_row() {
    if (rows_used_ == std::size_t(rows_.rows())) {
        if (keep_rows_) rows_.conservativeResize(2 * rows_.rows(), Eigen::NoChange);
        else flush();
    }
    double* row = rows_.data() + rows_used_ * p_;
    std::fill_n(row, p_, 0.0);
    ++rows_used_;
    return row;
}

void hessian_factor::flush() {
    if (rows_used_ == 0) return;
    // A += Bᵀ B for the block B of rows (lower triangle).
    normal_.selfadjointView<Eigen::Lower>().rankUpdate(rows_.topRows(Eigen::Index(rows_used_)).transpose());
    rows_used_ = 0;
}

void hessian_factor::finish() {
    if (!keep_rows_) flush();
}

void hessian_factor::add_diagonal(std::size_t i, double value) {
    if (!keep_rows_) {
        normal_(Eigen::Index(i), Eigen::Index(i)) += value;
        return;
    }
    add_row()[i] = std::sqrt(value);
}

double hessian_factor::diagonal(std::size_t i) const {
    if (!keep_rows_) return normal_(Eigen::Index(i), Eigen::Index(i));
    return factor().col(Eigen::Index(i)).squaredNorm();
}

} // namespace mic
