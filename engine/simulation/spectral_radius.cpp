#include "engine/simulation/spectral_radius.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "engine/simulation/strong_components.hpp"

namespace mic {
namespace {

// Shifted power iteration (the header) on W restricted to one component: `members` ascending, `in_member`
// true exactly for them. Only edges between members count. With every user in one component this
// is, operation for operation, the iteration on the whole W.
// `x` is a workspace by user id (size U); only the members' entries are used (set to 1 first).
spectral_radius_estimate component_radius(const model_params& p, const std::vector<std::int32_t>& members,
                                          const std::vector<char>& in_member, std::vector<double>& x,
                                          double tolerance, std::int32_t max_iterations) {
    spectral_radius_estimate r;
    const std::size_t n = members.size();
    for (const std::int32_t u : members) x[std::size_t(u)] = 1.0;
    std::vector<double> y(n);  // by position in `members`
    double estimate = 0.0;
    for (std::int32_t k = 1; k <= max_iterations; ++k) {
        // y = Wᵀ x on the component: y_u = Σ_{v ∈ F_u, v a member} w_vu x_v.
        double sum_x = 0.0, sum_y = 0.0;
        double upper = 0.0, lower = std::numeric_limits<double>::infinity();
        for (std::size_t j = 0; j < n; ++j) {
            const std::int32_t u = members[j];
            auto in = p.in_neighbours(u);
            auto w = p.weights_of(u);
            double acc = 0.0;
            for (std::size_t i = 0; i < in.size(); ++i)
                if (in_member[std::size_t(in[i])]) acc += w[i] * x[std::size_t(in[i])];
            y[j] = acc;
            sum_x += x[std::size_t(u)];
            sum_y += acc;
            const double ratio = acc / x[std::size_t(u)];  // x > 0 throughout (see the shift below)
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
        // Entries that decay are floored far below any relevant scale, so x stays > 0 without
        // denormals; the bounds hold for any x > 0.
        for (std::size_t j = 0; j < n; ++j) {
            const auto u = std::size_t(members[j]);
            x[u] = std::max((y[j] + shift * x[u]) / norm, 1e-250);
        }
    }
    return r;
}

} // namespace

spectral_radius_estimate influence_spectral_radius(const model_params& p, double tolerance,
                                                   std::int32_t max_iterations) {
    // ρ(W) = max over strongly connected components C of ρ(W_CC): ordered by components, W is block
    // triangular, and its eigenvalues are those of the diagonal blocks. A block of one user without a
    // positive self-loop is 0. On the whole of a reducible W the estimate averages the radii of
    // separate components (the header): a fitted W with 10⁶ users, 94 % of its weights 0, took 126 s.
    spectral_radius_estimate r;
    r.converged = true;
    const auto U = std::size_t(p.n_users);
    if (U == 0) return r;
    const strong_components components = positive_weight_components(p);
    std::vector<std::vector<std::int32_t>> members(std::size_t(components.count));
    for (std::size_t u = 0; u < U; ++u) members[std::size_t(components.of_user[u])].push_back(std::int32_t(u));
    // Cyclic components (a positive cycle: more than one user, or a positive self-loop), largest first,
    // with the bound ρ(W_CC) ≤ max row sum of W_CCᵀ.
    struct cyclic {
        std::int32_t id;
        double row_sum_bound;
    };
    std::vector<cyclic> order;
    for (std::int32_t c = 0; c < components.count; ++c) {
        const auto& m = members[std::size_t(c)];
        double bound = 0.0;
        for (const std::int32_t u : m) {
            double row = 0.0;
            auto in = p.in_neighbours(u);
            auto w = p.weights_of(u);
            for (std::size_t i = 0; i < in.size(); ++i)
                if (w[i] > 0.0 && components.of_user[std::size_t(in[i])] == c) row += w[i];
            bound = std::max(bound, row);
        }
        if (bound > 0.0) order.push_back({c, bound});  // else no positive edge inside: no cycle
    }
    std::stable_sort(order.begin(), order.end(), [&](const cyclic& a, const cyclic& b) {
        return members[std::size_t(a.id)].size() > members[std::size_t(b.id)].size();
    });
    // Bounds: ρ(W) ≥ every block's lower bound, ≤ the largest block upper bound.
    std::vector<char> in_member(U, 0);
    std::vector<double> x(U);
    for (const auto& [id, bound] : order) {
        if (bound <= r.lower_bound) {  // ρ(W_CC) ≤ bound ≤ ρ of a block already done ≤ ρ(W)
            r.upper_bound = std::max(r.upper_bound, bound);
            continue;
        }
        const auto& m = members[std::size_t(id)];
        for (const std::int32_t u : m) in_member[std::size_t(u)] = 1;
        const auto block = component_radius(p, m, in_member, x, tolerance, max_iterations);
        for (const std::int32_t u : m) in_member[std::size_t(u)] = 0;
        if (m.size() == U) return block;  // W irreducible: the whole-W iteration itself
        r.iterations += block.iterations;
        r.value = std::max(r.value, block.value);
        r.upper_bound = std::max(r.upper_bound, block.upper_bound);
        r.lower_bound = std::max(r.lower_bound, block.lower_bound);
    }
    r.converged = r.upper_bound - r.value <= tolerance * r.upper_bound;
    return r;
}

} // namespace mic
