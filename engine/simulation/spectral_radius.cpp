#include "engine/simulation/spectral_radius.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace mic {
namespace {

// True when the edges of positive weight contain a directed cycle. Kahn's algorithm on the reversed
// graph (whose out-lists are the in-lists of W): repeatedly remove users with no remaining
// out-edge of positive weight in W; a cycle is what can never be removed.
bool has_positive_cycle(const model_params& p) {
    const auto U = std::size_t(p.n_users);
    std::vector<std::int64_t> out_degree(U, 0);
    for (std::size_t i = 0; i < p.in_source.size(); ++i)
        if (p.weight[i] > 0.0) ++out_degree[std::size_t(p.in_source[i])];
    std::vector<std::int32_t> ready;
    for (std::size_t v = 0; v < U; ++v)
        if (out_degree[v] == 0) ready.push_back(std::int32_t(v));
    std::size_t removed = 0;
    while (!ready.empty()) {
        const std::int32_t u = ready.back();
        ready.pop_back();
        ++removed;
        auto in = p.in_neighbours(u);
        auto w = p.weights_of(u);
        for (std::size_t i = 0; i < in.size(); ++i)
            if (w[i] > 0.0 && --out_degree[std::size_t(in[i])] == 0) ready.push_back(in[i]);
    }
    return removed < U;
}

} // namespace

spectral_radius_estimate influence_spectral_radius(const model_params& p, double tolerance,
                                                   std::int32_t max_iterations) {
    spectral_radius_estimate r;
    const auto U = std::size_t(p.n_users);
    if (U == 0 || !has_positive_cycle(p)) {  // nilpotent Wᵀ: ρ = 0 exactly
        r.converged = true;
        return r;
    }
    std::vector<double> x(U, 1.0), y(U);
    double estimate = 0.0;
    for (std::int32_t k = 1; k <= max_iterations; ++k) {
        // y = Wᵀ x: y_u = Σ_{v ∈ F_u} w_vu x_v.
        double sum_x = 0.0, sum_y = 0.0;
        double upper = 0.0, lower = std::numeric_limits<double>::infinity();
        for (std::size_t u = 0; u < U; ++u) {
            auto in = p.in_neighbours(std::int32_t(u));
            auto w = p.weights_of(std::int32_t(u));
            double acc = 0.0;
            for (std::size_t i = 0; i < in.size(); ++i) acc += w[i] * x[std::size_t(in[i])];
            y[u] = acc;
            sum_x += x[u];
            sum_y += acc;
            const double ratio = acc / x[u];  // x > 0 throughout (see the shift below)
            upper = std::max(upper, ratio);
            lower = std::min(lower, ratio);
        }
        estimate = std::clamp(sum_y / sum_x, lower, upper);
        r = {estimate, upper, lower, k, upper - estimate <= tolerance * upper};
        if (r.converged) break;
        // x ← (Wᵀ + sI) x, normalised. A shift s of a tenth of the current estimate keeps every entry
        // positive and makes ρ + s the unique dominant eigenvalue, without slowing convergence much.
        const double shift = 0.1 * estimate;
        const double norm = sum_y + shift * sum_x;
        // Entries that decay (users outside the dominant part) are floored far below any relevant
        // scale, so x stays > 0 without denormals; the bounds hold for any x > 0.
        for (std::size_t u = 0; u < U; ++u) x[u] = std::max((y[u] + shift * x[u]) / norm, 1e-250);
    }
    return r;
}

} // namespace mic
