#include "engine/likelihood/shard_likelihood.hpp"

#include <optional>

#include "engine/distributed/checked_section.hpp"
#include "engine/likelihood/recursive_pass.hpp"
#include "engine/model/mixing.hpp"

namespace mic {

local_loglik_parts local_loglik(const shard_kernels& kernels, const model_params& params) {
    const shard& data = kernels.data();
    const std::size_t C = std::size_t(params.n_cascades);
    const event_model model = make_event_model(params);
    recursive_pass pass(kernels, model);

    local_loglik_parts parts;
    loglik_result& r = parts.result;
    r.users = data.owned;
    r.per_user.resize(data.owned.size());
    r.per_user_events.resize(data.owned.size());
    r.per_cascade_events.assign(C, 0);
    parts.per_cascade.resize(C);
    std::vector<double> user_per_cascade(C);
    for (std::size_t i = 0; i < data.owned.size(); ++i) {
        const auto theta = user_theta(params, data.owned[i]);
        std::fill(user_per_cascade.begin(), user_per_cascade.end(), 0.0);
        r.per_user[i] = pass.evaluate(i, theta, {}, user_per_cascade);
        r.per_user_events[i] = pass.n_scored();
        if (pass.n_impossible() > 0) {
            r.impossible_events += pass.n_impossible();
            const auto& e = kernels.event(kernels.scored_events(i).first + pass.first_impossible());
            const impossible_event first{data.owned[i], e.cascade, e.time};
            if (!r.first_impossible || first.time < r.first_impossible->time) r.first_impossible = first;
        }
        parts.total.add(r.per_user[i]);
        for (std::size_t c = 0; c < C; ++c) parts.per_cascade[c].add(user_per_cascade[c]);
        const auto [first, last] = kernels.scored_events(i);
        for (auto j = first; j < last; ++j) ++r.per_cascade_events[std::size_t(data.events.cascade[std::size_t(j)])];
        r.n_events += last - first;
    }
    r.loglik = parts.total.value();
    r.per_cascade.resize(C);
    for (std::size_t c = 0; c < C; ++c) r.per_cascade[c] = parts.per_cascade[c].value();
    return parts;
}

loglik_result evaluate_loglik(const communicator& comm, const shard& data, const model_params& params,
                              likelihood_window window, std::string_view params_name) {
    // Local work only inside run_checked (no collective in it), so a rank that throws cannot leave
    // the others waiting: all ranks meet in run_checked's reduction, then in the sums below.
    std::optional<local_loglik_parts> parts;
    run_checked(comm, [&] {
        validate(params, params_name);
        check_params_match(params, data, params_name);
        const shard_kernels kernels(data, params.tau, window);
        parts = local_loglik(kernels, params);
    });
    loglik_result r = std::move(parts->result);
    const std::size_t C = r.per_cascade.size();
    std::vector<compensated_sum> totals{parts->total};
    totals.insert(totals.end(), parts->per_cascade.begin(), parts->per_cascade.end());
    const auto summed = sum_over_ranks(comm, totals);
    r.loglik = summed[0];
    std::copy(summed.begin() + 1, summed.end(), r.per_cascade.begin());
    std::vector<std::int64_t> counts(r.per_cascade_events);
    counts.push_back(r.n_events);
    counts.push_back(r.impossible_events);
    comm.sum(std::span(counts));
    std::copy_n(counts.begin(), C, r.per_cascade_events.begin());
    r.n_events = counts[C];
    r.impossible_events = counts[C + 1];
    // The earliest impossible event over all ranks (user id breaks ties: the same on every rank).
    std::vector<double> mine;
    if (r.first_impossible)
        mine = {r.first_impossible->time, double(r.first_impossible->user), double(r.first_impossible->cascade)};
    const auto all = comm.allgatherv(std::span<const double>(mine));
    r.first_impossible.reset();
    for (std::size_t i = 0; i + 2 < all.size(); i += 3) {
        const impossible_event e{std::int32_t(all[i + 1]), std::int32_t(all[i + 2]), all[i]};
        if (!r.first_impossible || e.time < r.first_impossible->time ||
            (e.time == r.first_impossible->time && e.user < r.first_impossible->user))
            r.first_impossible = e;
    }
    return r;
}

double local_loglik_gradient(const shard_kernels& kernels, const model_params& params, shard_gradient& gradient) {
    const shard& data = kernels.data();
    const std::size_t C = std::size_t(params.n_cascades);
    const event_model model = make_event_model(params);
    recursive_pass pass(kernels, model);
    gradient.mu.assign(data.owned.size() * C, 0.0);
    gradient.weight.assign(data.in_source.size(), 0.0);
    std::vector<double> user_gradient;
    compensated_sum total;
    for (std::size_t i = 0; i < data.owned.size(); ++i) {
        const auto theta = user_theta(params, data.owned[i]);
        user_gradient.resize(theta.size());
        total.add(pass.evaluate(i, theta, user_gradient));
        std::copy_n(user_gradient.begin(), C, gradient.mu.begin() + std::ptrdiff_t(i * C));
        std::copy(user_gradient.begin() + std::ptrdiff_t(C), user_gradient.end(),
                  gradient.weight.begin() + data.in_offsets[i]);
    }
    return total.value();
}

} // namespace mic
