#pragma once
// Helpers of the recovery and model-comparison tests: simulate a parameter set exactly, fit a model
// variant to a window of the result (sharded over the ranks of `comm`), score a window, and measure
// parameter errors.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstddef>

#include "engine/data/time_split.hpp"
#include "engine/inference/cost_partition.hpp"
#include "engine/inference/fit.hpp"
#include "engine/likelihood/shard_likelihood.hpp"
#include "engine/simulation/parameter_draw.hpp"
#include "engine/simulation/simulation.hpp"

namespace mic::testing {

// The MIC paper's Sec. 7.2 parameter draw: mic, β = 33.37, τ = 3, 3 cascades,
// Σ = [[1,0,0],[.71,.29,0],[0,0,1]], μ ~ U[0, 0.2], and w ~ U[0, w_high] (the paper's U[0, 1] is
// explosive on a graph with mean in-degree 5 and τ = 3).
inline parameter_draw paper_draw(double w_high) {
    parameter_draw draw;
    draw.variant = model_variant::mic;
    draw.beta = 33.37;
    draw.tau = 3;
    draw.n_cascades = 3;
    draw.sigma = {1, 0, 0, 0.71, 0.29, 0, 0, 0, 1};
    draw.mu = {0.0, 0.2};
    draw.weight = {0.0, w_high};
    return draw;
}

// Replica `seed` of the exact simulation of `truth` on (0, horizon], as a dataset.
inline dataset simulate_dataset(const model_params& truth, double horizon, std::uint64_t seed) {
    simulation_options so;
    so.horizon = horizon;
    return to_dataset(truth, simulator(truth).run_replica(so, seed, 0), horizon);
}

// This rank's shard of `data` (cost-balanced contiguous partition).
inline shard shard_of(const communicator& comm, const dataset& data) {
    const auto work = user_work(data.events.user_offsets, data.graph.in_offsets, data.graph.in_source);
    return make_shard(data, range_partition::balanced(work, comm.size()).owned(comm.rank()));
}

// The time of the event at quantile `fraction` (the end of the training window, as `mic fit
// --train-fraction`): the ⌈F n⌉-th event in time order.
inline double split_time(const dataset& data, double fraction) { return mic::split_time(data.events.time, fraction); }

// Alg. 1 for `variant` with the given β, τ on `window`, from initial_params.
inline fit_result fit_variant(const communicator& comm, const shard& s, likelihood_window window, model_variant variant,
                              double beta, double tau, double tolerance = 1e-7, int max_iterations = 200) {
    const shard_kernels kernels(s, tau, window);
    fit_options options;
    options.tolerance = tolerance;
    options.max_iterations = max_iterations;
    return fit_model(comm, s, window, initial_params(kernels, variant, beta, tau), options);
}

// Root mean square of a − b.
inline double rms_difference(const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(sum / double(a.size()));
}

} // namespace mic::testing
