// `mic fit`: Alg. 1 (SPEC §2 "Inference") on the training part of a dataset, users sharded across
// ranks by estimated work, with checkpoints and --resume.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "engine/distributed/checked_section.hpp"
#include "engine/inference/cost_partition.hpp"
#include "engine/inference/fit.hpp"
#include "engine/inference/profile_step.hpp"
#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
#include "io/atomic_output.hpp"
#include "io/dataset_file.hpp"
#include "io/file_checksum.hpp"
#include "io/hdf5_file.hpp"
#include "io/params_file.hpp"
#include "io/shard_read.hpp"
#include "launch/cli/console.hpp"
#include "launch/cli/version.hpp"
#include "launch/commands/commands.hpp"
#include "launch/options/fit_options.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "fit",
    "--data D.h5 --model mic|linmic|cc|ic --tau T [--beta B] --out P.h5 [--train-fraction F] [options]",
    "Fit a MIC model (or linMIC, CC, IC) to the first part of a dataset by alternating maximisation (Alg. 1).",
    "Maximises the log-likelihood of the events in the training window (t_start, t_F], where t_F is the\n"
    "time of the event at quantile F of all events by time (--train-fraction, default 1: the whole window).\n"
    "Each outer iteration takes a Sigma step (mic, linmic: projected Newton-CG over row-stochastic Sigma,\n"
    "on rank 0, with Hessian-vector products reduced over ranks) and then a user step (every user's\n"
    "mu and in-weights by projected Newton with the exact Hessian, in parallel). By default the Sigma\n"
    "step is a Newton step on the profile likelihood max_{M,W} L: its curvature includes how every\n"
    "user's mu and w follow Sigma (a C^2 x C^2 term reduced over ranks), and M, W move with Sigma\n"
    "(--sigma-step auto: up to 16 cascades; 'plain' holds M, W fixed, as Alg. 1 is printed). It stops\n"
    "when the relative gain of the log-likelihood is below --tol, or after --max-iter iterations. The\n"
    "log-likelihood never decreases; progress goes to stderr, one line per iteration.\n\n"
    "Users are spread over the ranks by work (their events and their in-neighbours' events); the result\n"
    "does not depend on the number of ranks (to about 1e-12 relative). With --checkpoint the parameters\n"
    "are written after every iteration (atomically); --resume continues from that file and gives the\n"
    "same result as an uninterrupted run. The output records the loglik, iterations, convergence and\n"
    "provenance (dataset path and checksum, command line, version, ranks).",
    "  mic fit --data data.h5 --model mic --beta 33 --tau 3 --out fit.h5\n"
    "  mpirun -n 8 mic fit --data data.h5 --model cc --beta 10 --tau 1 --train-fraction 0.8 --out cc.h5 --json\n"
    "  mic fit --data data.h5 --model mic --tau 3 --out fit.h5 --checkpoint fit.ckpt.h5 --resume",
};

std::string command_line(std::span<const std::string> args) {
    std::string line = "mic fit";
    for (const auto& a : args) line += " " + a;
    return line;
}

model_variant parse_model(const std::string& name) {
    const auto v = parse_model_variant(name);
    if (!v) throw input_error("--model " + name + ": unknown model; use mic, linmic, cc or ic");
    return *v;
}

void check_options(const fit_command_options& o) {
    if (!(o.tau > 0) || !std::isfinite(o.tau)) throw input_error("--tau must be a positive number");
    if (!(o.beta >= 0) || !std::isfinite(o.beta)) throw input_error("--beta must be a number >= 0");
    if (!(o.train_fraction > 0 && o.train_fraction <= 1))
        throw input_error("--train-fraction must be in (0, 1]; e.g. 0.8 fits the first 80 % of the events");
    if (!(o.tol >= 0)) throw input_error("--tol must be >= 0");
    if (o.max_iter < 0) throw input_error("--max-iter must be >= 0");
    if (!(o.user_tol > 0) || !(o.sigma_tol > 0)) throw input_error("--user-tol and --sigma-tol must be > 0");
    if (o.sigma_step != "auto" && o.sigma_step != "profile" && o.sigma_step != "plain")
        throw input_error("--sigma-step " + o.sigma_step + ": unknown; use auto, profile or plain");
    if (o.resume && o.checkpoint.empty()) throw input_error("--resume needs --checkpoint FILE (the file to resume from)");
    if (o.resume && !std::filesystem::exists(o.checkpoint))
        throw input_error(o.checkpoint.string() + ": no such checkpoint; drop --resume to start a new fit");
}

// What rank 0 learns from the file before the collective read: the window and the partition.
struct fit_plan {
    double from = 0, to = 0;
    std::vector<std::int32_t> first;  // size + 1 cut points
    double max_work = 0, mean_work = 0;
};

fit_plan plan_fit(const fit_command_options& o, int n_ranks) {
    const dataset_header header = io::read_dataset_header(o.data);
    const auto file = io::hdf5_file::open_read(o.data);
    const auto arrays = io::open_dataset_arrays(file, header);
    fit_plan plan;
    plan.from = header.t_start;
    plan.to = header.t_end;
    if (o.train_fraction < 1) {
        // t_F = the time of the event at quantile F (the ⌈F·N⌉-th event by time).
        std::vector<double> times = arrays.time.read_all<double>();
        if (times.empty()) throw input_error(o.data.string() + ": has no events; nothing to fit");
        const auto k = std::size_t(std::max<double>(1.0, std::ceil(o.train_fraction * double(times.size())))) - 1;
        std::nth_element(times.begin(), times.begin() + std::ptrdiff_t(k), times.end());
        plan.to = times[k];
        if (!(plan.to > plan.from))
            throw input_error("--train-fraction " + shortest(o.train_fraction) + ": the training window (" +
                              shortest(plan.from) + ", " + shortest(plan.to) + "] is empty; use a larger fraction");
    }
    const auto work = user_work(arrays.user_offsets.read_all<std::int64_t>(), arrays.in_offsets.read_all<std::int64_t>(),
                                arrays.in_source.read_all<std::int32_t>());
    const auto partition = contiguous_partition(work, n_ranks);
    plan.first = partition.first;
    plan.max_work = partition.max_work();
    plan.mean_work = partition.mean_work();
    return plan;
}

std::string progress_line(const fit_progress& p) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "iteration %3d  loglik %.12g  gain %.3g  max|dSigma| %.3g%s  %.3fs  rank time share %.2f-%.2f%s",
                  p.iteration, p.loglik, p.gain, p.max_sigma_change, p.profile_step ? " (profile step)" : "", p.seconds,
                  p.min_time_share, p.max_time_share,
                  p.users_not_converged ? ("  (" + std::to_string(p.users_not_converged) + " users not converged)").c_str()
                                        : "");
    return line;
}

int run(std::span<const std::string> args, const communicator& comm) {
    fit_command_options o;
    const auto parsed = parse_on_all_ranks(help, describe_options(o), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "fit");

    // 1. Rank 0: checks, the training window, the cost partition, the output's name reserved (its
    //    temporary is removed if anything fails; renamed at the end), the dataset checksum.
    fit_plan plan;
    std::optional<io::atomic_output> output;
    std::string checksum;
    model_variant variant = model_variant::mic;
    run_checked_on_root(comm, [&] {
        variant = parse_model(o.model);
        check_options(o);
        output.emplace(o.out, o.force);
        plan = plan_fit(o, comm.size());
        checksum = io::file_checksum(o.data);
    });
    comm.broadcast(variant);
    comm.broadcast(plan.from);
    comm.broadcast(plan.to);
    comm.broadcast(plan.first);
    comm.broadcast(plan.max_work);
    comm.broadcast(plan.mean_work);
    const likelihood_window window{plan.from, plan.to};
    out.log("training window (" + shortest(window.from) + ", " + shortest(window.to) + "]; work per rank max/mean " +
            shortest(plan.mean_work > 0 ? plan.max_work / plan.mean_work : 1.0));

    // 2. Each rank reads its users' events and their in-neighbours' (collective, parallel HDF5).
    std::vector<std::int32_t> owned(std::size_t(plan.first[std::size_t(comm.rank()) + 1] - plan.first[std::size_t(comm.rank())]));
    for (std::size_t i = 0; i < owned.size(); ++i) owned[i] = plan.first[std::size_t(comm.rank())] + std::int32_t(i);
    const shard data = io::read_shard(o.data, owned, comm);

    // 3. The starting point: the checkpoint (--resume) or the default start.
    fit_options engine_options;
    engine_options.tolerance = o.tol;
    engine_options.max_iterations = o.max_iter;
    engine_options.user.tolerance = o.user_tol;
    engine_options.sigma.tolerance = o.sigma_tol;
    engine_options.feature_budget_bytes = std::size_t(std::max(0.0, o.feature_memory_mb) * 1048576.0);
    engine_options.gather_every_iteration = !o.checkpoint.empty();
    engine_options.sigma_step = o.sigma_step == "profile" ? sigma_step_kind::profile
                                : o.sigma_step == "plain" ? sigma_step_kind::plain
                                                          : sigma_step_kind::automatic;
    if (learns_sigma(variant))
        out.log(std::string("Sigma-step: ") +
                (uses_profile_step(engine_options.sigma_step, data.header.n_cascades) ? "profile Newton" : "plain (M, W fixed)") +
                (o.sigma_step == "auto" ? " (--sigma-step auto, " + std::to_string(data.header.n_cascades) + " cascades)" : ""));
    model_params start;
    if (o.resume) {
        io::params_provenance previous;
        std::int64_t iteration = 0;
        double loglik = 0;
        run_checked_on_root(comm, [&] {
            const model_params p = io::read_params(o.checkpoint, &previous);
            if (p.variant != variant || p.beta != o.beta || p.tau != o.tau)
                throw input_error(o.checkpoint.string() + ": the checkpoint is for --model " + std::string(name_of(p.variant)) +
                                  " --beta " + shortest(p.beta) + " --tau " + shortest(p.tau) +
                                  "; resume with the same options, or drop --resume");
            if (!previous.iterations || !previous.loglik)
                throw input_error(o.checkpoint.string() + ": not a checkpoint of mic fit (no iterations/loglik); drop --resume");
            iteration = *previous.iterations;
            loglik = *previous.loglik;
        });
        comm.broadcast(iteration);
        comm.broadcast(loglik);
        start = io::read_params(o.checkpoint, comm);
        engine_options.start_iteration = int(iteration);
        if (iteration > 0) engine_options.previous_loglik = loglik;
        out.log("resuming from " + o.checkpoint.string() + " after iteration " + std::to_string(iteration));
    } else {
        const shard_kernels kernels(data, o.tau, window);
        start = initial_params(kernels, variant, o.beta, o.tau);
    }

    // 4. Alg. 1. The callback runs on every rank at the same point of every iteration, so the
    //    checkpoint write (rank 0, run_checked_on_root) is a collective all ranks reach.
    const fit_result result = fit_model(comm, data, window, start, engine_options,
                                        [&](const fit_progress& p, const model_params* all) {
        out.log(progress_line(p));
        if (!all) return;
        run_checked_on_root(comm, [&] {
            io::params_provenance provenance;
            provenance.loglik = p.loglik;
            provenance.iterations = p.iteration;
            provenance.dataset_path = o.data.string();
            provenance.dataset_checksum = checksum;
            provenance.command_line = command_line(args);
            provenance.version = version_string();
            provenance.n_ranks = comm.size();
            io::write_params(o.checkpoint, *all, provenance, true);
        });
    });

    // 5. Rank 0 writes the result, then prints.
    const std::int64_t n_events = comm.sum<std::int64_t>([&] {
        std::int64_t n = 0;
        for (std::size_t i = 0; i < data.owned.size(); ++i) {
            const auto times = data.events.times(data.events.local_index(data.owned[i]));
            n += std::count_if(times.begin(), times.end(), [&](double t) { return t > window.from && t <= window.to; });
        }
        return n;
    }());
    run_checked_on_root(comm, [&] {
        io::params_provenance provenance;
        provenance.loglik = result.loglik;
        provenance.iterations = result.iterations;
        provenance.converged = result.converged;
        provenance.dataset_path = o.data.string();
        provenance.dataset_checksum = checksum;
        provenance.command_line = command_line(args);
        provenance.version = version_string();
        provenance.n_ranks = comm.size();
        io::write_params(output->temp_path(), result.params, provenance, true);
        output->commit();
        nlohmann::json j{{"data", o.data.string()},         {"out", o.out.string()},
                         {"model", name_of(variant)},        {"beta", o.beta},
                         {"tau", o.tau},                     {"from", window.from},
                         {"to", window.to},                  {"n_events", n_events},
                         {"loglik", result.loglik},          {"iterations", result.iterations},
                         {"converged", result.converged},    {"user_kkt", result.max_user_kkt},
                         {"sigma_kkt", result.sigma_kkt},    {"sigma", result.params.sigma},
                         {"n_ranks", comm.size()},           {"work_max_over_mean", plan.mean_work > 0 ? plan.max_work / plan.mean_work : 1.0},
                         {"seconds", out.elapsed()}};
        if (parsed->json) {
            out.print_json(j);
            return;
        }
        std::ostringstream t;
        t << "wrote " << o.out.string() << "\n"
          << "model       " << name_of(variant) << " (beta = " << shortest(o.beta) << ", tau = " << shortest(o.tau) << ")\n"
          << "window      (" << shortest(window.from) << ", " << shortest(window.to) << "], " << with_thousands(n_events)
          << " events\n"
          << "loglik      " << shortest(result.loglik) << "\n"
          << "iterations  " << result.iterations << (result.converged ? " (converged)" : " (not converged: --max-iter reached)")
          << "\n"
          << "KKT         users " << result.max_user_kkt << ", Sigma " << result.sigma_kkt << "\n";
        out.print(t.str());
    });
    return 0;
}

} // namespace

subcommand fit_command() { return {help, run}; }

} // namespace mic::cli
