#include "launch/commands/simulation_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "engine/simulation/expected_activity.hpp"
#include "engine/simulation/expected_events.hpp"
#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"

namespace mic::cli {
namespace {


// An expected count: whole below 1e12, else 3 significant digits.
std::string count_text(double x) {
    char text[64];
    std::snprintf(text, sizeof text, x < 1e12 ? "%.0f" : "%.3g", x);
    return text;
}

// x with `digits` decimals; beyond 1e9 (a supercritical ρ(W)·τ, a diverging mean) in scientific
// notation, whose digits the fixed form would cut off.
std::string fixed(double x, int digits) {
    char text[64];
    if (std::abs(x) >= 1e9) std::snprintf(text, sizeof text, "%.*e", std::max(digits, 3), x);
    else std::snprintf(text, sizeof text, "%.*f", digits, x);
    return text;
}

} // namespace

std::vector<std::int64_t> cascade_counts(const event_log& log, std::int32_t n_cascades) {
    std::vector<std::int64_t> n(std::size_t(n_cascades), 0);
    for (std::int32_t c: log.cascade) ++n[std::size_t(c)];
    return n;
}

run_report summarise_run(const model_params& params, const spectral_radius_estimate& radius,
                         std::span<const std::int64_t> counts, std::int64_t truncated, double horizon) {
    run_report r;
    r.n_users = params.n_users;
    r.n_cascades = params.n_cascades;
    r.horizon = horizon;
    r.spectral_radius = radius.value;
    r.stability = radius.value * params.tau;
    r.truncated = truncated;
    const std::size_t C = std::size_t(params.n_cascades), R = counts.size() / C;
    // Mean and standard error (sample sd / √R) of the per-replica counts, per cascade and in total.
    auto moments = [R](auto value, double& mean, double& se) {
        mean = 0.0;
        for (std::size_t k = 0; k < R; ++k) mean += value(k);
        mean /= double(R);
        double ss = 0.0;
        for (std::size_t k = 0; k < R; ++k) ss += (value(k) - mean) * (value(k) - mean);
        se = R > 1 ? std::sqrt(ss / double(R - 1) / double(R)) : 0.0;
    };
    r.mean_per_cascade.resize(C);
    r.standard_error_per_cascade.resize(C);
    for (std::size_t c = 0; c < C; ++c)
        moments([&](std::size_t k) { return double(counts[k * C + c]); }, r.mean_per_cascade[c],
                r.standard_error_per_cascade[c]);
    for (std::size_t k = 0; k < R; ++k) {
        std::int64_t total = 0;
        for (std::size_t c = 0; c < C; ++c) total += counts[k * C + c];
        r.n_events.push_back(total);
    }
    moments([&](std::size_t k) { return double(r.n_events[k]); }, r.mean_events, r.standard_error);
    const double t[] = {horizon};
    r.closed_forms_affordable = expectation_work(params, t) <= max_expectation_work;
    if (r.stability < stability_limit && r.closed_forms_affordable) {
        const auto e = expect_activity(params, t, &radius);
        r.expected_events = e.total_count[0];
        r.expected_per_cascade = e.count;
        r.per_cascade_exact = e.per_cascade_exact;
    }
    return r;
}

nlohmann::json to_json(const run_report& r) {
    std::int64_t total = 0;
    for (auto n: r.n_events) total += n;
    nlohmann::json j{{"n_users", r.n_users},
                     {"n_cascades", r.n_cascades},
                     {"horizon", r.horizon},
                     {"replicas", r.n_events.size()},
                     {"n_events", total},
                     {"n_events_per_replica", r.n_events},
                     {"mean_n_events", r.mean_events},
                     {"standard_error_n_events", r.standard_error},
                     {"events_per_cascade", r.mean_per_cascade},
                     {"standard_error_per_cascade", r.standard_error_per_cascade},
                     {"truncated_replicas", r.truncated},
                     {"spectral_radius", r.spectral_radius},
                     {"stability", r.stability},
                     {"stable", r.stability < stability_limit}};
    j["expected_n_events"] = r.expected_events ? nlohmann::json(*r.expected_events) : nlohmann::json(nullptr);
    j["expected_events_per_cascade"] = r.expected_per_cascade;
    j["expected_per_cascade_method"] = r.per_cascade_exact ? "exact (linear mixing)" : "Eq. 30 (stationary approximation)";
    return j;
}

std::string to_text(const run_report& r) {
    std::ostringstream t;
    const bool many = r.n_events.size() > 1;
    t << with_thousands(r.n_users) << " users, " << r.n_cascades << " cascades, horizon " << shortest(r.horizon)
      << ", rho(W)*tau = " << fixed(r.stability, 4) << (many ? ", " + std::to_string(r.n_events.size()) + " replicas" : "")
      << "\n";
    if (r.truncated > 0)
        t << r.truncated << " replica(s) stopped by --max-events (their files end at their last event, t_end)\n";
    t << "cascade        events" << (many ? " (mean ± s.e.)" : "") << "      E[n(T)]\n";
    for (std::size_t c = 0; c < std::size_t(r.n_cascades); ++c) {
        char line[160];
        std::snprintf(line, sizeof line, "  %-6zu %14s%s %14s\n", c, fixed(r.mean_per_cascade[c], many ? 1 : 0).c_str(),
                      many ? (" ± " + fixed(r.standard_error_per_cascade[c], 1)).c_str() : "",
                      r.expected_events ? fixed(r.expected_per_cascade[c], 1).c_str() : "-");
        t << line;
    }
    char line[160];
    std::snprintf(line, sizeof line, "  %-6s %14s%s %14s\n", "total", fixed(r.mean_events, many ? 1 : 0).c_str(),
                  many ? (" ± " + fixed(r.standard_error, 1)).c_str() : "",
                  r.expected_events ? fixed(*r.expected_events, 1).c_str() : "-");
    t << line;
    if (r.expected_events)
        t << "E[n(T)]: Eq. 29 (total, exact); per cascade "
          << (r.per_cascade_exact ? "exact (linear mixing)" : "Eq. 30 (stationary approximation)") << "\n";
    else if (!r.closed_forms_affordable)
        t << "E[n(T)]: not computed (over a horizon this long the closed forms exceed their work limit)\n";
    return t.str();
}

std::string unstable_figure(double stability) {
    if (stability >= 1) return "rho(W)*tau = " + fixed(stability, 4) + " >= 1 (supercritical)";
    char text[48];
    std::snprintf(text, sizeof text, "%.12g", stability);
    return std::string("rho(W)*tau = ") + text + " (within 1e-9 of 1: critical, treated as supercritical)";
}

std::int64_t bounded_max_events(const model_params& params, double stability, double horizon, std::int64_t max_events,
                                const std::string& where, std::string& warning) {
    const bool stable = stability < stability_limit;
    if (max_events > 0) {  // the user bounded the run; a supercritical model is still worth a word
        if (!stable)
            warning = unstable_figure(stability) + ": activity grows without bound; each run stops after --max-events " +
                      std::to_string(max_events) + " events";
        return max_events;
    }
    const expected_event_count expected = expected_events(params, horizon);
    const std::string figure = stable ? "rho(W)*tau = " + fixed(stability, 4) : unstable_figure(stability);
    if (!(expected.events <= max_expected_events))
        throw input_error(where + ": " + figure + ": over the horizon " + shortest(horizon) + " the expected number of events is " +
                          (std::isfinite(expected.events) ? (expected.upper_bound ? "up to about " : "about ") + count_text(expected.events)
                                                          : std::string("beyond any finite bound")) +
                          ", more than the " + count_text(max_expected_events) + " a run may hold; shorten --horizon" +
                          (stable ? "" : ", lower the influence weights or tau,") + " or bound the run with --max-events N");
    if (stable) return 0;  // the expected count is affordable: no bound needed
    const auto bound = std::int64_t(4 * expected.events) + 1000;
    warning = figure + ": the expected number of events over (0, " + shortest(horizon) + "] is " +
              (expected.upper_bound ? "at most " : "") + count_text(expected.events) + "; each run stops after " +
              std::to_string(bound) + " events (--max-events to change)";
    return bound;
}

} // namespace mic::cli
