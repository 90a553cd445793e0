#pragma once
// `mic loglik` as one engine job: the log-likelihood of a window (a, b] under a params file, every
// user's contribution gathered in user order (the partition's ranges are contiguous).
#include "engine/distributed/partition.hpp"
#include "engine/likelihood/shard_likelihood.hpp"

namespace mic {

struct loglik_plan {
    likelihood_window window;
    range_partition partition;

    template <class F> void fields(F&& f) { f(window), f(partition.first); }
};

struct loglik_report {
    loglik_result totals;                    // L, per cascade, impossible events (its per-user fields: this rank's)
    std::vector<double> user_loglik;         // every user, when asked for
    std::vector<std::int64_t> user_events;
};

// Collective over `comm`. `per_user`: gather every user's L_u and scored events on every rank.
loglik_report run_loglik_job(const communicator& comm, const loglik_plan& plan, const shard& data, const model_params& params,
                             std::string_view params_name, bool per_user);

} // namespace mic
