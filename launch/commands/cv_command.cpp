// `mic cv`: the grid of models, β and τ scored on validation blocks of the training part, spread over
// work groups of ranks (engine/jobs/cv_job.hpp), resumable from its state directory; the best point
// is refitted on the whole training part (engine/jobs/fit_job.hpp) and written with the table.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "engine/distributed/checked_section.hpp"
#include "engine/distributed/plan_broadcast.hpp"
#include "engine/inference/cost_partition.hpp"
#include "engine/jobs/cv_job.hpp"
#include "engine/jobs/fit_job.hpp"
#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
#include "io/atomic_output.hpp"
#include "io/cv_state.hpp"
#include "io/dataset_file.hpp"
#include "io/file_checksum.hpp"
#include "io/hdf5_file.hpp"
#include "io/output_paths.hpp"
#include "io/params_file.hpp"
#include "io/shard_read.hpp"
#include "launch/cli/console.hpp"
#include "launch/cli/interruption.hpp"
#include "launch/cli/version.hpp"
#include "launch/commands/commands.hpp"
#include "launch/options/cascade_limit.hpp"
#include "launch/options/cv_options.hpp"
#include "launch/options/fit_options.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "cv",
    "--data D.h5 --model M[,M...] --betas B1,B2,... --taus T1,T2,... [--folds K] --out BEST.h5 [--json]",
    "Choose the model, beta and tau by held-out likelihood on validation blocks of the training part.",
    "The training part is the first --train-fraction of the events by time (the rest, the test part, is never\n"
    "read). Its last --validation share of events is cut into --folds blocks; fold k fits on everything before\n"
    "block k and scores block k given all earlier history (rolling origin). A grid point's score is the\n"
    "validation log-likelihood summed over folds. For each model, tau and fold the betas are fitted in\n"
    "increasing order, each from the last (a beta path). These chains are spread over work groups of ranks so\n"
    "that every rank is busy whatever the grid and rank counts. Finished points are kept in --state (default\n"
    "OUT.cv): a rerun with the same data and options fits only what is missing. Prints the table and the best\n"
    "(model, beta, tau), refits the best on the whole training part and writes it to --out, with the table\n"
    "(/cv/rows, /cv/scores) in the file. SIGTERM, SIGINT or SIGUSR1 stop it between two Newton iterations\n"
    "with exit code 75, the finished points kept (the same command continues).",
    "  mic cv --data data.h5 --model mic,cc --betas 10,100,1000,10000 --taus 1,6,60 --out best.h5\n"
    "  mpirun -n 8 mic cv --data data.h5 --model mic,linmic,cc,ic --betas 100,1000 --taus 6 --folds 3 --out best.h5 --json",
};

// Rank 0: the split (the cuts c_0 < … < c_K) from the event times, and the work per user.
cv_plan plan_cv(const cv_command_options& o, const cv_grid& grid, io::cv_state_key& key) {
    io::dataset_index index = io::read_dataset_index(o.data, true);
    std::vector<double> t = index.time;
    std::sort(t.begin(), t.end());
    const auto quantile = [&](double f) { return t[std::size_t(std::max(1.0, std::ceil(f * double(t.size())))) - 1]; };
    if (t.empty()) throw input_error(o.data.string() + ": has no events; nothing to cross-validate");
    check_dense_sigma_fits(index.header.n_cascades, o.data.string());
    cv_plan plan;
    plan.variants = grid.variants;
    plan.betas = grid.betas;
    plan.taus = grid.taus;
    plan.t_start = index.header.t_start;
    const double end = quantile(o.train_fraction);
    const double n_train = double(std::upper_bound(t.begin(), t.end(), end) - t.begin());
    for (int k = 0; k <= o.folds; ++k)
        plan.cuts.push_back(k == o.folds ? end : quantile((n_train * (1 - o.validation * (1 - double(k) / o.folds))) / double(t.size())));
    for (std::size_t k = 1; k < plan.cuts.size(); ++k)
        if (!(plan.cuts[k] > plan.cuts[k - 1]) || !(plan.cuts[0] > plan.t_start))
            throw input_error(o.data.string() + ": too few events for " + std::to_string(o.folds) +
                              " validation blocks; lower --folds or raise --validation");
    plan.work = user_work(index.user_offsets, index.in_offsets, index.in_source);
    plan.options.tolerance = o.tol;
    plan.options.max_iterations = o.max_iter;
    plan.options.prior.pseudo_events = o.mu_floor;
    // Not part of the resume key: the kernel features held change the memory, never the numbers.
    plan.options.feature_budget_bytes = feature_budget_bytes(o.feature_memory_mb);
    key.cuts = plan.cuts;
    key.t_start = plan.t_start;
    key.options = "tol " + shortest(o.tol) + " max-iter " + std::to_string(o.max_iter) + " mu-floor " + shortest(o.mu_floor);
    return plan;
}

std::string table_text(const cv_result& r) {
    std::ostringstream t;
    char line[200];
    std::snprintf(line, sizeof line, "%-7s %10s %10s %20s %12s %7s\n", "model", "tau", "beta", "validation loglik", "per event", "conv");
    t << line;
    for (std::size_t i = 0; i < r.scores.size(); ++i) {
        const auto& s = r.scores[i];
        const bool linear = mixing_of(s.variant) != mixing_kind::boltzmann;
        std::snprintf(line, sizeof line, "%-7s %10s %10s %20.10g %12.6g %7d%s\n", name_of(s.variant).data(), shortest(s.tau).c_str(),
                      linear ? "-" : shortest(s.beta).c_str(), s.validation_loglik,
                      s.validation_events ? s.validation_loglik / double(s.validation_events) : 0.0, s.folds_converged,
                      i == r.best ? "  <- best" : "");
        t << line;
    }
    return t.str();
}

int run(std::span<const std::string> args, const communicator& comm) {
    cv_command_options o;
    const auto parsed = parse_on_all_ranks(help, describe_options(o), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "cv");
    if (o.state.empty()) o.state = o.out.string() + ".cv";
    cv_plan plan;
    std::optional<io::atomic_output> output;
    io::cv_state_key key;
    run_checked_on_root(comm, [&] {
        const cv_grid grid = parse_grid(o);
        io::check_outputs_apart({{"--out", o.out}, {"--state", o.state}}, {{"--data", o.data}});
        output.emplace(o.out, o.force);
        key.data_checksum = io::file_checksum(o.data);
        plan = plan_cv(o, grid, key);
        plan.done = io::open_cv_state(o.state, key, o.force);
    });
    broadcast_plan(comm, plan);
    const std::size_t reused = rows_in_grid(plan, plan.done).size();
    out.log("training part [" + shortest(plan.t_start) + ", " + shortest(plan.cuts.back()) + "], " + std::to_string(plan.folds()) +
            " validation block(s) from " + shortest(plan.cuts.front()) + "; " + std::to_string(reused) +
            " point(s) of this grid already finished in " + o.state.string() +
            (plan.done.size() > reused ? " (" + std::to_string(plan.done.size() - reused) + " more, of another grid, left out of the table)"
                                       : ""));

    const std::size_t points = grid_points(plan);
    const auto seconds_text = [](double s) {
        char text[32];
        std::snprintf(text, sizeof text, "%.1f s", s);
        return std::string(text);
    };
    const auto reader = [&](const communicator& group, std::span<const std::int32_t> owned) {
        return io::read_shard(o.data, owned, group);
    };
    const auto record = [&](const communicator& group, const cv_row& row, const model_params& params) {
        std::size_t finished = 0;  // in the whole grid, by every group and earlier runs: the state's rows
        run_checked_on_root(group, [&] {
            io::write_params(io::cv_point_path(o.state, row), params, {}, true);
            io::append_cv_row(o.state, row);
            finished = rows_in_grid(plan, io::read_cv_rows(o.state)).size();
        });
        // A safe point: this point is saved. Every group stops at its next one (agreed within the group).
        if (interruption_requested(group))
            throw interrupted("stopped by a signal; the finished points are in " + o.state.string() +
                              ": run the same command again to continue");
        const bool linear = mixing_of(model_variant(row.variant)) != mixing_kind::boltzmann;
        const std::string line = std::string(name_of(model_variant(row.variant))) + " tau " + shortest(row.tau) +
                                 (linear ? std::string() : " beta " + shortest(row.beta)) + " fold " + std::to_string(row.fold) + ": validation loglik " +
                                 shortest(row.validation_loglik) + " in " + seconds_text(row.seconds) + "  [" +
                                 std::to_string(finished) + " of " + std::to_string(points) + " points done, " +
                                 seconds_text(out.elapsed()) + " so far]";
        if (group.is_root() && comm.rank() != 0) {
            if (!parsed->quiet) std::fprintf(stderr, "mic cv: %s\n", line.c_str());
        } else {
            out.log(line);
        }
    };
    const auto load = [&](const communicator& group, const cv_row& row) { return io::read_params(io::cv_point_path(o.state, row), group); };
    // A point's user step can take long (a busy user at a large beta: tens of minutes), longer than
    // SLURM's warning before the kill: a signal also stops a point between two Newton iterations of any
    // user. The group's ranks learn of it in the user step's checked section; the point is not saved
    // and is fitted again on the next run. Progress lines come from world rank 0's group.
    const auto on_users = [&](std::size_t done, std::size_t total) {
        if (signal_pending())
            throw interrupted("stopped by a signal during a point's fit; the finished points are in " + o.state.string() +
                              ": run the same command again to continue (the unfinished point is fitted again)");
        out.progress("point user step", double(done) / double(std::max<std::size_t>(total, 1)));
    };
    const cv_result result = run_cv_job(comm, plan, reader, record, load, on_users);
    const cv_score& best = result.scores[result.best];
    // No point can be chosen when every one gives a held-out event probability 0 (the same table on
    // every rank, so every rank refuses; the points stay in the state directory).
    run_checked(comm, [&] {
        if (!(best.validation_loglik > -HUGE_VAL))
            throw input_error("every grid point scores validation loglik -inf (held-out events of probability 0 under every "
                              "fit), so none can be chosen" +
                              (o.mu_floor == 0 ? std::string("; --mu-floor 0 lets a baseline be 0: keep the default floor")
                                               : std::string("; check the data's folds (mic info), or widen the grid")));
    });
    out.log(std::to_string(result.groups) + " work group(s); refitting the best on the whole training part");

    // The best point on the whole training part, along the grid's βs below it.
    fit_plan refit;
    refit.variant = best.variant;
    refit.beta = best.beta;
    refit.tau = best.tau;
    refit.window = {plan.t_start, plan.cuts.back(), true};  // from the dataset's t_start
    refit.partition = range_partition::balanced(plan.work, comm.size());
    refit.work_imbalance = work_imbalance(refit.partition, plan.work);
    refit.options = plan.options;
    refit.continuation.automatic = false;
    if (mixing_of(best.variant) == mixing_kind::boltzmann)
        for (const double b : plan.betas)
            if (b < best.beta) refit.continuation.betas.push_back(b);
    const shard data = io::read_shard(o.data, refit.partition.owned(comm.rank()), comm);
    const continued_fit fit = run_fit_job(comm, refit, data, {}, {}, [&](std::size_t done, std::size_t total) {
        if (signal_pending())
            throw interrupted("stopped by a signal while refitting the best point; every point is in " + o.state.string() +
                              ": run the same command again to refit");
        out.progress("refit user step", double(done) / double(std::max<std::size_t>(total, 1)));
    });
    run_checked_on_root(comm, [&] {
        io::params_provenance p;
        p.loglik = fit.result.loglik;
        p.log_prior = fit.result.log_prior;
        p.mu_floor = o.mu_floor;
        p.iterations = fit.result.iterations;
        p.converged = fit.result.converged;
        p.train_start = refit.window.from;
        p.train_end = refit.window.to;
        p.train_fraction = o.train_fraction;
        p.dataset_path = o.data.string();
        p.dataset_checksum = key.data_checksum;
        p.version = version_string();
        p.n_ranks = comm.size();
        io::write_params(output->temp_path(), fit.result.params, p, true, [&](io::hdf5_file& f) { io::write_cv_table(f, result); });
        output->commit();
        if (parsed->json) {
            nlohmann::json rows = nlohmann::json::array();
            // β only where the model has one (null for the linear mixings, which do not use it).
            const auto beta_of = [](model_variant v, double beta) {
                return mixing_of(v) == mixing_kind::boltzmann ? nlohmann::json(beta) : nlohmann::json(nullptr);
            };
            for (const auto& s : result.scores)
                rows.push_back({{"model", name_of(s.variant)}, {"beta", beta_of(s.variant, s.beta)}, {"tau", s.tau},
                                {"validation_loglik", s.validation_loglik}, {"validation_events", s.validation_events},
                                {"folds_converged", s.folds_converged}});
            out.print_json({{"data", o.data.string()}, {"out", o.out.string()}, {"table", rows},
                            {"best", {{"model", name_of(best.variant)}, {"beta", beta_of(best.variant, best.beta)}, {"tau", best.tau}}},
                            {"train_end", refit.window.to}, {"loglik", fit.result.loglik}, {"converged", fit.result.converged},
                            {"groups", result.groups}, {"n_ranks", comm.size()}, {"seconds", out.elapsed()},
                            {"refit_feature_users", fit.result.features.users},
                            {"refit_feature_streamed_users", fit.result.features.streamed}});
        } else {
            out.print(table_text(result) + "best: " + std::string(name_of(best.variant)) +
                      (mixing_of(best.variant) == mixing_kind::boltzmann ? ", beta = " + shortest(best.beta) : std::string()) +
                      ", tau = " + shortest(best.tau) + "; refitted on " + to_string(refit.window) + ": loglik " + shortest(fit.result.loglik) +
                      (fit.result.converged ? " (converged)" : " (NOT converged)") + "\nwrote " + o.out.string() + "\n");
        }
    });
    return 0;
}

} // namespace

subcommand cv_command() {
    return {help, run, [] {
                 cv_command_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
