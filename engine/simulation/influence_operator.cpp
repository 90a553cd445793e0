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
    // Rows of x are read at random places (one per edge): the row of the edge `ahead` places later is
    // requested while this one is added, so that the misses overlap instead of queueing.
    constexpr std::size_t ahead = 16;
    const auto& sources = params_->in_source;
    const std::size_t n_edges = sources.size();
    std::vector<double> row(C);
    for (std::int32_t u = 0; u < params_->n_users; ++u) {
        // row = (Wᵀ X)_u = Σ_{v ∈ F_u} w_vu X_v
        const auto first = std::size_t(params_->in_offsets[std::size_t(u)]);
        const auto last = std::size_t(params_->in_offsets[std::size_t(u) + 1]);
        const double* w = params_->weight.data();
        double* yu = y.data() + std::size_t(u) * C;
        if (C == 1) {
            double partial[4] = {0.0, 0.0, 0.0, 0.0};  // four independent sums: no chain of dependent adds
            for (std::size_t e = first; e < last; ++e) {
                if (e + ahead < n_edges) __builtin_prefetch(x.data() + std::size_t(sources[e + ahead]));
                partial[(e - first) % 4] += w[e] * x[std::size_t(sources[e])];
            }
            yu[0] = (partial[0] + partial[1]) + (partial[2] + partial[3]);
            continue;
        }
        std::fill(row.begin(), row.end(), 0.0);
        for (std::size_t e = first; e < last; ++e) {
            if (e + ahead < n_edges) __builtin_prefetch(x.data() + std::size_t(sources[e + ahead]) * C);
            const double* xv = x.data() + std::size_t(sources[e]) * C;
            for (std::size_t s = 0; s < C; ++s) row[s] += w[e] * xv[s];
        }
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
