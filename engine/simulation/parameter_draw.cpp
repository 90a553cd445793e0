#include "engine/simulation/parameter_draw.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "engine/simulation/spectral_radius.hpp"
#include "engine/support/error.hpp"
#include "engine/support/random_stream.hpp"
#include "engine/support/text_format.hpp"

namespace mic {
namespace {
constexpr std::uint64_t parameter_key = 0x9a7a3e7e75000001ULL;  // apart from graph and replica streams
constexpr std::uint64_t activity_key = 0x9a7a3e7e75000002ULL;
constexpr std::uint64_t density_key = 0x9a7a3e7e75000003ULL;

void check_shape(const parameter_draw& spec) {
    for (auto [range, name]: {std::pair{spec.mu, "mu"}, std::pair{spec.weight, "weight"}})
        if (!(range.low <= range.high))
            throw input_error(std::string("generated parameters: the ") + name + " range [" + std::to_string(range.low) +
                              ", " + std::to_string(range.high) + "] is empty; give low <= high");
    // A Pareto shape ≤ 1 has no mean, so "scaled to mean 1" would rest on one sample's mean (and a
    // tiny shape overflows a_u = U^(−1/α) to inf).
    if (!(spec.activity_tail == 0 || spec.activity_tail > 1) || !std::isfinite(spec.activity_tail))
        throw input_error("generated parameters: the activity tail " + shortest(spec.activity_tail) + " must be a Pareto "
                          "shape above 1 (1.1: very heavy-tailed; at 1 or below the activity has no mean to scale to) or 0 "
                          "for none");
    if (!(spec.baseline_density > 0 && spec.baseline_density <= 1))
        throw input_error("generated parameters: the baseline density must be in (0, 1]");
    if (!(spec.rho_tau >= 0) || !std::isfinite(spec.rho_tau))
        throw input_error("generated parameters: the target rho(W)*tau must be >= 0");
}

// a_u ~ Pareto(α, 1) by inversion, a = U^(−1/α), scaled to mean 1.
std::vector<double> user_activity(std::int32_t n_users, double tail, std::uint64_t seed) {
    std::vector<double> a(std::size_t(n_users), 1.0);
    if (tail <= 0 || n_users == 0) return a;
    random_stream rng(seed, activity_key);
    for (double& x: a) x = std::pow(rng.uniform_positive(), -1.0 / tail);
    const double mean = std::accumulate(a.begin(), a.end(), 0.0) / double(a.size());
    for (double& x: a) x /= mean;
    return a;
}

// Zeroes each μ_u^c with probability 1 − d, keeping one drawn cascade per user.
void thin_baselines(model_params& p, double density, std::uint64_t seed) {
    if (density >= 1) return;
    random_stream rng(seed, density_key);
    const auto C = std::size_t(p.n_cascades);
    for (std::size_t u = 0; u < std::size_t(p.n_users); ++u) {
        const std::size_t kept = std::size_t(rng.below(C));
        for (std::size_t c = 0; c < C; ++c)
            if (c != kept && rng.uniform() >= density) p.mu[u * C + c] = 0;
    }
}

} // namespace

model_params draw_parameters(const csr_graph& graph, const parameter_draw& spec, std::uint64_t seed) {
    check_shape(spec);
    model_params p = make_uniform_params(spec.variant, spec.beta, spec.tau, spec.n_cascades, graph, 0.0, 0.0);
    if (!spec.sigma.empty()) p.sigma = spec.sigma;
    random_stream rng(seed, parameter_key);
    auto draw = [&rng](uniform_range r) { return r.low + (r.high - r.low) * rng.uniform(); };
    for (double& m: p.mu) m = draw(spec.mu);
    for (double& w: p.weight) w = draw(spec.weight);
    const auto activity = user_activity(p.n_users, spec.activity_tail, seed);
    const auto C = std::size_t(p.n_cascades);
    for (std::size_t i = 0; i < p.mu.size(); ++i) p.mu[i] *= activity[i / C];
    for (std::size_t u = 0; u < std::size_t(p.n_users); ++u)
        for (auto j = p.in_offsets[u]; j < p.in_offsets[u + 1]; ++j) p.weight[std::size_t(j)] *= activity[u];
    thin_baselines(p, spec.baseline_density, seed);
    if (spec.rho_tau > 0) scale_to_stability(p, spec.rho_tau, "generated parameters");
    validate(p, "generated parameters");
    return p;
}

void scale_to_stability(model_params& p, double rho_tau, const std::string& what) {
    const double rho = influence_spectral_radius(p).value;
    if (!(rho > 0))
        throw input_error(what + ": rho(W) = 0 (the graph has no cycle with positive weights), so W cannot be scaled to "
                          "rho(W)*tau = " + shortest(rho_tau) + "; use a denser graph");
    const double scale = rho_tau / (rho * p.tau);
    for (double& w: p.weight) w *= scale;
}

} // namespace mic
