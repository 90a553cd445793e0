#pragma once
// Random ground-truth parameters for synthetic data (`mic generate`): μ_u^c and w_vu drawn
// independently and uniformly from given ranges, on a given graph, from a seed.
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
    uniform_range mu;           // μ_u^c ~ U[mu.low, mu.high]
    uniform_range weight;       // w_vu ~ U[weight.low, weight.high] on every edge of the graph
};

// The parameters of `spec` on `graph`: μ in user-major order (u, then c), then w in CSR order, from
// one random_stream of `seed`. Checked with validate() (throws input_error naming "generated
// parameters" when, e.g., a range is negative or Σ is not row-stochastic).
model_params draw_parameters(const csr_graph& graph, const parameter_draw& spec, std::uint64_t seed);

} // namespace mic
