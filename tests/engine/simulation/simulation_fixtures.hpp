#pragma once
// Small models and statistics shared by the simulation tests.
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/model/model_params.hpp"

namespace mic::testing {

// A small directed network (U users, C cascades, τ = 1) with a self-loop on user 0, μ ~ U[0.05, 0.3],
// w ~ U[0.2, 1] rescaled so that ρ(W)·τ = `stability`; Σ = [[.7,.3,0..],[.2,.8,0..],…] style (a fixed
// non-trivial row-stochastic matrix) for mic and linmic, I for cc and ic; β = 4.
model_params small_network(model_variant variant, std::uint64_t seed, std::int32_t n_users = 6,
                           std::int32_t n_cascades = 2, double stability = 0.6);

// The network of a list of directed edges (source, target) on users 0..U−1 (graph_from_edges), with
// μ = 0.1 and every weight drawn from U[0.1, 2] (all positive).
model_params on_edges(std::int32_t n_users, const std::vector<std::pair<std::int32_t, std::int32_t>>& edges,
                      std::uint64_t seed);

struct sample_summary {
    double mean = 0.0;
    double standard_error = 0.0;  // sample standard deviation / √n
};
sample_summary summarize(std::span<const double> values);

// Kolmogorov's limiting survival function Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²).
double kolmogorov_survival(double lambda);
// One-sample Kolmogorov–Smirnov p-value of `values` against Exp(1) (Stephens' small-n correction).
double ks_exponential_pvalue(std::vector<double> values);
// Two-sample Kolmogorov–Smirnov p-value (asymptotic; conservative for discrete data such as counts).
double ks_two_sample_pvalue(std::vector<double> a, std::vector<double> b);

} // namespace mic::testing
