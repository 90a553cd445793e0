// The Newton step of the user solver (newton_direction.hpp) in its three forms: the dense Hessian,
// the normal form of a factor and its rows form with the normal or the Gram system, on random
// systems checked against Eigen's dense solvers (LLT, and the pseudo-inverse by SVD).
#include <gtest/gtest.h>

#include <random>

#include <Eigen/Cholesky>
#include <Eigen/SVD>

#include "engine/inference/newton_direction.hpp"

namespace mic {
namespace {

struct random_system {
    Eigen::MatrixXd Z;  // m × p
    Eigen::VectorXd g;  // p
    std::vector<std::size_t> free;
};

random_system make_system(std::size_t m, std::size_t p, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    random_system s;
    s.Z.resize(Eigen::Index(m), Eigen::Index(p));
    for (Eigen::Index i = 0; i < s.Z.size(); ++i) s.Z.data()[i] = normal(rng);
    s.g.resize(Eigen::Index(p));
    for (Eigen::Index i = 0; i < s.g.size(); ++i) s.g(i) = normal(rng);
    for (std::size_t i = 0; i < p; ++i)
        if (i % 4 != 1) s.free.push_back(i);  // every fourth coordinate at its bound
    return s;
}

hessian_factor factor_of(const Eigen::MatrixXd& Z, bool keep_rows) {
    hessian_factor f;
    const auto m = std::size_t(Z.rows()), p = std::size_t(Z.cols());
    f.start(p, keep_rows ? p - 1 : p);
    for (std::size_t r = 0; r < m; ++r)
        Eigen::Map<Eigen::RowVectorXd>(f.add_row(), Eigen::Index(p)) = Z.row(Eigen::Index(r));
    f.finish();
    return f;
}

Eigen::MatrixXd free_columns(const random_system& s) {
    Eigen::MatrixXd ZF(s.Z.rows(), Eigen::Index(s.free.size()));
    for (std::size_t a = 0; a < s.free.size(); ++a) ZF.col(Eigen::Index(a)) = s.Z.col(Eigen::Index(s.free[a]));
    return ZF;
}

Eigen::VectorXd free_part(const random_system& s, const std::vector<double>& d) {
    Eigen::VectorXd out(Eigen::Index(s.free.size()));
    for (std::size_t a = 0; a < s.free.size(); ++a) out(Eigen::Index(a)) = d[s.free[a]];
    return out;
}

TEST(NewtonDirection, AllFormsSolveTheSameSystemWhenItIsPositiveDefinite) {
    const random_system s = make_system(60, 17, 1);
    const Eigen::MatrixXd ZF = free_columns(s);
    Eigen::VectorXd gF(Eigen::Index(s.free.size()));
    for (std::size_t a = 0; a < s.free.size(); ++a) gF(Eigen::Index(a)) = s.g(Eigen::Index(s.free[a]));
    const Eigen::VectorXd expected = (ZF.transpose() * ZF).llt().solve(gF);

    dense_hessian H;
    H.resize(17);
    const Eigen::MatrixXd A = s.Z.transpose() * s.Z;
    for (std::size_t i = 0; i < 17; ++i)
        for (std::size_t j = 0; j < 17; ++j) H.values[i * 17 + j] = -A(Eigen::Index(i), Eigen::Index(j));
    std::vector<double> g(s.g.data(), s.g.data() + 17);
    for (int form = 0; form < 3; ++form) {
        std::vector<double> d(17, 0.0);
        const bool ok = form == 0 ? newton_direction(H, s.free, g, d)
                                  : newton_direction(factor_of(s.Z, form == 2), s.free, g, d);
        ASSERT_TRUE(ok);
        EXPECT_LT((free_part(s, d) - expected).norm(), 1e-10 * expected.norm()) << "form " << form;
        EXPECT_EQ(d[1], 0.0);  // coordinates outside F are not touched
    }
}

TEST(NewtonDirection, GramFormIsNewtonOnTheRangeAndAScaledGradientStepOnTheNullSpace) {
    // m = 5 rows, 30 coordinates of which 22 are free: A_FF has rank 5.
    const random_system s = make_system(5, 30, 2);
    const Eigen::MatrixXd ZF = free_columns(s);
    Eigen::VectorXd gF(Eigen::Index(s.free.size()));
    for (std::size_t a = 0; a < s.free.size(); ++a) gF(Eigen::Index(a)) = s.g(Eigen::Index(s.free[a]));
    std::vector<double> g(s.g.data(), s.g.data() + s.g.size()), d(30, 0.0);
    ASSERT_TRUE(newton_direction(factor_of(s.Z, true), s.free, g, d));
    const Eigen::VectorXd dF = free_part(s, d);

    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(ZF, Eigen::ComputeFullV);
    const Eigen::MatrixXd V = svd.matrixV();
    const Eigen::MatrixXd range = V.leftCols(5), null = V.rightCols(V.cols() - 5);
    const Eigen::MatrixXd A = ZF.transpose() * ZF;
    // Range: the exact Newton step A⁺ g.
    const Eigen::VectorXd newton = A.completeOrthogonalDecomposition().pseudoInverse() * gF;
    EXPECT_LT((range.transpose() * dF - range.transpose() * newton).norm(), 1e-9 * newton.norm());
    // Null space: P_null g / mean_i A_ii.
    const double mean_diagonal = A.diagonal().mean();
    const Eigen::VectorXd expected_null = null.transpose() * gF / mean_diagonal;
    EXPECT_LT((null.transpose() * dF - expected_null).norm(), 1e-12 * expected_null.norm());
    // An ascent direction: gᵀd > 0.
    EXPECT_GT(gF.dot(dF), 0.0);
}

TEST(NewtonDirection, CoordinatesWithoutCurvatureTakeTheStepOfTheRegularisedSystem) {
    random_system s = make_system(4, 10, 3);
    s.Z.col(2).setZero();  // coordinate 2 enters no event: f is linear in it
    std::vector<double> g(s.g.data(), s.g.data() + s.g.size()), d(10, 0.0);
    ASSERT_TRUE(newton_direction(factor_of(s.Z, true), s.free, g, d));
    double largest = 0;
    for (const std::size_t i : s.free) largest = std::max(largest, s.Z.col(Eigen::Index(i)).squaredNorm());
    EXPECT_DOUBLE_EQ(d[2], g[2] / (1e-12 * largest));
}

} // namespace
} // namespace mic
