#pragma once
// Shared pieces of the likelihood tests: random parameters on a random dataset, and central finite
// differences.
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <vector>

#include "engine/data/event_data.hpp"
#include "engine/model/model_params.hpp"
#include "tests/support/random_dataset.hpp"

namespace mic::testing {

constexpr model_variant all_variants[] = {model_variant::mic, model_variant::linmic, model_variant::cc,
                                          model_variant::ic};

// A small dataset with history before the window, self-loops, silent users and (optionally) ties.
dataset small_dataset(std::uint64_t seed, bool integer_times = false, std::int32_t n_cascades = 3);

// A random row-stochastic C×C matrix with entries bounded away from 0.
std::vector<double> random_sigma(std::int32_t n_cascades, std::mt19937_64& rng);

// Parameters on data's graph: μ ~ U[0.05, 0.4], w ~ U[0.05, 0.6], Σ random (mic, linmic) or I.
model_params random_params(const dataset& data, model_variant variant, double beta, double tau, std::uint64_t seed);

// All users of `data` (the shard of the whole dataset is make_shard(data, all_users(data))).
std::vector<std::int32_t> all_users(const dataset& data);

// Central differences of a scalar function: (f(x + h e_i) − f(x − h e_i)) / 2h, h = step·max(1, |x_i|).
std::vector<double> central_gradient(const std::function<double(std::span<const double>)>& f,
                                     std::span<const double> x, double step);
// Jacobian of a vector function by central differences: row i = ∂g/∂x_i (row-major n×n for g: Rⁿ→Rⁿ).
std::vector<double> central_jacobian(const std::function<std::vector<double>(std::span<const double>)>& g,
                                     std::span<const double> x, double step);

// The rows of `whole` that `part` holds: what to compare a fit's params with on every rank (every
// user on rank 0, the owned users' rows elsewhere: fit_result::params).
model_params same_rows(const model_params& whole, const model_params& part);

// max_i |a_i − b_i| / (scale + max_i |b_i|): a relative error with a floor.
double relative_error(std::span<const double> a, std::span<const double> b, double scale = 1.0);

} // namespace mic::testing
