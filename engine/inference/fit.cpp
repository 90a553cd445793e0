#include "engine/inference/fit.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "engine/distributed/checked_section.hpp"
#include "engine/inference/extrapolation.hpp"
#include "engine/inference/kkt.hpp"
#include "engine/inference/profile_step.hpp"
#include "engine/inference/user_step.hpp"
#include "engine/likelihood/distributed_sigma_objective.hpp"
#include "engine/likelihood/shard_likelihood.hpp"
#include "engine/likelihood/sigma_term.hpp"
#include "engine/simulation/spectral_radius.hpp"
#include "engine/support/text_format.hpp"

namespace mic {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// (min, max) over ranks of t_r / mean_r t_r. Collective (one all-gather).
// A relative gain this small is rounding (about 1e-8 nats on an objective of 1e5): after
// stall_iterations such iterations in a row, with some KKT residual still above its tolerance, the
// fit stops as stalled instead of spinning until --max-iter.
constexpr double stall_gain = 1e-13;
constexpr int stall_iterations = 3;

std::pair<double, double> time_shares(const communicator& comm, double local_seconds) {
    const auto all = comm.allgather(local_seconds);
    const double mean = std::accumulate(all.begin(), all.end(), 0.0) / double(all.size());
    if (!(mean > 0)) return {1.0, 1.0};
    const auto [lo, hi] = std::minmax_element(all.begin(), all.end());
    return {*lo / mean, *hi / mean};
}

} // namespace

std::pair<std::int32_t, std::int32_t> owned_rows(const shard& data) {
    if (data.owned.empty()) return {0, 0};
    const auto [lo, hi] = std::minmax_element(data.owned.begin(), data.owned.end());
    return {*lo, *hi + 1};
}

model_params initial_params(const shard_kernels& kernels, model_variant variant, double beta, double tau) {
    const shard& data = kernels.data();
    model_params p;
    p.variant = variant;
    p.beta = beta;
    p.tau = tau;
    p.n_users = data.header.n_users;
    p.n_cascades = data.header.n_cascades;
    const auto [first, last] = owned_rows(data);
    p.first_row = first;
    const std::size_t C = std::size_t(p.n_cascades), rows = std::size_t(last - first);
    p.mu.assign(rows * C, 0.0);
    p.sigma = identity_sigma(p.n_cascades);
    p.in_offsets.assign(rows + 1, 0);
    // Degrees of the owned users; 0 for the other users of the range (none for a partition's range).
    for (std::size_t i = 0; i < data.owned.size(); ++i)
        p.in_offsets[p.row(data.owned[i]) + 1] = data.in_offsets[i + 1] - data.in_offsets[i];
    std::partial_sum(p.in_offsets.begin(), p.in_offsets.end(), p.in_offsets.begin());
    p.in_source.resize(std::size_t(p.in_offsets.back()));
    p.weight.resize(p.in_source.size());
    const double T = kernels.window().length();
    auto scored = [&](std::int32_t local) {  // events of shard user `local` inside the window
        const auto times = data.events.times(local);
        return double(std::count_if(times.begin(), times.end(), [&](double t) { return kernels.window().scores(t); }));
    };
    for (std::size_t i = 0; i < data.owned.size(); ++i) {
        const std::int32_t u = data.owned[i];
        const auto [first_event, last_event] = kernels.scored_events(i);
        std::vector<double> counts(C, 0.0);
        for (auto j = first_event; j < last_event; ++j) counts[std::size_t(data.events.cascade[std::size_t(j)])] += 1;
        const auto mu = p.mu_of(u);
        for (std::size_t c = 0; c < C; ++c) mu[c] = (counts[c] + 1.0 / double(C)) / (2 * T);
        const auto neighbours = data.in_neighbours(i);
        const auto locals = kernels.neighbour_locals(i);
        double neighbour_events = 0;
        for (auto v : locals) neighbour_events += scored(v);
        const double w = (double(last_event - first_event) + 1) / (2 * tau * (neighbour_events + 1));
        std::copy(neighbours.begin(), neighbours.end(), p.in_source.begin() + p.in_offsets[p.row(u)]);
        const auto weights = p.weights_of(u);
        std::fill(weights.begin(), weights.end(), w);
    }
    return p;
}

model_params warm_start(const model_params& from, model_variant variant, double beta, double tau) {
    model_params p = from;
    p.variant = variant;
    p.beta = beta;
    p.tau = tau;
    if (!learns_sigma(variant) || !learns_sigma(from.variant)) p.sigma = identity_sigma(p.n_cascades);
    for (double& w : p.weight) w *= from.tau / tau;
    return p;
}

model_params gather_params_on_root(const communicator& comm, const shard& data, const model_params& local) {
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
    // Five gathers to the root only: the other ranks never hold more than their own rows.
    const auto users = comm.gatherv(std::span<const std::int32_t>(data.owned));
    const auto degrees = comm.gatherv(std::span<const std::int64_t>(degree));
    auto sources = comm.gatherv(std::span<const std::int32_t>(data.in_source));
    auto mus = comm.gatherv(std::span<const double>(mu));
    auto weights = comm.gatherv(std::span<const double>(weight));
    model_params p;
    // The root's assembly may fail (memory: it is the one rank that holds every row); every rank
    // learns it, so none is left waiting in the collective that follows.
    run_checked_on_root(comm, [&] {
        p = without_rows(local);
        p.in_offsets.assign(std::size_t(p.n_users) + 1, 0);
        for (std::size_t i = 0; i < users.size(); ++i) p.in_offsets[std::size_t(users[i]) + 1] = degrees[i];
        std::partial_sum(p.in_offsets.begin(), p.in_offsets.end(), p.in_offsets.begin());
        // Ranks that own ascending ranges covering every user (a range_partition) gather the rows in
        // user order already: taken as they are, so that the root holds the whole once.
        bool in_order = users.size() == std::size_t(p.n_users);
        for (std::size_t i = 0; in_order && i < users.size(); ++i) in_order = users[i] == std::int32_t(i);
        if (in_order) {
            p.mu = std::move(mus);
            p.in_source = std::move(sources);
            p.weight = std::move(weights);
            return;
        }
        p.mu.assign(std::size_t(p.n_users) * C, 0.0);
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
    });
    return p;
}

std::string_view name_of(fit_stop stop) {
    switch (stop) {
    case fit_stop::converged: return "converged";
    case fit_stop::max_iterations: return "max_iterations";
    case fit_stop::stalled: return "stalled";
    }
    return "?";
}

std::optional<fit_stop> fit_stop_named(std::string_view name) {
    for (const auto stop : {fit_stop::converged, fit_stop::max_iterations, fit_stop::stalled})
        if (name_of(stop) == name) return stop;
    return std::nullopt;
}

std::string fit_result::diagnosis(const fit_options& options) const {
    if (converged) return {};
    std::string what;
    const auto add = [&what](const std::string& part) { what += (what.empty() ? "" : "; ") + part; };
    if (!last_gain || !(*last_gain < options.tolerance))
        add("the last relative gain " + (last_gain ? shortest(*last_gain) : std::string("(none)")) + " is not below --tol " +
            shortest(options.tolerance));
    if (users_not_converged > 0)
        add(std::to_string(users_not_converged) + " users' KKT residual above --user-tol " + shortest(options.user.tolerance) +
            " (largest " + shortest(max_user_kkt) + ")");
    if (sigma_kkt > options.sigma.tolerance)
        add("Sigma's KKT residual " + shortest(sigma_kkt) + " above --sigma-tol " + shortest(options.sigma.tolerance));
    const bool boltzmann = mixing_of(params.variant) == mixing_kind::boltzmann;
    std::string advice = stop == fit_stop::max_iterations
                             ? "raise --max-iter, or continue with --init from this output"
                             : std::string("no step could improve the objective in floating point; loosen the tolerance it "
                                           "names, ") +
                                   (boltzmann ? "or fit along a beta path (--beta-path) and compare"
                                              : "or check that tau is not far below the resolution of the event times "
                                                "(many events at equal times)");
    return "not converged after " + std::to_string(iterations) + " iterations (" + std::string(name_of(stop)) + "): " + what +
           "; " + advice;
}

fit_result fit_model(const communicator& comm, const shard& data, likelihood_window window, model_params start,
                     const fit_options& options, const fit_callback& callback, const fit_progress_hook& on_users) {
    // Local work that may throw (a mismatch found on some ranks only, a bad window, memory) runs in
    // run_checked, so that every rank throws together instead of leaving the others in a collective.
    run_checked(comm, [&] { check_params_match(start, data, "starting parameters"); });
    // The working set holds the owned users' rows only (model_params.hpp): L_u reads nothing else.
    const auto [first_row, last_row] = owned_rows(data);
    model_params local = start.first_row == first_row && start.rows() == last_row - first_row
                             ? std::move(start)
                             : rows_of(start, first_row, last_row);
    start = {};
    if (!learns_sigma(local.variant)) local.sigma = identity_sigma(local.n_cascades);
    std::optional<shard_kernels> kernels_storage;
    std::optional<user_step> users_storage;
    run_checked(comm, [&] {
        kernels_storage.emplace(data, local.tau, window);
        users_storage.emplace(*kernels_storage, options.feature_budget_bytes, options.prior);
    });
    const shard_kernels& kernels = *kernels_storage;
    user_step& users = *users_storage;
    // Collective (every rank has built its user step above).
    const stored_features features{comm.sum<std::int64_t>(std::int64_t(users.cached_users())),
                                   comm.sum<std::int64_t>(std::int64_t(users.owned().size())),
                                   comm.max(double(users.cached_bytes())),
                                   comm.sum<std::int64_t>(std::int64_t(users.streamed_users())),
                                   comm.max(double(users.largest_user_bytes()))};

    const collective_counts at_start = comm.counts();
    collective_counts before = at_start;
    auto report = [&](fit_progress& progress, double local_seconds, std::chrono::steady_clock::time_point t0) {
        const collective_counts now = comm.counts();
        progress.collectives = {now.calls - before.calls, now.bytes - before.bytes};
        before = now;
        std::tie(progress.min_time_share, progress.max_time_share) = time_shares(comm, local_seconds);
        progress.seconds = seconds_since(t0);
        comm.broadcast(progress.seconds);
        if (!callback) return;
        if (options.gather_every_iteration) {
            const model_params all = gather_params_on_root(comm, data, local);
            callback(progress, comm.is_root() ? &all : &local);
        } else {
            callback(progress, nullptr);
        }
    };
    auto user_pass = [&](fit_progress& progress, double& local_seconds, model_params& at) {
        const auto t = std::chrono::steady_clock::now();
        user_step_summary s;
        run_checked(comm, [&] { s = users.run(at, options.user, on_users); });
        local_seconds += seconds_since(t);
        const compensated_sum parts[2] = {s.loglik, s.log_prior};
        const auto totals = sum_over_ranks(comm, std::span<const compensated_sum>(parts));
        progress.loglik = totals[0];
        progress.objective = totals[0] + totals[1];
        progress.user_kkt = comm.max(s.max_kkt_residual);
        std::int64_t counts[2] = {s.not_converged, s.beta_continued};  // one reduction for both
        comm.sum(std::span<std::int64_t>(counts));
        progress.users_not_converged = counts[0];
        progress.users_beta_continued = counts[1];
    };
    // The plain Σ-step from `local` (M, W fixed). The drives x_e depend on M and W, which the last
    // step changed: they are collected anew. Returns whether Σ moved.
    auto plain_sigma_step = [&](fit_progress& progress) {
        std::optional<sigma_term> term;
        run_checked(comm, [&] { term.emplace(kernels, local); });
        distributed_sigma_objective objective(comm, *term);
        const sigma_step_result s = sigma_step(comm, objective, local.sigma, options.sigma);
        progress.sigma_newton_iterations += s.newton_iterations;
        return s.max_change > 0;
    };

    // After an iteration x → G(x) = local: y(α) = x + α (G(x) − x) for α = 2, 3, 4, … while each beats
    // the point kept before it (G(x) first); the last that did is kept (extrapolation.hpp). Each trial
    // is one evaluation of every owned L_u (user_step::check), built and evaluated inside run_checked,
    // then one exact sum over ranks: every rank tries the same factors and decides on the same
    // value. When a point is kept, the user residuals reported are measured at it.
    auto over_relax = [&](fit_progress& progress, const model_params& x) {
        double kept_max_residual = 0;
        std::int64_t kept_above = 0;
        bool kept = false;
        for (const double alpha : extrapolation_factors(options.max_extrapolation)) {
            model_params y;
            std::vector<double> values(users.owned().size()), residuals(users.owned().size());
            compensated_sum parts[2];
            run_checked(comm, [&] {
                y = extrapolated(x, local, alpha);
                users.check(y, values, residuals);
                for (const double v : values) parts[0].add(v);
                parts[1] = users.log_prior(y);
            });
            const auto totals = sum_over_ranks(comm, std::span<const compensated_sum>(parts));
            if (!(totals[0] + totals[1] > progress.objective)) break;
            local = std::move(y);
            progress.objective = totals[0] + totals[1];
            progress.loglik = totals[0];
            progress.extrapolation = alpha;
            kept = true;
            kept_max_residual = residuals.empty() ? 0.0 : *std::max_element(residuals.begin(), residuals.end());
            kept_above = std::count_if(residuals.begin(), residuals.end(), [&](double r) { return !(r <= options.user.tolerance); });
        }
        if (!kept) return;  // the same on every rank
        progress.user_kkt = comm.max(kept_max_residual);
        progress.users_not_converged = comm.sum<std::int64_t>(kept_above);
    };

    fit_result result;
    int iteration = options.start_iteration;
    std::optional<double> previous = options.previous_objective;
    result.last_gain = options.previous_gain;
    if (!previous) {  // a fresh fit: iteration 0 is the user step from the start (a resumed one has it)
        const auto t0 = std::chrono::steady_clock::now();
        fit_progress progress;
        progress.iteration = iteration;
        progress.beta = local.beta;
        progress.features = features;
        double local_seconds = 0;
        user_pass(progress, local_seconds, local);
        report(progress, local_seconds, t0);
        previous = progress.objective;
    }
    // The same value on every rank (exact sums over ranks): every rank throws, or none.
    if (!std::isfinite(previous.value_or(0))) {
        double largest_mu = 0, largest_weight = 0;
        for (const double m : local.mu) largest_mu = std::max(largest_mu, m);
        for (const double w : local.weight) largest_weight = std::max(largest_weight, w);
        throw non_finite_start("the training log-likelihood at the start is " + shortest(*previous) +
                               " (largest baseline " + shortest(comm.max(largest_mu)) + ", largest weight " +
                               shortest(comm.max(largest_weight)) + ", tau " + shortest(local.tau) +
                               "): its parameters overflow or make an event impossible, and no step leaves such a point; "
                               "start from parameters of this dataset's scale");
    }
    result.stop = fit_stop::max_iterations;
    int flat_iterations = 0;  // consecutive iterations without a measurable gain
    while (iteration < options.max_iterations) {
        ++iteration;
        const auto t0 = std::chrono::steady_clock::now();
        fit_progress progress;
        progress.iteration = iteration;
        progress.beta = local.beta;
        progress.features = features;
        double local_seconds = 0;
        const std::vector<double> sigma_before = local.sigma;
        // Not on the last iteration allowed: a fit that ends there returns G(x), whose users are at
        // their optimum, rather than an extrapolated point whose users are not.
        const bool relax = learns_sigma(local.variant) && options.max_extrapolation >= 2 && iteration < options.max_iterations;
        std::optional<model_params> x;  // the iteration's start, for the over-relaxation
        if (relax) run_checked(comm, [&] { x = local; });
        if (learns_sigma(local.variant)) {
            const auto t = std::chrono::steady_clock::now();
            bool sigma_is_kkt = false;
            if (uses_profile_step(options.sigma_step, local.n_cascades)) {
                const profile_step_result p = profile_sigma_step(
                    comm, kernels, users, local, {options.sigma.tolerance, options.user.tolerance});
                progress.profile_step = p.moved;
                progress.sigma_newton_iterations = p.moved ? 1 : 0;
                sigma_is_kkt = !p.moved && p.kkt_residual <= options.sigma.tolerance;  // the same on every rank
            }
            if (!sigma_is_kkt) progress.plain_step = plain_sigma_step(progress);
            local_seconds += seconds_since(t);
        }
        user_pass(progress, local_seconds, local);
        // A small gain is not enough to stop: the KKT conditions themselves decide, on G(x) (users from
        // the user step just taken, Σ measured at the point reached) and before any over-relaxation,
        // whose point is not a user step's.
        bool converged = false;
        if ((progress.objective - *previous) / std::max(std::abs(*previous), 1e-300) < options.tolerance)
            converged = progress.users_not_converged == 0 &&
                        sigma_kkt_residual(comm, kernels, local) <= options.sigma.tolerance;  // the same on every rank
        // Over-relaxed whenever the fit goes on, also when this iteration gained little: a crawl along
        // a ridge (gains of 1e-7 per iteration that add up) is where it helps most.
        if (relax && !converged) {
            const auto t = std::chrono::steady_clock::now();
            over_relax(progress, *x);
            local_seconds += seconds_since(t);
        }
        x.reset();
        progress.max_sigma_change = 0;
        for (std::size_t i = 0; i < local.sigma.size(); ++i)
            progress.max_sigma_change = std::max(progress.max_sigma_change, std::abs(local.sigma[i] - sigma_before[i]));
        // The same objective on every rank (exact sums over ranks), hence the same decisions on every rank.
        const double gain = (progress.objective - *previous) / std::max(std::abs(*previous), 1e-300);
        progress.gain = gain;
        result.last_gain = gain;
        report(progress, local_seconds, t0);
        previous = progress.objective;
        if (converged) {
            result.stop = fit_stop::converged;
            break;
        }
        if (gain < options.tolerance) {
            // No measurable gain for a few iterations in a row (or nothing moved at all): the steps
            // cannot make progress from here in floating point.
            flat_iterations = std::abs(gain) <= stall_gain ? flat_iterations + 1 : 0;
            if ((gain <= 0 && progress.max_sigma_change == 0) || flat_iterations >= stall_iterations) {
                result.stop = fit_stop::stalled;
                break;
            }
        } else {
            flat_iterations = 0;
        }
    }
    const kkt_report kkt = check_kkt(comm, kernels, users, local, options.user.tolerance);
    // Every row on the root (which writes them); the other ranks keep their own rows.
    if (comm.size() > 1) {
        model_params all = gather_params_on_root(comm, data, local);
        if (comm.is_root()) local = std::move(all);
    }
    result.params = std::move(local);
    result.loglik = kkt.loglik;
    result.log_prior = kkt.log_prior;
    result.iterations = iteration;
    result.max_user_kkt = kkt.max_user_residual;
    result.users_not_converged = kkt.users_above;
    result.sigma_kkt = kkt.sigma_residual;
    // The final check is the proof: a fit only converged if its returned point passes it.
    if (result.stop == fit_stop::converged &&
        (kkt.users_above > 0 || !(kkt.sigma_residual <= options.sigma.tolerance)))
        result.stop = fit_stop::stalled;
    result.converged = result.stop == fit_stop::converged;
    // ρ(W) needs every edge: computed on the root, then broadcast (the same number on every rank).
    run_checked_on_root(comm, [&] { result.rho_tau = influence_spectral_radius(result.params).value * result.params.tau; });
    comm.broadcast(result.rho_tau);
    const collective_counts at_end = comm.counts();
    result.collectives = {at_end.calls - at_start.calls, at_end.bytes - at_start.bytes};
    result.features = features;
    return result;
}

} // namespace mic
