#include "engine/simulation/expected_events.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <span>
#include <vector>

#include "engine/simulation/influence_operator.hpp"
#include "engine/simulation/spectral_radius.hpp"
#include "engine/support/error.hpp"
#include "engine/support/poisson_weights.hpp"

namespace mic {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// c_k = T_k(X) + U_k(X) for k = 0 .. R (R: the last non-negligible Poisson(X) probability).
std::vector<double> count_weights(double X) {
    const truncated_weights p = uniformization_weights(X, weight_kind::probability, 1e-30);
    const std::size_t R = p.weight.size();
    std::vector<double> c(R, 0.0);
    double tail = 0, tail_sum = 0;  // T_k and U_k, from the top: T_{k} = T_{k+1} + p_{k+1}, U_k = U_{k+1} + T_{k+1}
    for (std::size_t k = R; k-- > 0;) {
        c[k] = tail + tail_sum;
        tail_sum += tail;
        tail += p.weight[k];
    }
    return c;
}

// Poisson(X) weights kept by count_weights: X + O(√X) (the truncation at 1e-30 of the mode lies
// within about 12 standard deviations on each side).
double weight_count(double X) { return X + 12 * std::sqrt(X) + 50; }

// Beyond this many weights (8 MB for the weights, as much for the counts) the horizon is too long
// to sum term by term.
constexpr double max_weights = 1e6;

// E[n(T)] ≤ T 1ᵀx for any x ≥ 0 with x = μ + τWᵀx: the expected intensities from an empty history
// rise monotonically towards their stationary value and never exceed such an x (the Picard
// iteration of z = μ + ∫ Wᵀκ z from z = 0 stays below x). x = Bμ exists and is ≥ 0 when ρ(W)τ < 1;
// the solve is attempted only then (beyond, it may crawl to its iteration limit): +inf otherwise.
// Cost: a power iteration and one sparse solve, whatever T.
double stationary_bound(const model_params& params, std::span<const double> mu_user, double horizon) {
    if (!(influence_spectral_radius(params).upper_bound * params.tau < 1)) return infinity;
    std::vector<double> x;
    try {
        x = solve_resolvent(influence_operator(params, 1), params.tau, mu_user);
    } catch (const input_error&) {  // did not converge: too close to the stability limit
        return infinity;
    }
    if (!std::all_of(x.begin(), x.end(), [](double v) { return v >= 0 && std::isfinite(v); })) return infinity;
    return horizon * std::accumulate(x.begin(), x.end(), 0.0);
}

// 1ᵀ(τWᵀ)^k μ ≤ γ^k 1ᵀμ: the ℓ1 norm of τWᵀ is its largest column sum, γ = τ Σ_u w_vu over v's
// out-edges. So E[n(T)] ≤ τ Σμ Σ_k c_k γ^k; +inf once γ^k overflows (γ > 1 over thousands of
// weights: the bound says nothing there — and 0 · inf must not make it NaN).
double norm_bound(const model_params& params, std::span<const double> c, double s0) {
    std::vector<double> out_sum(std::size_t(params.n_users), 0.0);
    for (std::size_t j = 0; j < params.in_source.size(); ++j) out_sum[std::size_t(params.in_source[j])] += params.weight[j];
    const double gamma = params.tau * (out_sum.empty() ? 0.0 : *std::max_element(out_sum.begin(), out_sum.end()));
    double total = 0, power = 1;
    for (const double ck: c) {
        if (!std::isfinite(power)) return infinity;
        total += ck * power;
        power *= gamma;
    }
    return params.tau * s0 * total;
}

} // namespace

expected_event_count expected_events(const model_params& params, double horizon, double work_limit) {
    expected_event_count out;
    const double tau = params.tau, X = horizon / tau;
    if (!(horizon > 0)) return out;
    const auto U = std::size_t(params.n_users), C = std::size_t(params.n_cascades);
    std::vector<double> v(U, 0.0), next(U);
    for (std::size_t u = 0; u < U; ++u)
        for (std::size_t s = 0; s < C; ++s) v[u] += params.mu[u * C + s];
    const double s0 = std::accumulate(v.begin(), v.end(), 0.0);
    if (s0 == 0) return out;  // no baseline: from an empty history nothing ever happens
    if (!(weight_count(X) <= max_weights)) return {stationary_bound(params, v, horizon), true};
    const std::vector<double> c = count_weights(X);
    const double work = double(c.size()) * double(params.in_source.size() + U);
    // Either bound may be +inf (never NaN); the smaller holds.
    if (work > work_limit) return {std::min(norm_bound(params, c, s0), stationary_bound(params, v, horizon)), true};
    double total = 0, last_term = 0;
    for (std::size_t k = 0; k < c.size(); ++k) {
        last_term = c[k] * std::accumulate(v.begin(), v.end(), 0.0);
        total += last_term;
        // v ← τ Wᵀ v: (Wᵀ v)_u = Σ_{v' ∈ F_u} w_{v'u} v_{v'}.
        for (std::size_t u = 0; u < U; ++u) {
            double acc = 0;
            for (auto j = params.in_offsets[u]; j < params.in_offsets[u + 1]; ++j)
                acc += params.weight[std::size_t(j)] * v[std::size_t(params.in_source[std::size_t(j)])];
            next[u] = tau * acc;
        }
        v.swap(next);
    }
    // Terms still growing at the truncation (a strongly supercritical model): the sum is not
    // converged and the count is beyond any bound a run could hold.
    out.events = last_term > 1e-9 * total ? infinity : tau * total;
    return out;
}

} // namespace mic
