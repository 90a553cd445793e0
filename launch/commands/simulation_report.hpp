#pragma once
// What `mic generate` and `mic simulate` report about their event logs: events per cascade (mean
// and standard error over replicas) beside the closed-form expectation E[n(T)] (Eq. 29; per cascade
// exact for linear mixing, Eq. 30 for Boltzmann), and the stability figure rho(W)*tau.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/model/model_params.hpp"
#include "engine/simulation/simulation.hpp"
#include "engine/simulation/spectral_radius.hpp"

namespace mic::cli {

struct run_report {
    std::int32_t n_users = 0, n_cascades = 0;
    double horizon = 0.0;
    double spectral_radius = 0.0, stability = 0.0;  // ρ(W), ρ(W)·τ
    std::vector<std::int64_t> n_events;             // per replica
    std::vector<double> mean_per_cascade, standard_error_per_cascade;
    double mean_events = 0.0, standard_error = 0.0;
    std::int64_t truncated = 0;                     // replicas stopped by --max-events
    std::optional<double> expected_events;          // Σ_u E[n_u(T)] when stable
    std::vector<double> expected_per_cascade;
    bool per_cascade_exact = false;
    bool closed_forms_affordable = true;            // false: the horizon is too long for expect_activity
};

// Events per cascade of one log.
std::vector<std::int64_t> cascade_counts(const event_log& log, std::int32_t n_cascades);

// From per-replica counts (replicas × C, row-major).
run_report summarise_run(const model_params& params, const spectral_radius_estimate& radius,
                         std::span<const std::int64_t> counts, std::int64_t truncated, double horizon);

nlohmann::json to_json(const run_report& report);
std::string to_text(const run_report& report);

// The --max-events of a run over (0, horizon]: `max_events` when given (> 0: the user bounded the
// run). Otherwise the expected count E[n(T)] (engine/simulation/expected_events.hpp, finite over a
// finite horizon for any rho(W)*tau, and cheap for any horizon) decides: refused (input_error
// "<where>: …") when it exceeds max_expected_events, since no run could hold it; stable parameters
// then run unbounded (0), supercritical ones (rho(W)*tau >= 1) are bounded by 4 E[n(T)] + 1000
// events, with `warning` set to say so.
inline constexpr double max_expected_events = 1e8;  // ~1e8 events: several GB per run
// ρ(W)·τ at or above this is supercritical for the runs' bounds (as engine/simulation/expected_activity.cpp).
inline constexpr double stability_limit = 1.0 - 1e-9;
// "rho(W)*tau = 1.0500 >= 1 (supercritical)", or for a value within 1e-9 of 1 from below (which four
// decimals would show as 1.0000) the value in full and why it counts as supercritical.
std::string unstable_figure(double stability);
std::int64_t bounded_max_events(const model_params& params, double stability, double horizon, std::int64_t max_events,
                                const std::string& where, std::string& warning);

} // namespace mic::cli
