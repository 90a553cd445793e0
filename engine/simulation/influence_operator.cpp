#include "engine/simulation/influence_operator.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "engine/simulation/resolvent_matrix.hpp"
#include "engine/support/error.hpp"

namespace mic {

influence_operator::influence_operator(const model_params& params, std::int32_t width, std::span<const double> coupling)
    : params_(&params), width_(width), coupling_(coupling.begin(), coupling.end()) {
    if (width < 1 || (!coupling_.empty() && coupling_.size() != std::size_t(width) * std::size_t(width)))
        throw std::invalid_argument("influence_operator: coupling must be width × width");
}

void influence_operator::apply(std::span<const double> x, std::span<double> y) const {
    const auto C = std::size_t(width_);
    std::vector<double> row(C);
    for (std::int32_t u = 0; u < params_->n_users; ++u) {
        // row = (Wᵀ X)_u = Σ_{v ∈ F_u} w_vu X_v
        std::fill(row.begin(), row.end(), 0.0);
        auto in = params_->in_neighbours(u);
        auto w = params_->weights_of(u);
        for (std::size_t i = 0; i < in.size(); ++i) {
            const double* xv = x.data() + std::size_t(in[i]) * C;
            for (std::size_t s = 0; s < C; ++s) row[s] += w[i] * xv[s];
        }
        double* yu = y.data() + std::size_t(u) * C;
        if (coupling_.empty()) {
            std::copy(row.begin(), row.end(), yu);
            continue;
        }
        // y_u = row · S: y_{u,c} = Σ_s row_s σ_sc.
        std::fill(yu, yu + C, 0.0);
        for (std::size_t s = 0; s < C; ++s)
            for (std::size_t c = 0; c < C; ++c) yu[c] += row[s] * coupling_[s * C + c];
    }
}

std::vector<double> solve_resolvent(const influence_operator& K, double tau, std::span<const double> b,
                                    double tolerance) {
    const auto n = Eigen::Index(K.size());
    if (n == 0) return {};
    const resolvent_matrix A(K, tau);
    Eigen::BiCGSTAB<resolvent_matrix, Eigen::IdentityPreconditioner> solver;
    solver.setTolerance(tolerance);
    solver.setMaxIterations(std::max<Eigen::Index>(1000, 10 * n));
    solver.compute(A);
    const Eigen::Map<const Eigen::VectorXd> rhs(b.data(), n);
    Eigen::VectorXd x = solver.solveWithGuess(rhs, rhs);
    if (solver.info() != Eigen::Success || !x.allFinite())
        throw input_error("closed forms: the solve of (I − τWᵀ) x = b did not converge (relative residual " +
                          std::to_string(solver.error()) + " after " + std::to_string(solver.iterations()) +
                          " iterations); the process is at or too close to the stability limit ρ(W)·τ = 1");
    return {x.data(), x.data() + n};
}

} // namespace mic
