#pragma once
// The workflow of `mic fit` as one engine job: the plan (built on rank 0 from the files and the
// options, broadcast once), this rank's shard, and where to start → a continued fit.
//
//   start    cold: initial_params (fit.hpp); init: warm_start from another params file of the same
//            users, cascades and graph; resume: a checkpoint, as it is (the plan's options carry its
//            iteration and objective)
//   fit      fit_with_continuation (beta_path.hpp): the cold start at β, or a β path
#include <cstdint>
#include <limits>
#include <optional>

#include "engine/distributed/partition.hpp"
#include "engine/inference/beta_path.hpp"
#include "engine/likelihood/shard_kernels.hpp"

namespace mic {

struct fit_plan {
    model_variant variant = model_variant::mic;
    double beta = 1, tau = 1;           // the target β (mic, cc) and τ
    likelihood_window window;           // the training window [train_start, train_end] (closed at the dataset's t_start)
    std::int64_t n_events = 0;          // events in the window
    range_partition partition;          // users over the job's ranks (balanced by work)
    double work_imbalance = 1;          // the largest rank's work over the mean
    fit_options options;
    continuation_options continuation;
    // --resume of the automatic scheme: the candidate the checkpoint is in, and in the second the first's
    // objective as the checkpoint records it (NaN otherwise).
    std::int32_t resume_candidate = 0;
    double first_candidate_objective = std::numeric_limits<double>::quiet_NaN();

    template <class F> void fields(F&& f) {
        f(variant), f(beta), f(tau), f(window), f(n_events), f(partition.first), f(work_imbalance), f(options);
        f(continuation.betas), f(continuation.automatic), f(continuation.automatic_decades), f(continuation.sharp_mixing),
            f(continuation.both), f(resume_candidate), f(first_candidate_objective);
    }
};

enum class start_kind : std::int32_t { cold, init, resume };

struct fit_start {
    start_kind kind = start_kind::cold;
    model_params params;  // init, resume: the parameters read (every user, or at least the owned users' rows)
    // resume of the automatic scheme (beta_path.hpp): in the second candidate, the first's result (params:
    // every user on the root, the owned rows elsewhere); in the first, the --init parameters the second
    // starts from (none: the cold start).
    std::optional<fit_result> first_candidate;
    std::optional<model_params> init;
};

// Collective over `comm` (the plan's partition has comm.size() ranges; `data` is this rank's shard).
// `start` is taken by value: pass it with std::move, and its rows other than the owned users' are
// released before the fit begins. The result's params: every user on rank 0, the owned rows elsewhere.
// `on_first_candidate`: see fit_with_continuation.
continued_fit run_fit_job(const communicator& comm, const fit_plan& plan, const shard& data, fit_start start,
                          const fit_callback& callback = {}, const fit_progress_hook& progress = {},
                          const candidate_hook& on_first_candidate = {});

} // namespace mic
