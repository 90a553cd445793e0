#include "engine/simulation/expected_events.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "engine/support/poisson_weights.hpp"

namespace mic {
namespace {

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

} // namespace

expected_event_count expected_events(const model_params& params, double horizon, double work_limit) {
    expected_event_count out;
    const double tau = params.tau, X = horizon / tau;
    if (!(horizon > 0)) return out;
    const std::vector<double> c = count_weights(X);
    const auto U = std::size_t(params.n_users), C = std::size_t(params.n_cascades);
    std::vector<double> v(U, 0.0), next(U);
    for (std::size_t u = 0; u < U; ++u)
        for (std::size_t s = 0; s < C; ++s) v[u] += params.mu[u * C + s];
    const double s0 = std::accumulate(v.begin(), v.end(), 0.0);
    const double work = double(c.size()) * double(params.in_source.size() + U);
    double total = 0;
    if (work > work_limit) {
        // 1ᵀ(τWᵀ)^k μ ≤ γ^k 1ᵀμ: the ℓ1 norm of τWᵀ is its largest column sum, τ Σ_u w_vu over v's out-edges.
        std::vector<double> out_sum(U, 0.0);
        for (std::size_t j = 0; j < params.in_source.size(); ++j) out_sum[std::size_t(params.in_source[j])] += params.weight[j];
        const double gamma = tau * (U ? *std::max_element(out_sum.begin(), out_sum.end()) : 0.0);
        double power = 1;
        for (const double ck : c) {
            total += ck * power;
            power *= gamma;
        }
        out.events = tau * s0 * total;
        out.upper_bound = true;
        return out;
    }
    double last_term = 0;
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
    out.events = last_term > 1e-9 * total ? std::numeric_limits<double>::infinity() : tau * total;
    return out;
}

} // namespace mic
