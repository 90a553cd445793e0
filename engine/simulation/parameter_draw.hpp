#pragma once
// Random ground-truth parameters for synthetic data (`mic generate`), on a given graph, from a seed.
//
// The plain draw (the MIC paper's Sec. 7.2): μ_u^c ~ U[mu] and w_vu ~ U[weight], independently.
// Three options make the data look like the real logs our users hold (issue "fit real data right"):
//
//   activity_tail α > 0     user activity a_u ~ Pareto(α) (x_m = 1), scaled to mean 1 over users:
//                           μ_u^c = a_u · U[mu] and w_vu = a_u · U[weight] (an active user both starts
//                           and answers more). With α ≈ 1.1 the top 5 % of users make about half of the
//                           events (heavy-tailed activity).
//   baseline_density d < 1  each μ_u^c is non-zero with probability d (every user keeps at least one
//                           cascade): most users never start most cascades, they enter them through
//                           their neighbours' drive, often late (after a training cut).
//   rho_tau r > 0           W is scaled after the draw so that ρ(W)·τ = r (near-critical at r ≈ 0.95).
//
// These draws use random streams of their own, so a plain draw is the same with or without them.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/data/event_data.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

struct uniform_range {
    double low = 0.0;
    double high = 0.0;
};

struct parameter_draw {
    model_variant variant = model_variant::mic;
    double beta = 1.0;
    double tau = 1.0;
    std::int32_t n_cascades = 1;
    std::vector<double> sigma;  // C×C row-major, row-stochastic; empty: the identity
    uniform_range mu;           // μ_u^c ~ U[mu.low, mu.high] (times a_u, see above)
    uniform_range weight;       // w_vu ~ U[weight.low, weight.high] on every edge of the graph
    double activity_tail = 0;   // Pareto shape α of the user activity a_u (0: every a_u = 1)
    double baseline_density = 1;  // probability that μ_u^c is non-zero
    double rho_tau = 0;         // scale W to this ρ(W)·τ (0: keep the drawn W)
};

// The parameters of `spec` on `graph`: μ in user-major order (u, then c), then w in CSR order, from
// one random_stream of `seed`. Checked with validate() (throws input_error naming "generated
// parameters" when, e.g., a range is negative or Σ is not row-stochastic, or W has no cycle to scale
// to the asked ρ(W)·τ).
model_params draw_parameters(const csr_graph& graph, const parameter_draw& spec, std::uint64_t seed);

// Scales every weight of `p` by one factor so that ρ(W)·τ = rho_tau (> 0). Throws input_error naming
// `what` when ρ(W) = 0 (no cycle with positive weights: no scaling reaches the target).
void scale_to_stability(model_params& p, double rho_tau, const std::string& what);

} // namespace mic
