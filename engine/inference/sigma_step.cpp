#include "engine/inference/sigma_step.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <string>
#include <vector>

#include "engine/inference/simplex.hpp"
#include "engine/support/error.hpp"

namespace mic {
namespace {

enum command : std::int64_t { stop = 0, evaluate = 1, hessian_product = 2 };

// Rank 0's view of the distributed objective: announces each collective before making it.
class announcing_objective {
public:
    // `correction` (C²×C² row-major, or empty) is added to the Hessian: the products are
    // (∇²S + correction)·V (the correction is known on rank 0, so it costs no communication).
    announcing_objective(const communicator& comm, distributed_sigma_objective& objective,
                         std::span<const double> correction = {})
        : comm_(&comm), objective_(&objective), correction_(correction) {}
    double evaluate(std::span<const double> sigma, std::span<double> gradient) {
        announce(command::evaluate);
        return objective_->evaluate(sigma, gradient);
    }
    void hessian_times(std::span<const double> v, std::span<double> out) {
        announce(command::hessian_product);
        ++products;
        objective_->hessian_times(v, out);
        const std::size_t n = v.size();
        for (std::size_t i = 0; i < n && !correction_.empty(); ++i) {
            double acc = 0;
            for (std::size_t j = 0; j < n; ++j) acc += correction_[i * n + j] * v[j];
            out[i] += acc;
        }
    }
    int products = 0;

private:
    void announce(std::int64_t c) const { comm_->broadcast(c); }
    const communicator* comm_;
    distributed_sigma_objective* objective_;
    std::span<const double> correction_;
};

double dot(std::span<const double> a, std::span<const double> b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

// P v: zero outside the free set, minus the free mean in every row.
void project_tangent(std::span<double> v, const std::vector<char>& free, std::size_t C) {
    for (std::size_t s = 0; s < C; ++s) {
        double sum = 0;
        std::size_t n = 0;
        for (std::size_t c = 0; c < C; ++c)
            if (free[s * C + c]) sum += v[s * C + c], ++n;
        const double mean = n > 0 ? sum / double(n) : 0.0;
        for (std::size_t c = 0; c < C; ++c) v[s * C + c] = (free[s * C + c] && n > 1) ? v[s * C + c] - mean : 0.0;
    }
}

struct arc_state {
    std::vector<double> sigma, gradient;
    double value;
};

// Backtracking along Σ(α) = P_Δ(Σ + α d): replaces `at` by the first point that passes Armijo.
bool arc_search(announcing_objective& f, arc_state& at, std::span<const double> d, std::size_t C) {
    arc_state trial{at.sigma, at.gradient, 0};
    double alpha = 1;
    for (int k = 0; k < 60; ++k, alpha *= 0.5) {
        for (std::size_t i = 0; i < C * C; ++i) trial.sigma[i] = at.sigma[i] + alpha * d[i];
        for (std::size_t s = 0; s < C; ++s) project_to_simplex(std::span(trial.sigma).subspan(s * C, C));
        double slope = 0;
        bool moved = false;
        for (std::size_t i = 0; i < C * C; ++i) {
            slope += at.gradient[i] * (trial.sigma[i] - at.sigma[i]);
            moved = moved || trial.sigma[i] != at.sigma[i];
        }
        if (!moved) return false;
        trial.value = f.evaluate(trial.sigma, trial.gradient);
        if (std::isfinite(trial.value) && trial.value >= at.value + 1e-4 * slope && trial.value >= at.value) {
            std::swap(at, trial);
            return true;
        }
    }
    return false;
}

// Truncated CG for (−P H P) x = b on the tangent space of the free set.
std::vector<double> newton_cg(announcing_objective& f, std::span<const double> b, const std::vector<char>& free,
                              std::size_t C, double forcing, int max_iterations) {
    const std::size_t n = C * C;
    std::vector<double> x(n, 0.0), res(b.begin(), b.end()), p(res), Hp(n);
    double rr = dot(res, res);
    const double b_norm = std::sqrt(rr);
    for (int j = 0; j < max_iterations && rr > 0; ++j) {
        f.hessian_times(p, Hp);
        for (double& v : Hp) v = -v;
        project_tangent(Hp, free, C);  // A p = −P H P p (p is already in the tangent space)
        const double curvature = dot(p, Hp);
        if (!(curvature > 0) || !std::isfinite(curvature)) {
            if (j == 0) x.assign(b.begin(), b.end());  // no curvature information: steepest ascent
            break;
        }
        const double a = rr / curvature;
        for (std::size_t i = 0; i < n; ++i) x[i] += a * p[i], res[i] -= a * Hp[i];
        const double rr_next = dot(res, res);
        if (std::sqrt(rr_next) <= forcing * b_norm) break;
        for (std::size_t i = 0; i < n; ++i) p[i] = res[i] + (rr_next / rr) * p[i];
        rr = rr_next;
    }
    return x;
}

// The projected Newton–CG direction at `at` (see the header): active set, CG on the tangent space of
// the free set, and the bound part that moves active entries to 0 (rows of d sum to 0).
std::vector<double> newton_direction(announcing_objective& f, const arc_state& at, std::size_t C, double kkt_residual) {
    const std::size_t n = C * C;
    std::vector<char> free(n);
    const double eps = std::min(0.1 / double(C), kkt_residual);
    int tangent_dimension = 0;
    for (std::size_t s = 0; s < C; ++s) {
        double sum = 0;
        int big = 0;
        for (std::size_t c = 0; c < C; ++c)
            if (at.sigma[s * C + c] > eps) sum += at.gradient[s * C + c], ++big;
        const double eta = sum / double(std::max(big, 1));
        int n_free = 0;
        for (std::size_t c = 0; c < C; ++c) {
            const std::size_t i = s * C + c;
            free[i] = at.sigma[i] > eps || at.gradient[i] > eta;
            n_free += free[i];
        }
        tangent_dimension += std::max(0, n_free - 1);
    }
    std::vector<double> b(at.gradient);
    project_tangent(b, free, C);
    std::vector<double> d = newton_cg(f, b, free, C, std::min(0.1, std::sqrt(kkt_residual)), tangent_dimension);
    for (std::size_t s = 0; s < C; ++s) {
        double moved = 0;
        int n_free = 0;
        for (std::size_t c = 0; c < C; ++c) {
            const std::size_t i = s * C + c;
            if (free[i]) ++n_free;
            else d[i] = -at.sigma[i], moved += at.sigma[i];
        }
        for (std::size_t c = 0; c < C && n_free > 0; ++c)
            if (free[s * C + c]) d[s * C + c] += moved / double(n_free);
    }
    return d;
}

sigma_step_result solve_on_root(announcing_objective& f, std::span<double> sigma, std::int32_t n_cascades,
                                double n_events, const sigma_step_options& options) {
    const std::size_t C = std::size_t(n_cascades), n = C * C;
    sigma_step_result result;
    arc_state at{std::vector<double>(sigma.begin(), sigma.end()), std::vector<double>(n), 0};
    at.value = f.evaluate(at.sigma, at.gradient);
    result.value_before = at.value;
    std::vector<double> d(n);
    while (std::isfinite(at.value)) {
        result.kkt_residual = simplex_kkt_residual(at.sigma, at.gradient, n_cascades, n_events);
        if (result.kkt_residual <= options.tolerance) {
            result.converged = true;
            break;
        }
        if (result.newton_iterations >= options.max_newton_iterations) break;
        ++result.newton_iterations;

        d = newton_direction(f, at, C, result.kkt_residual);
        // The predicted gain ⟨g, d⟩ is below the rounding error of S: values can no longer rank points
        // (at large β the curvature is of order β², so this happens while the gradient is still
        // clearly non-zero), but gradients still can: take the full step when it lowers the KKT
        // residual without losing more than rounding, else Σ is optimal to working precision.
        const double rounding = 8 * std::numeric_limits<double>::epsilon() * (std::abs(at.value) + n_events);
        if (dot(at.gradient, d) <= rounding) {
            arc_state trial{at.sigma, at.gradient, 0};
            for (std::size_t i = 0; i < n; ++i) trial.sigma[i] = at.sigma[i] + d[i];
            for (std::size_t s = 0; s < C; ++s) project_to_simplex(std::span(trial.sigma).subspan(s * C, C));
            trial.value = f.evaluate(trial.sigma, trial.gradient);
            if (std::isfinite(trial.value) && trial.value >= at.value - rounding &&
                simplex_kkt_residual(trial.sigma, trial.gradient, n_cascades, n_events) < result.kkt_residual) {
                std::swap(at, trial);
                continue;
            }
            result.at_working_precision = true;  // not converged: the residual is above the tolerance
            break;
        }
        if (arc_search(f, at, d, C)) continue;
        for (std::size_t i = 0; i < n; ++i) d[i] = at.gradient[i] / std::max(1.0, n_events);
        if (arc_search(f, at, d, C)) continue;
        result.at_working_precision = true;  // no ascent possible in floating point
        break;
    }
    for (std::size_t i = 0; i < n; ++i) result.max_change = std::max(result.max_change, std::abs(at.sigma[i] - sigma[i]));
    std::copy(at.sigma.begin(), at.sigma.end(), sigma.begin());
    result.value_after = at.value;
    result.hessian_products = f.products;
    return result;
}

// Runs `solve(f)` on rank 0 with an announcing objective while the other ranks serve its
// collectives (see the header on why this cannot hang); a failure on rank 0 is agreed by all ranks.
template <class Solve>
void drive_from_root(const communicator& comm, distributed_sigma_objective& objective,
                     std::span<const double> correction, const char* what, Solve&& solve) {
    const std::int32_t C = objective.n_cascades();
    std::int64_t failed = 0;
    std::string message;
    if (comm.is_root()) {
        announcing_objective f(comm, objective, correction);
        try {
            solve(f);
        } catch (const std::exception& e) {
            failed = 1;
            message = std::string(what) + " failed on rank 0: " + e.what();
        }
        std::int64_t done = command::stop;
        comm.broadcast(done);
    } else {
        std::vector<double> in(std::size_t(C) * std::size_t(C)), out(in.size());
        for (;;) {
            std::int64_t c = command::stop;
            comm.broadcast(c);
            if (c == command::stop) break;
            if (c == command::evaluate) objective.evaluate(in, out);
            else objective.hessian_times(in, out);
        }
    }
    comm.broadcast(failed);
    if (failed) {
        comm.broadcast(message);
        throw agreed_error(message);
    }
}

} // namespace

sigma_direction sigma_newton_direction(const communicator& comm, distributed_sigma_objective& objective,
                                       std::span<const double> sigma, std::span<const double> correction) {
    const std::size_t C = std::size_t(objective.n_cascades()), n = C * C;
    const double n_events = double(objective.n_events());  // collective, on every rank
    sigma_direction result;
    result.gradient.assign(n, 0.0);
    result.direction.assign(n, 0.0);
    std::int64_t products = 0;
    drive_from_root(comm, objective, correction, "profile Σ-step", [&](announcing_objective& f) {
        arc_state at{std::vector<double>(sigma.begin(), sigma.end()), std::vector<double>(n), 0};
        at.value = f.evaluate(at.sigma, at.gradient);
        result.value = at.value;
        result.gradient = at.gradient;
        result.kkt_residual = simplex_kkt_residual(at.sigma, at.gradient, std::int32_t(C), n_events);
        if (std::isfinite(at.value) && result.kkt_residual > 0)
            result.direction = newton_direction(f, at, C, result.kkt_residual);
        products = f.products;
    });
    comm.broadcast(std::span(result.gradient));
    comm.broadcast(std::span(result.direction));
    double numbers[2] = {result.value, result.kkt_residual};
    comm.broadcast(std::span<double>(numbers));
    comm.broadcast(products);
    result.value = numbers[0];
    result.kkt_residual = numbers[1];
    result.hessian_products = int(products);
    return result;
}

sigma_step_result sigma_step(const communicator& comm, distributed_sigma_objective& objective, std::span<double> sigma,
                             const sigma_step_options& options) {
    const std::int32_t C = objective.n_cascades();
    const double n_events = double(objective.n_events());  // collective, on every rank
    sigma_step_result result;
    drive_from_root(comm, objective, {}, "Σ-step",
                    [&](announcing_objective& f) { result = solve_on_root(f, sigma, C, n_events, options); });
    // The result, from rank 0.
    comm.broadcast(std::span<double>(sigma.data(), sigma.size()));
    double numbers[6] = {result.value_before, result.value_after, result.kkt_residual, result.max_change,
                         result.converged ? 1.0 : 0.0, result.at_working_precision ? 1.0 : 0.0};
    std::int64_t counts[2] = {result.newton_iterations, result.hessian_products};
    comm.broadcast(std::span<double>(numbers));
    comm.broadcast(std::span<std::int64_t>(counts));
    result.value_before = numbers[0];
    result.value_after = numbers[1];
    result.kkt_residual = numbers[2];
    result.max_change = numbers[3];
    result.converged = numbers[4] != 0;
    result.at_working_precision = numbers[5] != 0;
    result.newton_iterations = int(counts[0]);
    result.hessian_products = int(counts[1]);
    return result;
}

} // namespace mic
