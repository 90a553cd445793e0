#include "engine/layout/bilayer_layout.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "engine/layout/force_layout.hpp"
#include "engine/layout/user_mixture.hpp"
#include "engine/support/random_stream.hpp"

namespace mic {
namespace {

// The smallest distance between two cascades (1 for a single cascade).
double closest_pair(std::span<const double> xy, std::size_t C) {
    double d = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < C; ++i)
        for (std::size_t j = i + 1; j < C; ++j) d = std::min(d, std::hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]));
    return std::isfinite(d) && d > 0 ? d : 1.0;
}

// Sum of each row (axis 1) or each column (axis 0) of a rows×cols matrix.
std::vector<double> sums(std::span<const double> m, std::size_t rows, std::size_t cols, int axis) {
    std::vector<double> out(axis == 1 ? rows : cols, 0.0);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) out[axis == 1 ? r : c] += m[r * cols + c];
    return out;
}

// The heaviest `cap` edges; ties go to the edges whose less active end is the more active.
std::vector<layout_edge> heaviest(std::vector<layout_edge> edges, std::span<const double> user_size, std::int64_t cap) {
    const auto activity = [&](const layout_edge& e) { return std::min(user_size[std::size_t(e.from)], user_size[std::size_t(e.to)]); };
    std::stable_sort(edges.begin(), edges.end(), [&](const layout_edge& a, const layout_edge& b) {
        if (a.weight != b.weight) return a.weight > b.weight;
        return activity(a) > activity(b);
    });
    if (std::int64_t(edges.size()) > cap) edges.resize(std::size_t(std::max<std::int64_t>(0, cap)));
    return edges;
}

// For each cascade c, the `k` users with the largest positive score in column c (ties: lower id).
std::vector<layout_edge> top_links(std::span<const double> score, std::size_t U, std::size_t C, std::int32_t k) {
    std::vector<layout_edge> links;
    std::vector<std::int32_t> order(U);
    for (std::size_t c = 0; c < C; ++c) {
        for (std::size_t u = 0; u < U; ++u) order[u] = std::int32_t(u);
        const auto at = [&](std::int32_t u) { return score[std::size_t(u) * C + c]; };
        std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return at(a) > at(b); });
        for (std::size_t i = 0; i < std::min(U, std::size_t(std::max(0, k))) && at(order[i]) > 0; ++i)
            links.push_back({std::int32_t(c), order[i], at(order[i])});
    }
    return links;
}

} // namespace

layout_panel build_panel(const panel_inputs& in, const bilayer_options& o) {
    const auto U = std::size_t(in.n_users), C = std::size_t(in.n_cascades);
    layout_panel p;
    p.n_users = in.n_users;
    p.n_cascades = in.n_cascades;
    // Cascades: a force layout of Σ's symmetric part; Σ's off-diagonal entries are the layer's edges.
    std::vector<double> affinity(C * C, 0.0);
    for (std::size_t s = 0; s < C; ++s)
        for (std::size_t c = 0; c < C; ++c)
            if (s != c) {
                affinity[s * C + c] = in.sigma[s * C + c] + in.sigma[c * C + s];
                if (in.sigma[s * C + c] >= o.min_sigma && in.sigma[s * C + c] > 0)
                    p.cascade_edges.push_back({std::int32_t(s), std::int32_t(c), in.sigma[s * C + c]});
            }
    p.cascade_xy = force_layout(affinity, in.n_cascades, {.seed = o.seed});
    // Users: the barycentre of their mixture, plus a seeded offset in a disc (keys C, C+1, … keep
    // these streams apart from the force layout's 0..C−1).
    const double radius = o.spread * closest_pair(p.cascade_xy, C);
    p.user_xy.assign(2 * U, 0.0);
    for (std::size_t u = 0; u < U; ++u) {
        for (std::size_t c = 0; c < C; ++c) {
            p.user_xy[2 * u] += in.mixture[u * C + c] * p.cascade_xy[2 * c];
            p.user_xy[2 * u + 1] += in.mixture[u * C + c] * p.cascade_xy[2 * c + 1];
        }
        random_stream offset(o.seed, C + u);
        const double r = radius * std::sqrt(offset.uniform()), angle = 2 * std::numbers::pi * offset.uniform();
        p.user_xy[2 * u] += r * std::cos(angle);
        p.user_xy[2 * u + 1] += r * std::sin(angle);
    }
    p.mixture.assign(in.mixture.begin(), in.mixture.end());
    p.user_size.assign(in.user_size.begin(), in.user_size.end());
    p.cascade_size.assign(in.cascade_size.begin(), in.cascade_size.end());
    p.user_edges = heaviest(in.user_edges, in.user_size, o.max_user_edges);
    p.links = top_links(in.link_score, U, C, o.links_per_cascade);
    return p;
}

layout_panel model_panel(const model_params& params, std::span<const double> mixture, std::span<const double> rate,
                         std::span<const double> counts, const bilayer_options& o) {
    const auto U = std::size_t(params.n_users), C = std::size_t(params.n_cascades);
    const std::span<const double> volume = counts.empty() ? rate : counts;
    const std::vector<double> user_size = sums(volume, U, C, 1), cascade_size = sums(volume, U, C, 0);
    panel_inputs in{params.n_users, params.n_cascades, params.sigma, mixture, user_size, cascade_size, params.mu, {}};
    // User edges: w_vu ≥ edge_fraction · max w (and > 0).
    double largest = 0;
    for (double w: params.weight) largest = std::max(largest, w);
    for (std::int32_t u = 0; u < params.n_users; ++u) {
        const auto from = params.in_neighbours(u);
        const auto w = params.weights_of(u);
        for (std::size_t i = 0; i < from.size(); ++i)
            if (w[i] > 0 && w[i] >= o.edge_fraction * largest) in.user_edges.push_back({from[i], u, w[i]});
    }
    return build_panel(in, o);
}

layout_panel data_panel(const csr_graph& graph, std::span<const double> counts, std::int32_t n_cascades,
                        const bilayer_options& o) {
    const std::int32_t U = graph.n_users();
    const auto C = std::size_t(n_cascades);
    const std::vector<double> identity = identity_sigma(n_cascades);
    const std::vector<double> mixture = empirical_mixture(counts, U, n_cascades);
    const std::vector<double> user_size = sums(counts, std::size_t(U), C, 1), cascade_size = sums(counts, std::size_t(U), C, 0);
    panel_inputs in{U, n_cascades, identity, mixture, user_size, cascade_size, counts, {}};
    for (std::int32_t u = 0; u < U; ++u)
        for (const std::int32_t v: graph.in_neighbours(u)) in.user_edges.push_back({v, u, 1.0});
    return build_panel(in, o);
}

std::vector<double> event_counts(const event_table& events, std::int32_t n_users, std::int32_t n_cascades) {
    const auto C = std::size_t(n_cascades);
    std::vector<double> counts(std::size_t(n_users) * C, 0.0);
    for (std::int32_t u = 0; u < n_users; ++u)
        for (std::int64_t e = events.user_offsets[std::size_t(u)]; e < events.user_offsets[std::size_t(u) + 1]; ++e)
            counts[std::size_t(u) * C + std::size_t(events.cascade[std::size_t(e)])] += 1;
    return counts;
}

} // namespace mic
