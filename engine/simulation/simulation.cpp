#include "engine/simulation/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"

namespace mic {

std::string_view name_of(simulation_method method) {
    return method == simulation_method::exact ? "exact" : "ogata";
}

std::optional<simulation_method> parse_simulation_method(std::string_view name) {
    if (name == "exact") return simulation_method::exact;
    if (name == "ogata") return simulation_method::ogata;
    return std::nullopt;
}

simulator::simulator(const model_params& params)
    : params_(&params), model_(make_event_model(params)), out_(make_out_neighbours(params)),
      background_(std::size_t(params.n_users)) {
    std::vector<double> mu(std::size_t(params.n_users), 0.0);
    for (std::int32_t u = 0; u < params.n_users; ++u)
        for (double m: params.mu_of(u)) mu[std::size_t(u)] += m;
    background_.assign(mu);
}

event_log simulator::run(const simulation_options& options, random_stream& rng) const {
    if (!(options.horizon >= options.start) || !std::isfinite(options.start) || options.max_events < 0 ||
        !(options.rescale_after > 0.0) || options.rescale_after > 500.0)
        throw std::invalid_argument("simulator::run: need horizon >= start, max_events >= 0, rescale_after in (0, 500]");
    const std::size_t cells = std::size_t(params_->n_users) * std::size_t(params_->n_cascades);
    if (!options.initial_drive.empty() && (options.initial_drive.size() != cells || options.method != simulation_method::exact))
        throw std::invalid_argument("simulator::run: an initial drive needs U×C values and the exact method");
    if (options.start != 0.0 && options.method != simulation_method::exact)
        throw std::invalid_argument("simulator::run: a start time other than 0 needs the exact method");
    // τ against the spacing of doubles at the run's times (time_stall.hpp): 64 spacings at the least, so
    // that events a small fraction of τ apart stay distinct (as mic fit refuses τ below the data's
    // resolution). An unbounded run is checked at its horizon before it starts; a run bounded by
    // max_events holds bounded memory and may end long before the horizon, so it is checked at the
    // last time it reached (a log whose events sit on a few instants is refused, not returned).
    const auto refuse_below_resolution = [&](double t) {
        const double spacing = std::abs(t) * std::numeric_limits<double>::epsilon();
        if (params_->tau >= 64 * spacing) return;
        const auto three = [](double x) {
            char text[32];
            std::snprintf(text, sizeof text, "%.3g", x);
            return std::string(text);
        };
        throw input_error("tau " + shortest(params_->tau) + " is below the resolution of the simulated times: near t = " +
                          three(t) + " representable times are " + three(spacing) + " apart, and events a fraction of tau "
                          "apart could not be told apart; give tau and the horizon in one time unit (tau at least " +
                          three(64 * spacing) + " here), or a shorter horizon");
    };
    if (options.max_events == 0) refuse_below_resolution(std::max(std::abs(options.start), std::abs(options.horizon)));
    event_log log = options.method == simulation_method::exact ? run_exact(options, rng) : run_ogata(options, rng);
    if (!log.time.empty()) refuse_below_resolution(log.time.back());
    return log;
}

event_log simulator::run_replica(const simulation_options& options, std::uint64_t seed, std::uint64_t replica) const {
    random_stream rng(seed, replica);
    return run(options, rng);
}

dataset to_dataset(const model_params& params, const event_log& log, double horizon, std::string time_unit) {
    dataset d;
    d.header.n_users = params.n_users;
    d.header.n_cascades = params.n_cascades;
    d.header.t_start = 0.0;
    d.header.t_end = log.truncated && !log.time.empty() ? log.time.back() : horizon;
    d.header.time_unit = std::move(time_unit);
    d.graph.in_offsets = params.in_offsets;
    d.graph.in_source = params.in_source;
    // Counting sort by user; stable, so each user's events stay in time order.
    auto& offsets = d.events.user_offsets;
    offsets.assign(std::size_t(params.n_users) + 1, 0);
    for (std::int32_t u: log.user) ++offsets[std::size_t(u) + 1];
    for (std::size_t u = 0; u < std::size_t(params.n_users); ++u) offsets[u + 1] += offsets[u];
    std::vector<std::int64_t> next(offsets.begin(), offsets.end() - 1);
    d.events.cascade.resize(log.user.size());
    d.events.time.resize(log.user.size());
    for (std::size_t i = 0; i < log.user.size(); ++i) {
        const auto slot = std::size_t(next[std::size_t(log.user[i])]++);
        d.events.cascade[slot] = log.cascade[i];
        d.events.time[slot] = log.time[i];
    }
    return d;
}

} // namespace mic
