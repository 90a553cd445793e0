#include "engine/inference/profile_step.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "engine/distributed/checked_section.hpp"
#include "engine/inference/sigma_sensitivity.hpp"
#include "engine/inference/sigma_step.hpp"
#include "engine/inference/simplex.hpp"
#include "engine/likelihood/distributed_sigma_objective.hpp"
#include "engine/likelihood/shard_likelihood.hpp"
#include "engine/likelihood/sigma_term.hpp"

namespace mic {

profile_step_result profile_sigma_step(const communicator& comm, const shard_kernels& kernels, user_step& users,
                                       model_params& local, const profile_step_options& options) {
    const std::size_t C = std::size_t(local.n_cascades);
    // L + log p(M) over all ranks (the fit's objective; baseline_prior.hpp), by the same pass for every
    // point compared (exact sums over ranks: equal on every rank).
    const auto loglik = [&](const model_params& at) {
        compensated_sum parts[2];
        run_checked(comm, [&] {
            parts[0] = local_loglik(kernels, at).total;
            parts[1] = users.log_prior(at);
        });
        const auto totals = sum_over_ranks(comm, std::span<const compensated_sum>(parts));
        return totals[0] + totals[1];
    };
    profile_step_result result;
    result.loglik_before = result.loglik = loglik(local);
    if (!std::isfinite(result.loglik_before)) return result;  // the same decision on every rank

    // K: local sums, then one all-reduce (every rank makes it once, whatever its users did).
    std::vector<compensated_sum> local_curvature;
    run_checked(comm, [&] { local_curvature = local_profile_curvature(users, local, options.bound_tolerance); });
    const std::vector<double> curvature = sum_over_ranks(comm, local_curvature);
    std::optional<sigma_term> term;
    run_checked(comm, [&] { term.emplace(kernels, local); });
    distributed_sigma_objective objective(comm, *term);
    const auto n_events = double(objective.n_events());
    const sigma_direction step = sigma_newton_direction(comm, objective, local.sigma, curvature);
    result.kkt_residual = step.kkt_residual;
    result.hessian_products = step.hessian_products;
    double predicted = 0;
    for (std::size_t i = 0; i < C * C; ++i) predicted += step.gradient[i] * step.direction[i];
    if (step.kkt_residual <= options.sigma_tolerance ||
        predicted <= 8 * std::numeric_limits<double>::epsilon() * (std::abs(result.loglik_before) + n_events))
        return result;

    std::vector<double> response;  // Δθ of the owned users, concatenated in owned order
    run_checked(comm, [&] { response = user_response(users, local, step.direction, options.bound_tolerance); });
    model_params trial = local;
    double alpha = 1;
    for (int k = 0; k <= 20; ++k, alpha *= 0.5) {
        double slope = 0;
        bool moved = false;
        for (std::size_t i = 0; i < C * C; ++i) trial.sigma[i] = local.sigma[i] + alpha * step.direction[i];
        for (std::size_t s = 0; s < C; ++s) project_to_simplex(std::span(trial.sigma).subspan(s * C, C));
        for (std::size_t i = 0; i < C * C; ++i) {
            slope += step.gradient[i] * (trial.sigma[i] - local.sigma[i]);
            moved = moved || trial.sigma[i] != local.sigma[i];
        }
        if (!moved) break;
        std::size_t at = 0;  // start of Δθ_u in `response`
        for (const std::int32_t u : users.owned()) {
            const auto mu = local.mu_of(u), w = local.weights_of(u);
            const auto trial_mu = trial.mu_of(u), trial_w = trial.weights_of(u);
            for (std::size_t c = 0; c < C; ++c) trial_mu[c] = std::max(0.5 * mu[c], mu[c] + alpha * response[at + c]);
            at += C;
            for (std::size_t j = 0; j < w.size(); ++j) trial_w[j] = std::max(0.0, w[j] + alpha * response[at++]);
        }
        ++result.trials;
        const double value = loglik(trial);
        if (value >= result.loglik_before + 1e-4 * slope && value > result.loglik_before) {
            local = std::move(trial);
            result.loglik = value;
            result.moved = true;
            break;
        }
    }
    return result;
}

} // namespace mic
