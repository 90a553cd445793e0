#include "tests/engine/simulation/simulation_fixtures.hpp"

#include <algorithm>
#include <cmath>

#include "engine/simulation/graph_generators.hpp"
#include "engine/simulation/parameter_draw.hpp"
#include "engine/simulation/spectral_radius.hpp"

namespace mic::testing {

model_params small_network(model_variant variant, std::uint64_t seed, std::int32_t n_users, std::int32_t n_cascades,
                           double stability) {
    csr_graph g = erdos_renyi_graph(n_users, 0.4, seed);
    // Add the self-loop 0 → 0 (users excite themselves in the model too).
    std::vector<std::pair<std::int32_t, std::int32_t>> edges{{0, 0}};
    for (std::int32_t u = 0; u < n_users; ++u)
        for (std::int32_t v: g.in_neighbours(u)) edges.emplace_back(v, u);
    g = graph_from_edges(n_users, edges);

    parameter_draw spec;
    spec.variant = variant;
    spec.beta = 4.0;
    spec.tau = 1.0;
    spec.n_cascades = n_cascades;
    if (learns_sigma(variant)) {
        spec.sigma = identity_sigma(n_cascades);
        // Row s sends 30 % (row 0) or 20 % (other rows) of its mass to the next cascade.
        for (std::int32_t s = 0; s < n_cascades; ++s) {
            const double moved = s == 0 ? 0.3 : 0.2;
            spec.sigma[std::size_t(s * n_cascades + s)] = 1.0 - moved;
            spec.sigma[std::size_t(s * n_cascades + (s + 1) % n_cascades)] += moved;
        }
    }
    spec.mu = {0.05, 0.3};
    spec.weight = {0.2, 1.0};
    model_params p = draw_parameters(g, spec, seed);
    const double rho = influence_spectral_radius(p).value;
    for (double& w: p.weight) w *= stability / (rho * p.tau);
    return p;
}

sample_summary summarize(std::span<const double> values) {
    const double n = double(values.size());
    double mean = 0.0;
    for (double v: values) mean += v;
    mean /= n;
    double ss = 0.0;
    for (double v: values) ss += (v - mean) * (v - mean);
    return {mean, std::sqrt(ss / (n - 1.0) / n)};
}

double kolmogorov_survival(double lambda) {
    if (lambda < 0.2) return 1.0;
    double sum = 0.0;
    for (int k = 1; k <= 100; ++k) sum += (k % 2 ? 2.0 : -2.0) * std::exp(-2.0 * k * k * lambda * lambda);
    return std::clamp(sum, 0.0, 1.0);
}

double ks_exponential_pvalue(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const double n = double(values.size());
    double d = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double F = -std::expm1(-values[i]);
        d = std::max({d, (double(i) + 1.0) / n - F, F - double(i) / n});
    }
    const double sn = std::sqrt(n);
    return kolmogorov_survival((sn + 0.12 + 0.11 / sn) * d);
}

double ks_two_sample_pvalue(std::vector<double> a, std::vector<double> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    std::size_t i = 0, j = 0;
    double d = 0.0;
    // Step through the distinct values of the merged sample (ties move both empirical CDFs at once).
    while (i < a.size() && j < b.size()) {
        const double x = std::min(a[i], b[j]);
        while (i < a.size() && a[i] == x) ++i;
        while (j < b.size() && b[j] == x) ++j;
        d = std::max(d, std::abs(double(i) / double(a.size()) - double(j) / double(b.size())));
    }
    const double ne = double(a.size()) * double(b.size()) / double(a.size() + b.size());
    const double sn = std::sqrt(ne);
    return kolmogorov_survival((sn + 0.12 + 0.11 / sn) * d);
}

model_params on_edges(std::int32_t n_users, const std::vector<std::pair<std::int32_t, std::int32_t>>& edges,
                      std::uint64_t seed) {
    parameter_draw spec;
    spec.mu = {0.1, 0.1};
    spec.weight = {0.1, 2.0};
    return draw_parameters(graph_from_edges(n_users, edges), spec, seed);
}

} // namespace mic::testing
