#pragma once
// Simulation of the MIC model (SPEC §2, "Simulation"): event logs {(u_i, c_i, t_i)} on (0, T],
// starting from an empty history at t = 0 (so E[λ(0)] = μ, as in Eq. 28).
//
// Two methods give the same distribution:
// - exact (default, exact_simulation.cpp): the user-level process is a multivariate Hawkes process
//   whose excitations all decay at rate 1/τ, so the total intensity between events is
//   Λ(t) = M + E·exp(−(t − t0)/τ). The next event is the first point of the superposition of a
//   Poisson(M) process and one decaying excitation term (Dassios & Zhao 2013); its user comes from a
//   sum tree (O(log U)); its cascade from f_u(·|t); then only the out-neighbours of the user who fired
//   are touched. Cost per event O(log U + C² + out-degree·log U); nothing O(U) per event.
// - ogata: Ogata's thinning, O(U·C) per candidate point: the slow, simple reference of the tests
//   and the benchmark.
//
// Random numbers: a replica k of seed S uses random_stream(S, k) only, so a replica is the same
// whichever rank or thread draws it and whatever other replicas are drawn.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/support/random_stream.hpp"
#include "engine/data/event_data.hpp"
#include "engine/model/mixing.hpp"
#include "engine/model/model_params.hpp"
#include "engine/simulation/out_neighbours.hpp"
#include "engine/simulation/sum_tree.hpp"

namespace mic {

enum class simulation_method { exact, ogata };

std::string_view name_of(simulation_method method);  // "exact", "ogata"
std::optional<simulation_method> parse_simulation_method(std::string_view name);

struct simulation_options {
    double horizon = 0.0;          // events on (start, horizon]
    // Conditioned on a history (exact method only): the simulation starts at `start` with the social
    // drives X_u^s(start) of the events before it (U×C, user-major; empty: an empty history, X = 0).
    // `mic evaluate` simulates a test window this way, each replica from the observed past.
    double start = 0.0;
    std::span<const double> initial_drive;
    std::int64_t max_events = 0;   // stop once this many events are drawn (0: no bound)
    simulation_method method = simulation_method::exact;
    double rescale_after = 256.0;  // exact: re-anchor the decaying frame after this many τ (≤ 500)
};

// Events in time order.
struct event_log {
    std::vector<std::int32_t> user;
    std::vector<std::int32_t> cascade;
    std::vector<double> time;
    bool truncated = false;  // max_events stopped the run before the horizon

    std::int64_t n_events() const { return static_cast<std::int64_t>(time.size()); }
};

// A simulation prepared for one parameter set: out-neighbour lists, the background sum tree and the
// event model are built once; run() then draws any number of independent replicas. Keeps a
// reference to `params` (which must outlive it and be valid: see validate()).
class simulator {
public:
    explicit simulator(const model_params& params);

    const model_params& params() const { return *params_; }

    // One event log drawn with `rng`.
    event_log run(const simulation_options& options, random_stream& rng) const;
    // Replica k of seed S: run() with random_stream(S, k).
    event_log run_replica(const simulation_options& options, std::uint64_t seed, std::uint64_t replica) const;

private:
    event_log run_exact(const simulation_options& options, random_stream& rng) const;
    event_log run_ogata(const simulation_options& options, random_stream& rng) const;

    const model_params* params_;
    event_model model_;
    out_neighbours out_;
    sum_tree background_;  // leaves μ_u = Σ_c μ_u^c
};

// The dataset (SPEC §5) of a simulated log: events grouped by user (time order kept), the graph of
// W, window [0, horizon] — or [0, time of the last event] when max_events stopped the run: what came
// after is unknown, not silence, and a fit must not read it as silence.
dataset to_dataset(const model_params& params, const event_log& log, double horizon,
                   std::string time_unit = "");

} // namespace mic
