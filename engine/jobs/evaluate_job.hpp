#pragma once
// `mic evaluate` as one engine job (SPEC §4; the MIC paper's Sec. 7.1, 7.3, 7.4, Table 2): a fitted
// model against the held-out window (a, b] of a dataset.
//
// Held-out likelihood: L of (a, b] given all earlier history, in total, per event, per cascade, per
// user, and for the top 5/10/25 % most active users (activity_groups.hpp).
//
// Simulation: N replicas of the window, each started at a from the observed history (the social
// drives of the events at or before a: history_drive.hpp; exact simulation, replica k from the
// random stream (seed, k) on rank k mod size, so the result does not depend on the rank count).
// Against the real events of (a, b]:
//   - per-cascade intensity in B equal bins (events per time unit), mean ± sd over replicas, its
//     inverse L1 distance and Pearson correlation to the real curve, per cascade and for the total
//     (Fig. 4b, c, e, f; curve_metrics.hpp);
//   - events per cascade and per user ranked in decreasing order, mean ± sd over replicas at each
//     rank, beside the real ranking (Figs. 6b and 7).
// Supercritical models are simulated with the plan's max_events bound per replica (counted).
//
// Collectives: the likelihood pass, ordered gathers and element-wise sums of integer counts (exact
// in double), so every number is the same on any number of ranks.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/distributed/partition.hpp"
#include "engine/evaluation/activity_groups.hpp"
#include "engine/likelihood/shard_kernels.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

struct evaluate_plan {
    likelihood_window test;           // (a, b]
    range_partition partition;        // users over the ranks
    std::vector<double> activity;     // per user: events in the whole dataset (empty: rank by the test window)
    std::vector<double> fractions{0.05, 0.10, 0.25};
    std::int64_t replicas = 10, bins = 20, max_events = 0;  // max_events per replica (0: none)
    std::uint64_t seed = 1;
    std::string params_name = "the fitted parameters";  // for messages: the params file

    template <class F> void fields(F&& f) {
        f(test), f(partition.first), f(activity), f(fractions), f(replicas), f(bins), f(max_events), f(seed), f(params_name);
    }
};

struct evaluation_report {
    // Held-out likelihood.
    likelihood_window test;
    std::int64_t n_events = 0, impossible_events = 0;
    double loglik = 0;
    std::vector<double> cascade_loglik;          // C
    std::vector<std::int64_t> cascade_events;    // C
    std::vector<double> user_loglik;             // U
    std::vector<std::int64_t> user_events;       // U: test events
    std::vector<double> user_activity;           // U: the ranking key
    bool ranked_by_test = false;
    std::vector<activity_group> groups;
    // Simulation (replicas > 0).
    std::int64_t replicas = 0, bins = 0, truncated_replicas = 0;
    std::vector<double> bin_edges;                                      // B + 1
    std::vector<double> real_intensity, simulated_intensity, simulated_intensity_sd;  // C × B
    std::vector<double> inverse_l1, pearson;                            // C + 1 (the last: all cascades)
    std::vector<double> simulated_cascade_events, simulated_cascade_events_sd;  // C, by cascade id
    std::vector<double> real_cascade_ranked, simulated_cascade_ranked, simulated_cascade_ranked_sd;  // C
    std::vector<double> real_user_ranked, simulated_user_ranked, simulated_user_ranked_sd;           // U
};

// Collective over `comm` (`data` is this rank's shard under plan.partition; `params` every user's).
evaluation_report run_evaluate_job(const communicator& comm, const evaluate_plan& plan, const shard& data,
                                   const model_params& params);

} // namespace mic
