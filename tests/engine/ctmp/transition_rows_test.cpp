// Rows of P(t) = exp(Qt) by uniformisation and by the paper's Taylor product, against Eigen's
// dense matrix exponential.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/ctmp/transition_rows.hpp"
#include "engine/support/error.hpp"
#include "tests/engine/ctmp/ctmp_fixtures.hpp"

namespace mic {
namespace {

Eigen::RowVectorXd dense_row(const probability_row& row, Eigen::Index n) {
    Eigen::RowVectorXd out = Eigen::RowVectorXd::Zero(n);
    for (std::size_t k = 0; k < row.state.size(); ++k) out(row.state[k]) = row.probability[k];
    return out;
}

TEST(TransitionRows, UniformizationAgreesWithDenseExpmToTheTolerance) {
    for (const auto& Q: {testing::small_generator(), testing::stiff_generator()}) {
        const auto model = testing::chain_from_dense(Q);
        const std::vector<double> times{0.0, 0.05, 1.0, 7.5};
        for (double tol: {1e-6, 1e-10}) {
            for (std::int32_t i = 0; i < model.n_users(); ++i) {
                const auto rows = transition_rows(model, i, times, {.tolerance = tol});
                for (std::size_t w = 0; w < times.size(); ++w) {
                    const Eigen::RowVectorXd exact = testing::dense_expm(Q, times[w]).row(i);
                    const double l1 = (dense_row(rows[w], Q.rows()) - exact).lpNorm<1>();
                    EXPECT_LE(l1, tol + 1e-12) << "user " << i << " t " << times[w];
                }
            }
        }
    }
}

TEST(TransitionRows, RowsAreProbabilityVectors) {
    const auto model = testing::chain_from_dense(testing::stiff_generator());
    const double tol = 1e-9;
    for (std::int32_t i = 0; i < model.n_users(); ++i) {
        for (const auto& row: transition_rows(model, i, std::vector<double>{0.3, 3.0, 30.0}, {.tolerance = tol})) {
            double sum = 0.0;
            for (double p: row.probability) {
                EXPECT_GE(p, 0.0);
                sum += p;
            }
            EXPECT_LE(sum, 1.0 + 1e-13);
            EXPECT_GE(sum, 1.0 - tol - 1e-13);  // the dropped Poisson tail is the only loss
        }
    }
}

TEST(TransitionRows, TaylorProductApproachesTheExponentialAsNGrows) {
    const auto Q = testing::small_generator();
    const auto model = testing::chain_from_dense(Q);
    const double t = 2.0;
    const Eigen::RowVectorXd exact = testing::dense_expm(Q, t).row(1);
    double previous = 1e300;
    for (std::int64_t n: {10, 100, 1000, 10000}) {
        const auto row = transition_rows(model, 1, std::vector<double>{t}, {.method = propagation_method::taylor, .taylor_steps = n});
        const double error = (dense_row(row[0], Q.rows()) - exact).lpNorm<1>();
        EXPECT_LT(error, previous / 5.0) << n;  // O(1/n): ten times the steps, about a tenth of the error
        previous = error;
    }
    EXPECT_LT(previous, 1e-3);
}

TEST(TransitionRows, TaylorWithFewStepsIsNotAProbabilityVector) {
    // q_1 t / n = 3 · 2 / 1 > 1: I + Qt/n has a negative diagonal entry, as documented.
    const auto model = testing::chain_from_dense(testing::small_generator());
    const auto row = transition_rows(model, 1, std::vector<double>{2.0}, {.method = propagation_method::taylor, .taylor_steps = 1});
    double sum = 0.0, smallest = 0.0;
    for (double p: row[0].probability) sum += p, smallest = std::min(smallest, p);
    EXPECT_LT(smallest, 0.0);
    EXPECT_NEAR(sum, 1.0, 1e-12);  // rows of I + Qt/n still sum to one
}

TEST(TransitionRows, RefusesWorkBeyondMaxTerms) {
    const auto model = testing::chain_from_dense(testing::stiff_generator());  // Λ = 500
    EXPECT_THROW(transition_rows(model, 0, std::vector<double>{100.0}, {.max_terms = 10000}), input_error);
}

} // namespace
} // namespace mic
