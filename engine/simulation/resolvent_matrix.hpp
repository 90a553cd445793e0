#pragma once
// I − τK (influence_operator.hpp) as a matrix-free operator for Eigen's iterative solvers, following
// Eigen's "matrix-free solvers" pattern: the type looks like a sparse matrix to Eigen, and the
// product A * x calls K.apply. Only solve_resolvent uses it.
#include <Eigen/Core>
#include <Eigen/IterativeLinearSolvers>
#include <Eigen/SparseCore>

#include "engine/simulation/influence_operator.hpp"

namespace mic {
class resolvent_matrix;
}

namespace Eigen::internal {
template <>
struct traits<mic::resolvent_matrix>: public traits<Eigen::SparseMatrix<double>> {};
} // namespace Eigen::internal

namespace mic {

class resolvent_matrix: public Eigen::EigenBase<resolvent_matrix> {
public:
    using Scalar = double;
    using RealScalar = double;
    using StorageIndex = int;
    enum { ColsAtCompileTime = Eigen::Dynamic, MaxColsAtCompileTime = Eigen::Dynamic, IsRowMajor = false };

    resolvent_matrix(const influence_operator& K, double tau): K_(&K), tau_(tau) {}

    Eigen::Index rows() const { return Eigen::Index(K_->size()); }
    Eigen::Index cols() const { return Eigen::Index(K_->size()); }

    template <typename Rhs>
    Eigen::Product<resolvent_matrix, Rhs, Eigen::AliasFreeProduct> operator*(const Eigen::MatrixBase<Rhs>& x) const {
        return Eigen::Product<resolvent_matrix, Rhs, Eigen::AliasFreeProduct>(*this, x.derived());
    }

    // dst += alpha (x − τ K x)
    template <typename Dest, typename Rhs>
    void add_product_to(Dest& dst, const Rhs& rhs, double alpha) const {
        const Eigen::VectorXd x = rhs;
        Eigen::VectorXd y(x.size());
        K_->apply(std::span<const double>(x.data(), std::size_t(x.size())), std::span<double>(y.data(), std::size_t(y.size())));
        dst += alpha * (x - tau_ * y);
    }

private:
    const influence_operator* K_;
    double tau_;
};

} // namespace mic

namespace Eigen::internal {
template <typename Rhs>
struct generic_product_impl<mic::resolvent_matrix, Rhs, SparseShape, DenseShape, GemvProduct>
    : generic_product_impl_base<mic::resolvent_matrix, Rhs, generic_product_impl<mic::resolvent_matrix, Rhs>> {
    using Scalar = typename Product<mic::resolvent_matrix, Rhs>::Scalar;
    template <typename Dest>
    static void scaleAndAddTo(Dest& dst, const mic::resolvent_matrix& lhs, const Rhs& rhs, const Scalar& alpha) {
        lhs.add_product_to(dst, rhs, alpha);
    }
};
} // namespace Eigen::internal
