#include "engine/inference/fit.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "engine/distributed/checked_section.hpp"
#include "engine/inference/kkt.hpp"
#include "engine/inference/profile_step.hpp"
#include "engine/inference/user_step.hpp"
#include "engine/likelihood/distributed_sigma_objective.hpp"
#include "engine/likelihood/shard_likelihood.hpp"
#include "engine/likelihood/sigma_term.hpp"

namespace mic {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// (min, max) over ranks of t_r / mean_r t_r. Collective (one all-gather).
std::pair<double, double> time_shares(const communicator& comm, double local_seconds) {
    const auto all = comm.allgather(local_seconds);
    const double mean = std::accumulate(all.begin(), all.end(), 0.0) / double(all.size());
    if (!(mean > 0)) return {1.0, 1.0};
    const auto [lo, hi] = std::minmax_element(all.begin(), all.end());
    return {*lo / mean, *hi / mean};
}

} // namespace

model_params initial_params(const shard_kernels& kernels, model_variant variant, double beta, double tau) {
    const shard& data = kernels.data();
    model_params p;
    p.variant = variant;
    p.beta = beta;
    p.tau = tau;
    p.n_users = data.header.n_users;
    p.n_cascades = data.header.n_cascades;
    const std::size_t C = std::size_t(p.n_cascades);
    p.mu.assign(std::size_t(p.n_users) * C, 0.0);
    p.sigma = identity_sigma(p.n_cascades);
    p.in_offsets.assign(std::size_t(p.n_users) + 1, 0);
    // Degrees of the owned users; 0 for the others.
    for (std::size_t i = 0; i < data.owned.size(); ++i)
        p.in_offsets[std::size_t(data.owned[i]) + 1] = data.in_offsets[i + 1] - data.in_offsets[i];
    std::partial_sum(p.in_offsets.begin(), p.in_offsets.end(), p.in_offsets.begin());
    p.in_source.resize(std::size_t(p.in_offsets.back()));
    p.weight.resize(p.in_source.size());
    const double T = kernels.window().length();
    auto scored = [&](std::int32_t local) {  // events of shard user `local` inside the window
        const auto times = data.events.times(local);
        return double(std::count_if(times.begin(), times.end(), [&](double t) {
            return t > kernels.window().from && t <= kernels.window().to;
        }));
    };
    for (std::size_t i = 0; i < data.owned.size(); ++i) {
        const std::int32_t u = data.owned[i];
        const auto [first, last] = kernels.scored_events(i);
        std::vector<double> counts(C, 0.0);
        for (auto j = first; j < last; ++j) counts[std::size_t(data.events.cascade[std::size_t(j)])] += 1;
        for (std::size_t c = 0; c < C; ++c) p.mu[std::size_t(u) * C + c] = (counts[c] + 1.0 / double(C)) / (2 * T);
        const auto neighbours = data.in_neighbours(i);
        const auto locals = kernels.neighbour_locals(i);
        double neighbour_events = 0;
        for (auto v : locals) neighbour_events += scored(v);
        const double w = (double(last - first) + 1) / (2 * tau * (neighbour_events + 1));
        std::copy(neighbours.begin(), neighbours.end(), p.in_source.begin() + p.in_offsets[u]);
        std::fill_n(p.weight.begin() + p.in_offsets[u], neighbours.size(), w);
    }
    return p;
}

model_params gather_params(const communicator& comm, const shard& data, const model_params& local) {
    const std::size_t C = std::size_t(local.n_cascades);
    std::vector<std::int64_t> degree(data.owned.size());
    std::vector<double> mu, weight;
    for (std::size_t i = 0; i < data.owned.size(); ++i) {
        const std::int32_t u = data.owned[i];
        degree[i] = data.in_offsets[i + 1] - data.in_offsets[i];
        const auto m = local.mu_of(u);
        mu.insert(mu.end(), m.begin(), m.end());
        const auto w = local.weights_of(u);
        weight.insert(weight.end(), w.begin(), w.end());
    }
    const auto users = comm.allgatherv(std::span<const std::int32_t>(data.owned));
    const auto degrees = comm.allgatherv(std::span<const std::int64_t>(degree));
    const auto sources = comm.allgatherv(std::span<const std::int32_t>(data.in_source));
    const auto mus = comm.allgatherv(std::span<const double>(mu));
    const auto weights = comm.allgatherv(std::span<const double>(weight));

    model_params p;
    p.variant = local.variant;
    p.beta = local.beta;
    p.tau = local.tau;
    p.n_users = data.header.n_users;
    p.n_cascades = local.n_cascades;
    p.sigma = local.sigma;
    p.mu.assign(std::size_t(p.n_users) * C, 0.0);
    p.in_offsets.assign(std::size_t(p.n_users) + 1, 0);
    for (std::size_t i = 0; i < users.size(); ++i) p.in_offsets[std::size_t(users[i]) + 1] = degrees[i];
    std::partial_sum(p.in_offsets.begin(), p.in_offsets.end(), p.in_offsets.begin());
    p.in_source.resize(std::size_t(p.in_offsets.back()));
    p.weight.resize(p.in_source.size());
    std::size_t edge = 0;
    for (std::size_t i = 0; i < users.size(); ++i) {
        const auto u = std::size_t(users[i]);
        std::copy_n(mus.begin() + std::ptrdiff_t(i * C), C, p.mu.begin() + std::ptrdiff_t(u * C));
        for (std::int64_t j = 0; j < degrees[i]; ++j, ++edge) {
            p.in_source[std::size_t(p.in_offsets[u] + j)] = sources[edge];
            p.weight[std::size_t(p.in_offsets[u] + j)] = weights[edge];
        }
    }
    return p;
}

fit_result fit_model(const communicator& comm, const shard& data, likelihood_window window, const model_params& start,
                     const fit_options& options, const fit_callback& callback) {
    // Local work that may throw (a mismatch found on some ranks only, a bad window, memory) runs in
    // run_checked, so that every rank throws together instead of leaving the others in a collective.
    run_checked(comm, [&] { check_params_match(start, data, "starting parameters"); });
    model_params local = start;
    if (!learns_sigma(local.variant)) local.sigma = identity_sigma(local.n_cascades);
    std::optional<shard_kernels> kernels_storage;
    std::optional<user_step> users_storage;
    run_checked(comm, [&] {
        kernels_storage.emplace(data, local.tau, window);
        users_storage.emplace(*kernels_storage, options.feature_budget_bytes);
    });
    const shard_kernels& kernels = *kernels_storage;
    user_step& users = *users_storage;

    auto total_of = [&](const compensated_sum& s) { return sum_over_ranks_ordered(comm, std::span(&s, 1))[0]; };
    auto report = [&](fit_progress& progress, double local_seconds, std::chrono::steady_clock::time_point t0) {
        std::tie(progress.min_time_share, progress.max_time_share) = time_shares(comm, local_seconds);
        progress.seconds = seconds_since(t0);
        comm.broadcast(progress.seconds);
        if (!callback) return;
        if (options.gather_every_iteration) {
            const model_params all = gather_params(comm, data, local);
            callback(progress, &all);
        } else {
            callback(progress, nullptr);
        }
    };
    auto user_pass = [&](fit_progress& progress, double& local_seconds, model_params& at) {
        const auto t = std::chrono::steady_clock::now();
        user_step_summary s;
        run_checked(comm, [&] { s = users.run(at, options.user); });
        local_seconds += seconds_since(t);
        progress.loglik = total_of(s.loglik);
        progress.user_kkt = comm.max(s.max_kkt_residual);
        progress.users_not_converged = comm.sum<std::int64_t>(s.not_converged);
    };

    fit_result result;
    int iteration = options.start_iteration;
    double previous = options.previous_loglik.value_or(-std::numeric_limits<double>::infinity());
    if (iteration == 0) {
        const auto t0 = std::chrono::steady_clock::now();
        fit_progress progress;
        double local_seconds = 0;
        user_pass(progress, local_seconds, local);
        progress.gain = std::numeric_limits<double>::quiet_NaN();
        report(progress, local_seconds, t0);
        previous = progress.loglik;
    }
    while (iteration < options.max_iterations) {
        ++iteration;
        const auto t0 = std::chrono::steady_clock::now();
        fit_progress progress;
        progress.iteration = iteration;
        double local_seconds = 0;
        const std::vector<double> sigma_before = local.sigma;
        bool sigma_done = false;
        if (learns_sigma(local.variant) && uses_profile_step(options.sigma_step, local.n_cascades)) {
            const auto t = std::chrono::steady_clock::now();
            const profile_step_result p = profile_sigma_step(
                comm, kernels, users, local, {options.sigma.tolerance, options.user.tolerance});
            local_seconds += seconds_since(t);
            progress.profile_step = p.moved;
            progress.sigma_newton_iterations = p.moved ? 1 : 0;
            sigma_done = p.moved || p.kkt_residual <= options.sigma.tolerance;  // (the plain step would stop at once)
        }
        if (learns_sigma(local.variant) && !sigma_done) {
            // The drives x_e depend on M and W, which the last user step changed: collect them anew.
            const auto t = std::chrono::steady_clock::now();
            std::optional<sigma_term> term;
            run_checked(comm, [&] { term.emplace(kernels, local); });
            local_seconds += seconds_since(t);
            distributed_sigma_objective objective(comm, *term);
            const sigma_step_result s = sigma_step(comm, objective, local.sigma, options.sigma);
            progress.sigma_newton_iterations = s.newton_iterations;
        }
        user_pass(progress, local_seconds, local);
        progress.max_sigma_change = 0;
        for (std::size_t i = 0; i < local.sigma.size(); ++i)
            progress.max_sigma_change = std::max(progress.max_sigma_change, std::abs(local.sigma[i] - sigma_before[i]));
        // The same L on every rank (ordered sum), hence the same decision on every rank.
        progress.gain = std::isfinite(previous) ? (progress.loglik - previous) / std::max(std::abs(previous), 1e-300)
                                                : std::numeric_limits<double>::infinity();
        report(progress, local_seconds, t0);
        previous = progress.loglik;
        if (progress.gain < options.tolerance) {
            result.converged = true;
            break;
        }
    }
    const kkt_report kkt = check_kkt(comm, kernels, users, local);
    result.params = gather_params(comm, data, local);
    result.loglik = kkt.loglik;
    result.iterations = iteration;
    result.max_user_kkt = kkt.max_user_residual;
    result.sigma_kkt = kkt.sigma_residual;
    return result;
}

} // namespace mic
