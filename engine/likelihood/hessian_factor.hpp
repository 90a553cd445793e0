#pragma once
// The negative Hessian of a user objective in square-root form, −∇²f(θ) = ZᵀZ (Z: m × p), built
// row by row: every scored event adds the rows of a factor of −∇²ℓ_e (event_terms::add_factor_rows:
// one row for linear mixing, 1 + C for Boltzmann), the baseline prior one row √ε/μ_c e_c per cascade.
//
// Two forms, chosen by size when the build starts (the row count m is known in advance, up to
// rows that turn out to be zero):
//   rows    m < p (few events, many in-neighbours: dense graphs): Z itself is kept (m·p < p² values);
//           a Newton system on a free set F then costs O(m²|F|) by the Gram form (newton_direction.hpp)
//   normal  m ≥ p: A = ZᵀZ (p × p, lower triangle) accumulated from blocks of up to 256 rows by
//           symmetric rank-k updates (matrix-matrix speed), O(m p²/2); memory O(p² + 256 p)
// Both orders of summation are fixed by the row order alone, so two builds from the same rows (the
// stored-features and the streaming pass) give the same bits.
#include <cstddef>
#include <span>

#include <Eigen/Core>

namespace mic {

class hessian_factor {
public:
    using row_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

    // Starts an empty factor of dimension p for about `expected_rows` rows (an upper bound).
    void start(std::size_t p, std::size_t expected_rows);
    // A zeroed row of length p to fill; valid until the next call.
    double* add_row();
    // Ends the build (flushes the last block in the normal form).
    void finish();
    // Adds value·e_i e_iᵀ (value ≥ 0) after finish(): the row √value e_i, or to A_ii.
    void add_diagonal(std::size_t i, double value);

    std::size_t dimension() const { return p_; }
    bool keeps_rows() const { return keep_rows_; }
    // The rows form: Z (rows() × p).
    std::size_t rows() const { return rows_used_; }
    auto factor() const { return rows_.topRows(Eigen::Index(rows_used_)); }
    // The normal form: A = ZᵀZ, lower triangle valid.
    const Eigen::MatrixXd& normal() const { return normal_; }
    // (ZᵀZ)_ii in either form.
    double diagonal(std::size_t i) const;

private:
    void flush();

    std::size_t p_ = 0, rows_used_ = 0;
    bool keep_rows_ = false;
    row_matrix rows_;         // Z (rows form) or the current block (normal form)
    Eigen::MatrixXd normal_;  // ZᵀZ (normal form)
};

} // namespace mic
