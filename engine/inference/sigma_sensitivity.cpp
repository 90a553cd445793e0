#include "engine/inference/sigma_sensitivity.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "engine/inference/projected_newton.hpp"


namespace mic {
namespace {

// One user's free coordinates, the Cholesky factor of −H_FF and J_F (|F| × C²).
struct user_sensitivity {
    std::vector<std::size_t> free;
    Eigen::LLT<Eigen::MatrixXd> factor;
    Eigen::MatrixXd cross;
};

// Fills `out` for owned user i at θ; false when the user has no free coordinate or L_u = −inf.
bool sensitivity_of(user_step& users, std::size_t i, const event_model& model, std::span<const double> theta,
                    double bound_tolerance, user_sensitivity& out) {
    const std::size_t p = theta.size(), CC = std::size_t(model.n_cascades) * std::size_t(model.n_cascades);
    std::vector<double> g(p), H(p * p), J(p * CC);
    if (!std::isfinite(users.second_derivatives(i, model, theta, g, H, J))) return false;
    const auto scale = users.scales(i);
    const double n_events = double(users.n_scored(i));
    out.free.clear();
    for (std::size_t j = 0; j < p; ++j) {
        // The user solver's rule (projected_newton.hpp), so that a coordinate it keeps free follows Σ here too.
        if (scale[j] > 0 && !belongs_on_bound(theta[j], g[j], scale[j], -H[j * p + j], n_events, bound_tolerance))
            out.free.push_back(j);
    }
    const auto n = Eigen::Index(out.free.size());
    if (n == 0) return false;
    Eigen::MatrixXd A(n, n);
    out.cross.resize(n, Eigen::Index(CC));
    double diagonal = 0;
    for (Eigen::Index a = 0; a < n; ++a) {
        const std::size_t row = out.free[std::size_t(a)];
        for (Eigen::Index b = 0; b < n; ++b) A(a, b) = -H[row * p + out.free[std::size_t(b)]];
        for (std::size_t j = 0; j < CC; ++j) out.cross(a, Eigen::Index(j)) = J[row * CC + j];
        diagonal = std::max(diagonal, std::abs(A(a, a)));
    }
    // −H_FF is positive definite at a user optimum (−L_u is convex); a tiny shift only guards
    // against rounding, as in projected_newton.hpp. (A zero diagonal means a coordinate no event
    // depends on; its row of J is zero too, so the shift does not matter there.)
    double delta = 0;
    for (int attempt = 0; attempt < 30; ++attempt) {
        out.factor.compute(A + delta * Eigen::MatrixXd::Identity(n, n));
        if (out.factor.info() == Eigen::Success) return true;
        delta = delta == 0 ? 1e-12 * std::max(diagonal, 1e-300) : 10 * delta;
    }
    return false;
}

} // namespace

std::vector<compensated_sum> local_profile_curvature(user_step& users, const model_params& params,
                                                     double bound_tolerance) {
    const event_model model = make_event_model(params);
    const std::size_t CC = std::size_t(params.n_cascades) * std::size_t(params.n_cascades);
    std::vector<compensated_sum> local(CC * CC);
    const auto& owned = users.owned();
    user_sensitivity s;
    for (std::size_t i = 0; i < owned.size(); ++i) {
        const std::vector<double> theta = user_theta(params, owned[i]);
        if (!sensitivity_of(users, i, model, theta, bound_tolerance, s)) continue;
        // J_uᵀ(−H_u)⁻¹J_u = ZᵀZ with Z = L⁻¹J_u, −H_u = L Lᵀ.
        const Eigen::MatrixXd Z = s.factor.matrixL().solve(s.cross);
        const Eigen::MatrixXd K = Z.transpose() * Z;
        for (std::size_t a = 0; a < CC; ++a)
            for (std::size_t b = 0; b < CC; ++b) local[a * CC + b].add(K(Eigen::Index(a), Eigen::Index(b)));
    }
    return local;
}

std::vector<double> user_response(user_step& users, const model_params& params, std::span<const double> dsigma,
                                  double bound_tolerance) {
    const event_model model = make_event_model(params);
    std::vector<double> response;
    const Eigen::Map<const Eigen::VectorXd> d(dsigma.data(), Eigen::Index(dsigma.size()));
    const auto& owned = users.owned();
    user_sensitivity s;
    for (std::size_t i = 0; i < owned.size(); ++i) {
        const std::vector<double> theta = user_theta(params, owned[i]);
        std::vector<double> delta(theta.size(), 0.0);
        if (sensitivity_of(users, i, model, theta, bound_tolerance, s)) {
            const Eigen::VectorXd x = s.factor.solve(s.cross * d);
            for (std::size_t a = 0; a < s.free.size(); ++a) delta[s.free[a]] = x(Eigen::Index(a));
        }
        response.insert(response.end(), delta.begin(), delta.end());
    }
    return response;
}

} // namespace mic
