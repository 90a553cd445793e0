#include "engine/jobs/evaluate_job.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "engine/distributed/checked_section.hpp"
#include "engine/evaluation/curve_metrics.hpp"
#include "engine/evaluation/history_drive.hpp"
#include "engine/likelihood/shard_likelihood.hpp"
#include "engine/simulation/simulation.hpp"

namespace mic {
namespace {

// Sums and sums of squares of one quantity over replicas.
struct accumulator {
    std::vector<double> sum, squares;
    explicit accumulator(std::size_t n): sum(n, 0.0), squares(n, 0.0) {}
    void add(std::span<const double> x) {
        for (std::size_t i = 0; i < x.size(); ++i) sum[i] += x[i], squares[i] += x[i] * x[i];
    }
    void reduce(const communicator& comm) {
        comm.sum(std::span(sum));
        comm.sum(std::span(squares));
    }
};

// Events per (cascade, bin), per cascade and per user of an event list.
struct window_counts {
    std::vector<double> bins, cascades, users;
    window_counts(std::size_t C, std::size_t B, std::size_t U): bins(C * B, 0.0), cascades(C, 0.0), users(U, 0.0) {}
    void add(std::int32_t user, std::int32_t cascade, double t, const likelihood_window& w, std::size_t B) {
        const double x = (t - w.from) / (w.to - w.from) * double(B);
        const auto b = std::min(B - 1, std::size_t(std::max(0.0, x)));
        bins[std::size_t(cascade) * B + b] += 1;
        cascades[std::size_t(cascade)] += 1;
        users[std::size_t(user)] += 1;
    }
};

// The held-out part: L, its splits, and the activity groups.
void score_held_out(const communicator& comm, const evaluate_plan& plan, const shard& data, const model_params& params,
                    evaluation_report& r) {
    const loglik_result l = evaluate_loglik(comm, data, params, plan.test, plan.params_name);
    r.test = plan.test;
    r.n_events = l.n_events;
    r.impossible_events = l.impossible_events;
    r.loglik = l.loglik;
    r.cascade_loglik = l.per_cascade;
    r.cascade_events = l.per_cascade_events;
    // Owned users are the partition's contiguous range: a gather in rank order is user order.
    r.user_loglik = comm.allgatherv(std::span<const double>(l.per_user));
    r.user_events = comm.allgatherv(std::span<const std::int64_t>(l.per_user_events));
    r.ranked_by_test = plan.activity.empty();
    r.user_activity = plan.activity;
    if (r.ranked_by_test) r.user_activity.assign(r.user_events.begin(), r.user_events.end());
    r.groups = top_activity_groups(r.user_activity, r.user_loglik, r.user_events, plan.fractions);
}

} // namespace

evaluation_report run_evaluate_job(const communicator& comm, const evaluate_plan& plan, const shard& data,
                                   const model_params& params) {
    evaluation_report r;
    score_held_out(comm, plan, data, params, r);
    if (plan.replicas <= 0) return r;

    const auto C = std::size_t(params.n_cascades), U = std::size_t(params.n_users), B = std::size_t(plan.bins);
    const likelihood_window& w = plan.test;
    r.replicas = plan.replicas;
    r.bins = plan.bins;
    for (std::size_t b = 0; b <= B; ++b) r.bin_edges.push_back(w.from + (w.to - w.from) * double(b) / double(B));

    // The real events of the window, from the owned users (summed over ranks: counts are exact).
    window_counts real(C, B, U);
    std::vector<double> drive;
    run_checked(comm, [&] {
        for (const std::int32_t u : data.owned) {
            const std::int32_t local = data.events.local_index(u);
            const auto times = data.events.times(local);
            const auto cascades = data.events.cascades(local);
            for (std::size_t e = 0; e < times.size(); ++e)
                if (w.scores(times[e])) real.add(u, cascades[e], times[e], w, B);
        }
        drive = local_history_drive(data, params, w.from);
    });
    for (auto* v : {&real.bins, &real.cascades, &real.users}) comm.sum(std::span(*v));
    drive = comm.allgatherv(std::span<const double>(drive));  // user order (contiguous owned ranges)

    // Replica k on rank k mod size; every quantity summed over replicas, then over ranks.
    accumulator bins(C * B), cascades(C), cascades_ranked(C), users_ranked(U);
    std::int64_t truncated = 0;
    run_checked(comm, [&] {
        const simulator sim(params);
        simulation_options so;
        so.start = w.from;
        so.horizon = w.to;
        so.max_events = plan.max_events;
        so.initial_drive = drive;
        for (std::int64_t k = comm.rank(); k < plan.replicas; k += comm.size()) {
            const event_log log = sim.run_replica(so, plan.seed, std::uint64_t(k));
            window_counts c(C, B, U);
            for (std::size_t i = 0; i < log.time.size(); ++i) c.add(log.user[i], log.cascade[i], log.time[i], w, B);
            bins.add(c.bins);
            cascades.add(c.cascades);
            cascades_ranked.add(ranked(c.cascades));
            users_ranked.add(ranked(c.users));
            truncated += log.truncated ? 1 : 0;
        }
    });
    for (auto* a : {&bins, &cascades, &cascades_ranked, &users_ranked}) a->reduce(comm);
    r.truncated_replicas = comm.sum(truncated);

    // Curves in events per time unit; metrics per cascade and for the total over cascades.
    const double width = (w.to - w.from) / double(B);
    const auto per_time = [width](std::vector<double> v) {
        for (double& x : v) x /= width;
        return v;
    };
    const moments m = moments_of(bins.sum, bins.squares, plan.replicas);
    r.real_intensity = per_time(real.bins);
    r.simulated_intensity = per_time(m.mean);
    r.simulated_intensity_sd = per_time(m.sd);
    std::vector<double> real_total(B, 0.0), simulated_total(B, 0.0);
    for (std::size_t c = 0; c < C; ++c) {
        const std::span<const double> rc(r.real_intensity.data() + c * B, B), sc(r.simulated_intensity.data() + c * B, B);
        r.inverse_l1.push_back(inverse_l1_distance(rc, sc));
        r.pearson.push_back(pearson_correlation(rc, sc));
        for (std::size_t b = 0; b < B; ++b) real_total[b] += rc[b], simulated_total[b] += sc[b];
    }
    r.inverse_l1.push_back(inverse_l1_distance(real_total, simulated_total));
    r.pearson.push_back(pearson_correlation(real_total, simulated_total));
    const moments by_id = moments_of(cascades.sum, cascades.squares, plan.replicas);
    r.simulated_cascade_events = by_id.mean;
    r.simulated_cascade_events_sd = by_id.sd;
    const moments mc = moments_of(cascades_ranked.sum, cascades_ranked.squares, plan.replicas);
    const moments mu = moments_of(users_ranked.sum, users_ranked.squares, plan.replicas);
    r.real_cascade_ranked = ranked(real.cascades);
    r.simulated_cascade_ranked = mc.mean;
    r.simulated_cascade_ranked_sd = mc.sd;
    r.real_user_ranked = ranked(real.users);
    r.simulated_user_ranked = mu.mean;
    r.simulated_user_ranked_sd = mu.sd;
    return r;
}

} // namespace mic
