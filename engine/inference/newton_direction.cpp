#include "engine/inference/newton_direction.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/QR>

namespace mic {
namespace {

// (A + δI) x = b with the δ rule of the header; false when no δ worked. Only A's lower triangle is read.
bool solve_regularised(const Eigen::MatrixXd& A, const Eigen::VectorXd& b, Eigen::VectorXd& x) {
    const Eigen::Index n = A.rows();
    const double diagonal = n > 0 ? A.diagonal().cwiseAbs().maxCoeff() : 0.0;
    double delta = 0;
    for (int attempt = 0; attempt < 30; ++attempt) {
        Eigen::LLT<Eigen::MatrixXd> llt(A + delta * Eigen::MatrixXd::Identity(n, n));
        if (llt.info() == Eigen::Success) {
            x = llt.solve(b);
            if (x.allFinite()) return true;
        }
        delta = delta == 0 ? 1e-12 * std::max(diagonal, 1e-300) : 10 * delta;
    }
    return false;
}

void scatter(std::span<const std::size_t> free, const Eigen::VectorXd& x, std::span<double> direction) {
    for (std::size_t a = 0; a < free.size(); ++a) direction[free[a]] = x(Eigen::Index(a));
}

Eigen::VectorXd gather(std::span<const std::size_t> free, std::span<const double> gradient) {
    Eigen::VectorXd b(Eigen::Index(free.size()));
    for (std::size_t a = 0; a < free.size(); ++a) b(Eigen::Index(a)) = gradient[free[a]];
    return b;
}

// The Gram form of the header for Z_Fᵀ (|F| × m, m < |F|).
bool gram_direction(const Eigen::MatrixXd& Zt, const Eigen::VectorXd& b, Eigen::VectorXd& x) {
    const Eigen::Index n = Zt.rows(), m = Zt.cols();
    const double null_scale = Zt.rowwise().squaredNorm().mean();  // δ_null = mean A_ii
    if (!(null_scale > 0)) return false;
    const Eigen::HouseholderQR<Eigen::MatrixXd> qr(Zt);
    Eigen::VectorXd y = qr.householderQ().adjoint() * b;  // (Q₁ᵀ g, Q₂ᵀ g)
    const Eigen::MatrixXd R = qr.matrixQR().topRows(m).triangularView<Eigen::Upper>();
    Eigen::MatrixXd RRt = Eigen::MatrixXd::Zero(m, m);
    RRt.selfadjointView<Eigen::Lower>().rankUpdate(R);  // R Rᵀ = Q₁ᵀ A_FF Q₁
    Eigen::VectorXd range;
    if (!solve_regularised(RRt, y.head(m), range)) return false;
    y.head(m) = range;
    y.tail(n - m) /= null_scale;
    x = qr.householderQ() * y;
    return x.allFinite();
}

} // namespace

bool newton_direction(const dense_hessian& hessian, std::span<const std::size_t> free,
                      std::span<const double> gradient, std::span<double> direction) {
    const auto n = Eigen::Index(free.size());
    const std::size_t p = hessian.p;
    Eigen::MatrixXd A(n, n);
    for (Eigen::Index a = 0; a < n; ++a)
        for (Eigen::Index c = 0; c < n; ++c) A(a, c) = -hessian.values[free[std::size_t(a)] * p + free[std::size_t(c)]];
    Eigen::VectorXd x;
    if (!solve_regularised(A, gather(free, gradient), x)) return false;
    scatter(free, x, direction);
    return true;
}

bool newton_direction(const hessian_factor& negative_hessian, std::span<const std::size_t> free,
                      std::span<const double> gradient, std::span<double> direction) {
    if (!negative_hessian.keeps_rows()) {
        const auto n = Eigen::Index(free.size());
        Eigen::VectorXd x;
        const Eigen::MatrixXd& N = negative_hessian.normal();
        Eigen::MatrixXd A = Eigen::MatrixXd::Zero(n, n);  // lower triangle
        for (Eigen::Index a = 0; a < n; ++a)
            for (Eigen::Index c = 0; c <= a; ++c)
                A(a, c) = N(Eigen::Index(std::max(free[std::size_t(a)], free[std::size_t(c)])),
                            Eigen::Index(std::min(free[std::size_t(a)], free[std::size_t(c)])));
        if (!solve_regularised(A, gather(free, gradient), x)) return false;
        scatter(free, x, direction);
        return true;
    }
    // Coordinates without curvature (a zero column of Z: no event's intensity depends on them) are
    // separable and f is linear in each: the step of the δ rule, g_i / (1e-12 max_j A_jj), which
    // the arc search cuts at the bound.
    const auto Z = negative_hessian.factor();
    const Eigen::Index m = Z.rows();
    std::vector<std::size_t> curved;
    double largest = 0;
    for (const std::size_t i : free) {
        const double a = Z.col(Eigen::Index(i)).squaredNorm();
        largest = std::max(largest, a);
        if (a > 0) curved.push_back(i);
    }
    const double flat_delta = 1e-12 * std::max(largest, 1e-300);
    for (const std::size_t i : free) direction[i] = gradient[i] / flat_delta;
    const auto n = Eigen::Index(curved.size());
    if (n == 0) return true;
    Eigen::MatrixXd Zt(n, m);  // Z_Fᵀ over the curved free coordinates
    for (Eigen::Index a = 0; a < n; ++a) Zt.row(a) = Z.col(Eigen::Index(curved[std::size_t(a)])).transpose();
    Eigen::VectorXd x;
    const Eigen::VectorXd b = gather(curved, gradient);
    bool solved = false;
    if (m >= n) {
        Eigen::MatrixXd A = Eigen::MatrixXd::Zero(n, n);
        A.selfadjointView<Eigen::Lower>().rankUpdate(Zt);  // Z_Fᵀ Z_F
        solved = solve_regularised(A, b, x);
    } else {
        solved = gram_direction(Zt, b, x);
    }
    if (!solved) {
        for (const std::size_t i : free) direction[i] = 0;
        return false;
    }
    scatter(curved, x, direction);
    return true;
}

} // namespace mic
