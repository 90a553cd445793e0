#pragma once
// `mic cv` as one engine job: the choice of the model, β and τ by held-out likelihood on validation
// blocks of the training part (SPEC §4 `cv`; the MIC paper's Table 3). The test part is never read.
//
// Folds (rolling origin): the training part's last `validation` share of events is cut into K
// blocks by time, (c_0, c_1], …, (c_{K−1}, c_K]; fold k fits on [t_start, c_{k−1}] and scores the
// events of (c_{k−1}, c_k] given all history before them. A grid point's score is its validation
// log-likelihood summed over the folds.
//
// Work: a chain is one (model, τ, fold) with its βs in increasing order, each fit started from the
// last (a β path; linear models have one point per τ). Chains are dealt to work groups: the ranks are
// split into min(chains, ranks) groups (communicator::split), group g takes chains g, g + G, …, and
// each group reads its own shard and runs its fits on its ranks, so every rank is busy whatever the
// grid and rank counts. Points already finished (plan.done, from a previous run) are not refitted; a
// chain continues from its last finished point's parameters (load_point).
//
// Why nothing hangs: the split, each group's fits (collectives on the group only) and the final
// all-gather of the rows are reached by every rank in the same order; a group that fails throws on
// its ranks, which then fail the all-gather's agreement (run_checked) with the others.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "engine/distributed/partition.hpp"
#include "engine/inference/fit.hpp"
#include "engine/likelihood/shard_kernels.hpp"

namespace mic {

struct cv_row {
    std::int32_t variant = 0;   // model_variant
    std::int32_t fold = 0;
    double beta = 0, tau = 0;
    double validation_loglik = 0;
    std::int64_t validation_events = 0;
    std::int32_t converged = 0, iterations = 0;
    double seconds = 0;
};

struct cv_plan {
    std::vector<model_variant> variants;
    std::vector<double> betas, taus;
    std::vector<double> cuts;       // c_0 < c_1 < … < c_K (fold k: fit [t_start, c_{k−1}], score (c_{k−1}, c_k])
    double t_start = 0;
    std::vector<double> work;       // per user (cost_partition.hpp), for each group's partition
    fit_options options;
    std::vector<cv_row> done;       // finished points of an earlier run

    int folds() const { return int(cuts.size()) - 1; }
    template <class F> void fields(F&& f) {
        f(variants), f(betas), f(taus), f(cuts), f(t_start), f(work), f(options), f(done);
    }
};

// The grid's score per (model, β, τ): validation L summed over folds.
struct cv_score {
    model_variant variant = model_variant::mic;
    double beta = 0, tau = 0;
    double validation_loglik = 0;
    std::int64_t validation_events = 0;
    int folds_converged = 0;
};

struct cv_result {
    std::vector<cv_row> rows;       // every point and fold, ordered by (model, τ, fold, β)
    std::vector<cv_score> scores;   // per grid point, same order without the fold
    std::size_t best = 0;           // index into scores: the largest validation L
    int groups = 1;
};

// Reads the shard of `owned` users for the ranks of `group` (collective over `group`; io's job).
using shard_reader = std::function<shard(const communicator& group, std::span<const std::int32_t> owned)>;
// Called on every rank of a group when a point is finished, with its gathered parameters (to record it).
using cv_point_done = std::function<void(const communicator& group, const cv_row& row, const model_params& params)>;
// The parameters of a finished point of an earlier run (every rank of the group calls it).
using cv_point_loader = std::function<model_params(const communicator& group, const cv_row& row)>;

// `progress` (optional) goes to every point's fit (fit_model's user-step hook: local, called on each
// rank for its users); it may throw to abandon the point, which every rank of the group then learns
// (the user step's checked section), and which fails the job at the ranks' meeting point like any
// other failure: finished points stay recorded, the abandoned one is fitted again on the next run.
cv_result run_cv_job(const communicator& comm, const cv_plan& plan, const shard_reader& read,
                     const cv_point_done& done = {}, const cv_point_loader& load_point = {},
                     const fit_progress_hook& progress = {});

// The βs a variant is fitted at: the plan's (ascending) for mic and cc, one (β unused) for linmic, ic.
std::vector<double> cv_betas(const cv_plan& plan, model_variant variant);

// The number of fits the grid holds: (model, β, τ, fold) with the βs of cv_betas.
std::size_t grid_points(const cv_plan& plan);

// The rows of `finished` that are points of the plan's grid (model, τ, fold and, for mic and cc, β),
// each once (a point's last row: it was fitted again); a linear model's row (β unused) takes the grid's β. The rest belong to another grid.
std::vector<cv_row> rows_in_grid(const cv_plan& plan, std::span<const cv_row> finished);

} // namespace mic
