#pragma once
// Maximisation of a smooth concave function f(θ) over θ ≥ 0 in small dimension p (a user step:
// p = C + in-degree), by Bertsekas' projected Newton method with the exact Hessian:
//
//   active set  {i : s_i = 0} ∪ {i : g_i ≤ 0 and θ_i ≤ ε_i, and either −g_i/s_i > ε or
//               θ_i a_ii ≤ −g_i}   (a_ii = −∂²f/∂θ_i²: at, or about to hit, the bound; where the
//               gradient is zero up to rounding, only if the Newton step along θ_i alone reaches it)
//   free step   (−H_FF + δI) d_F = g_F    (Cholesky; δ > 0 only when −H_FF is not positive definite)
//   bound step  d_i = −θ_i for i ∈ A with s_i > 0                    (move it onto its bound)
//   arc         θ(α) = max(0, θ + α d),  α = 1, 1/2, 1/4, …
//   Armijo      f(θ(α)) ≥ f(θ) + 10⁻⁴ gᵀ(θ(α) − θ)
//   extension   when α = 1 gains ≥ 0.9 gᵀ(θ(1) − θ) (f nearly linear along d), α = 2, 4, … while f
//               still increases: the Gram form's null-space step (newton_direction.hpp) has no
//               curvature to size it, and f is linear along it up to a bound
// If no α passes, the projected gradient arc θ(α) = max(0, θ + α D g) (D = 1/|H_ii|) is tried the
// same way; a point is only ever replaced by one with a larger finite value, so f never decreases.
//
// Stopping: the scaled KKT residual (kkt_residual below) ≤ tolerance. Once the Newton step's
// predicted gain gᵀd is below the rounding error of f (8ε(|f| + n + 1)√(n + 1)), values cannot rank points any more;
// the full step is then taken only if it lowers the KKT residual (f may change by rounding only),
// as it is when both arcs fail (the predicted gain was then within a few roundings),
// and otherwise the point is optimal to working precision: the solver stops there, but reports
// converged only if the residual itself is within the tolerance. Each coordinate i has a scale
// s_i > 0, the derivative of the compensator ∫λ with respect to θ_i (b − a for μ_c, K_v for w_v), so
// that −g_i/s_i is the relative imbalance "observed minus expected events" along θ_i, and
// θ_i s_i/(n + 1) the share of the user's n events explained by θ_i. Coordinates with s_i = 0 do not
// enter f at all (a neighbour without events before b); they are left as they are.
//
// The objective is any type with dimension() and evaluate(θ, gradient, hessian) (the interface of
// user_objective): value always, gradient/Hessian when the spans are non-empty. The curvature comes
// in either form of newton_direction.hpp: `dense_hessian` (the objective fills ∇²f) or
// `hessian_factor` (the objective appends the rows of a square-root factor of −∇²f; the solver then
// picks the cheaper of the normal and the Gram form of the Newton system, so that a user with few
// events and many in-neighbours costs O(n_u² k) per iteration rather than O(n_u k² + k³)).
#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <functional>
#include <limits>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/inference/newton_direction.hpp"

namespace mic {

template <class T>
concept twice_differentiable_objective = requires(T& f, std::span<const double> x, std::span<double> g) {
    { f.dimension() } -> std::convertible_to<std::size_t>;
    { f.evaluate(x, g, g) } -> std::convertible_to<double>;
};

struct projected_newton_options {
    double tolerance = 1e-9;  // on the scaled KKT residual
    int max_iterations = 200;
    // user_step: false takes the Newton systems in factored form wherever the variant allows it
    // (newton_direction.hpp); true forces the dense exact Hessian everywhere (the reference path).
    bool dense_hessian = false;
};

struct projected_newton_result {
    double value = 0;         // f at the returned θ
    double kkt_residual = 0;  // at the returned θ
    int iterations = 0;
    bool converged = false;   // kkt_residual ≤ tolerance (the condition itself, nothing else)
    // Stopped above the tolerance because no step could be told apart by f or lowered the residual:
    // as good as this precision allows, but not converged (the caller decides what to report).
    bool at_working_precision = false;
};

// max_i |min(θ_i s_i/(n + 1), −g_i/s_i)| over coordinates with s_i > 0: zero exactly at a KKT point
// of max f s.t. θ ≥ 0 (g_i = 0 where θ_i > 0, g_i ≤ 0 where θ_i = 0); dimensionless.
inline double kkt_residual(std::span<const double> theta, std::span<const double> gradient,
                           std::span<const double> scale, double n_events) {
    double r = 0;
    for (std::size_t i = 0; i < theta.size(); ++i) {
        if (!(scale[i] > 0)) continue;
        r = std::max(r, std::abs(std::min(theta[i] * scale[i] / (n_events + 1), -gradient[i] / scale[i])));
    }
    return r;
}

// Whether coordinate i goes onto its bound θ_i = 0 in the active set of Bertsekas (1982) with ε = eps:
// near it (its share θ_i s_i/(n + 1) of the user's events ≤ eps) and pushed down (g_i ≤ 0) — and,
// where the push is not measurable (−g_i/s_i ≤ eps), only if the Newton step along θ_i alone would
// reach the bound: θ_i a_ii ≤ −g_i, a_ii = −∂²f/∂θ_i². Without that last test a coordinate resting
// at an interior optimum with a gradient zero up to rounding (g_i = −3e-7) was sent to 0 whenever its
// share was below ε: a weight of 0.67 whose neighbour explains few events, or a baseline held up by
// the prior's log barrier (where 0 means f = −inf). The arc then had to cut the whole step, and a
// user with 4·10⁵ events stopped at a KKT residual of 1.5e-3 with no step accepted. A measurable
// push keeps Bertsekas' rule (and its convergence argument).
inline bool belongs_on_bound(double theta, double gradient, double scale, double negative_curvature, double n_events,
                             double eps) {
    if (!(theta * scale / (n_events + 1) <= eps && gradient <= 0)) return false;
    return -gradient / scale > eps || theta * std::max(negative_curvature, 0.0) <= -gradient;
}

namespace detail {

// Extrapolation along the same arc from θ(1) (held in `theta`; `origin` = θ(0), where f was `start_value`):
// α = 2, 4, 8, … while f keeps increasing (and Armijo holds from θ(0)); stops when the arc no
// longer moves (every coordinate it changes has reached its bound) or f stops increasing. Without
// it, a direction along which f is linear up to a bound is walked in steps of its unit length: a
// user with one event and three free weights took ~200 Newton iterations to reach a bound.
template <twice_differentiable_objective F>
void extend_arc(F& f, std::vector<double>& theta, double& value, double start_value, std::span<const double> gradient,
                std::span<const double> direction, std::span<const double> origin) {
    std::vector<double> trial(theta.size());
    double alpha = 2;
    for (int k = 0; k < 60; ++k, alpha *= 2) {
        double slope = 0;
        bool moved = false;
        for (std::size_t i = 0; i < theta.size(); ++i) {
            trial[i] = std::max(0.0, origin[i] + alpha * direction[i]);
            slope += gradient[i] * (trial[i] - origin[i]);
            moved = moved || trial[i] != theta[i];
        }
        if (!moved) return;
        const double v = f.evaluate(trial, {}, {});
        if (!(std::isfinite(v) && v > value && v >= start_value + 1e-4 * slope)) return;
        theta.swap(trial);
        value = v;
    }
}

// Backtracking along θ(α) = max(0, θ + α d): returns true and replaces (θ, f) by the first point
// that satisfies the Armijo condition above (extended by extend_arc when f is near-linear along d).
template <twice_differentiable_objective F>
bool projected_arc_search(F& f, std::vector<double>& theta, double& value, std::span<const double> gradient,
                          std::span<const double> direction, std::vector<double>& trial) {
    double alpha = 1;
    for (int k = 0; k < 60; ++k, alpha *= 0.5) {
        double slope = 0;  // gᵀ(θ(α) − θ)
        bool moved = false;
        for (std::size_t i = 0; i < theta.size(); ++i) {
            trial[i] = std::max(0.0, theta[i] + alpha * direction[i]);
            slope += gradient[i] * (trial[i] - theta[i]);
            moved = moved || trial[i] != theta[i];
        }
        if (!moved) return false;
        const double v = f.evaluate(trial, {}, {});
        if (std::isfinite(v) && v >= value + 1e-4 * slope && v >= value) {
            // The full step gained (almost) what the slope promised: f is close to linear along d,
            // so d's length was not set by curvature (as on the null space of the Gram form of
            // newton_direction.hpp, where only the compensator moves) and a longer step gains more.
            const bool near_linear = k == 0 && v - value >= 0.9 * slope;
            const double start_value = value;
            theta.swap(trial);
            value = v;
            if (near_linear) extend_arc(f, theta, value, start_value, gradient, direction, trial);
            return true;
        }
    }
    return false;
}

} // namespace detail

// Maximises f over θ ≥ 0 from the feasible start `theta` (f(theta) must be finite), in place. The
// curvature form is dense_hessian (∇²f) or hessian_factor (newton_direction.hpp). `poll` (optional) is
// called before every Newton iteration (the user step's progress lines and stop requests during one
// long solve); it may throw to abandon the solve, leaving θ at a feasible iterate.
template <class Curvature = dense_hessian, twice_differentiable_objective F>
projected_newton_result maximise_projected_newton(F& f, std::vector<double>& theta, std::span<const double> scale,
                                                  double n_events, const projected_newton_options& options,
                                                  const std::function<void()>& poll = {}) {
    const std::size_t p = theta.size();
    std::vector<double> g(p), d(p), trial(p), g_trial(p);
    Curvature H, H_trial;
    if constexpr (std::is_same_v<Curvature, dense_hessian>) {
        H.resize(p);
        H_trial.resize(p);
    }
    projected_newton_result result;
    result.value = evaluate_with_curvature(f, theta, g, H);
    if (!std::isfinite(result.value)) {
        result.kkt_residual = HUGE_VAL;
        return result;
    }
    std::vector<std::size_t> free;
    for (;;) {
        result.kkt_residual = kkt_residual(theta, g, scale, n_events);
        if (result.kkt_residual <= options.tolerance) {
            result.converged = true;
            break;
        }
        if (result.iterations >= options.max_iterations) break;
        if (poll) poll();
        ++result.iterations;

        // Active set with the ε of Bertsekas (1982): ε shrinks with the residual (belongs_on_bound).
        const double eps = std::min(1e-3, result.kkt_residual);
        free.clear();
        for (std::size_t i = 0; i < p; ++i) {
            d[i] = 0;
            if (!(scale[i] > 0)) continue;
            const bool at_bound = belongs_on_bound(theta[i], g[i], scale[i], negative_curvature(H, i), n_events, eps);
            if (at_bound) d[i] = -theta[i];
            else free.push_back(i);
        }
        // Newton step on the free coordinates: (−H_FF + δI) d_F = g_F (newton_direction.hpp).
        if (!free.empty()) newton_direction(H, free, g, d);
        // Converged to working precision: the step's predicted gain gᵀd (twice the quadratic model's
        // gain) is below the rounding error of f, so no line search could tell an improvement apart.
        double predicted = 0;
        for (std::size_t i = 0; i < p; ++i) predicted += g[i] * d[i];
        // f = Σ_e ℓ_e − ∫λ is a difference of sums of ~n terms of order 1 (at the optimum ∫λ ≈ n): its
        // rounding error scales with n + |f|, not with |f| alone (which may be tiny by cancellation),
        // and a sum of n terms accumulates ~√n roundings of its partial sums (measured on a user with
        // 30 000 events: differences of 1e-8 between points whose true values differ by 1e-10).
        const double rounding = 8 * std::numeric_limits<double>::epsilon() * (std::abs(result.value) + n_events + 1) *
                                std::sqrt(n_events + 1);
        // Values no longer tell points apart, but gradients still do: the full step is taken when it
        // lowers the KKT residual and does not lose more than rounding (each such step lowers the
        // residual, so this cannot cycle).
        const auto full_step_by_gradient = [&] {
            for (std::size_t i = 0; i < p; ++i) trial[i] = std::max(0.0, theta[i] + d[i]);
            const double v = evaluate_with_curvature(f, trial, g_trial, H_trial);
            if (!(std::isfinite(v) && v >= result.value - rounding &&
                  kkt_residual(trial, g_trial, scale, n_events) < result.kkt_residual))
                return false;
            theta.swap(trial);
            g.swap(g_trial);
            std::swap(H, H_trial);
            result.value = v;
            return true;
        };
        if (predicted <= rounding) {
            if (full_step_by_gradient()) continue;
            result.at_working_precision = true;
            break;
        }
        const std::vector<double> newton_step = d;
        if (detail::projected_arc_search(f, theta, result.value, g, d, trial)) {
            evaluate_with_curvature(f, theta, g, H);
            continue;
        }
        // Fallback: the diagonally scaled projected gradient arc (an ascent direction whenever θ is
        // not a KKT point).
        for (std::size_t i = 0; i < p; ++i) {
            const double curvature = std::abs(negative_curvature(H, i));
            d[i] = scale[i] > 0 ? g[i] / std::max(curvature, 1e-300) : 0.0;
        }
        if (detail::projected_arc_search(f, theta, result.value, g, d, trial)) {
            evaluate_with_curvature(f, theta, g, H);
            continue;
        }
        // Both arcs failed: the gain the model predicts is within a few roundings of f (the
        // estimate above is not a strict bound on the error of a sum of ~n terms). Recompute the
        // Newton step (the fallback overwrote d) and let the gradient decide once more.
        d = newton_step;
        if (full_step_by_gradient()) continue;
        result.at_working_precision = true;  // no ascent possible in floating point: stalled at the current point
        break;
    }
    return result;
}

} // namespace mic
