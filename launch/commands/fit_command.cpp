// `mic fit`: Alg. 1 (SPEC §2 "Inference") on the training part of a dataset: rank 0 plans
// (fit_planning.hpp), the plan is broadcast once, every rank reads its users, the engine's fit job
// runs (engine/jobs/fit_job.hpp), rank 0 writes (fit_report.hpp).
#include <optional>

#include "engine/distributed/checked_section.hpp"
#include "engine/distributed/plan_broadcast.hpp"
#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
#include "io/atomic_output.hpp"
#include "io/file_checksum.hpp"
#include "io/output_paths.hpp"
#include "io/shard_read.hpp"
#include "launch/cli/console.hpp"
#include "launch/cli/interruption.hpp"
#include "launch/commands/commands.hpp"
#include "launch/commands/fit_planning.hpp"
#include "launch/commands/fit_report.hpp"
#include "launch/options/time_bound.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "fit",
    "--data D.h5 --model mic|linmic|cc|ic --tau T [--beta B] --out P.h5 [--train-fraction F] [options]",
    "Fit a MIC model (or linMIC, CC, IC) to the first part of a dataset by alternating maximisation (Alg. 1).",
    "Maximises the log-likelihood of the events in the training window [t_start, t_F], where t_F is the\n"
    "time of the event at quantile F of all events by time (--train-fraction, default 0.8 as in the paper,\n"
    "leaving the rest for `mic loglik --test` and `mic evaluate`; 1 fits the whole window),\n"
    "plus a weak prior on the baselines (--mu-floor: EPS pseudo-events per user and cascade, so that no\n"
    "held-out event is impossible; 0 gives the pure maximum-likelihood estimate).\n\n"
    "Each outer iteration takes a Sigma step (mic, linmic) and then a user step (every user's mu and\n"
    "in-weights by projected Newton with the exact Hessian, in parallel; under mic and cc a user whose solve\n"
    "ends at 200 iterations still moving, as at large beta where the mixing saturates, is solved again from\n"
    "there along beta/10^k ... beta, and the iteration line counts them). The Sigma step is a Newton step\n"
    "on the profile likelihood max_{M,W} L (M and W following Sigma; --sigma-step auto up to 16 cascades),\n"
    "followed by Newton iterations on Sigma with M and W fixed until Sigma is optimal for them (what moves\n"
    "Sigma at large beta, where the mixing saturates and L is nearly piecewise linear in Sigma).\n"
    "It converges when the relative gain is below --tol AND every user's KKT residual is within --user-tol\n"
    "AND Sigma's within --sigma-tol; otherwise it says what did not converge and what to try. At large beta\n"
    "a cold start crawls and can end at a poorer optimum: --beta-path auto (the default) fits along\n"
    "beta/1000 ... beta, each from the last, when the mixing is sharp (beta times the mean events per user\n"
    "and time unit >= 10), else a cold start at beta; when that first fit does not converge it fits the other\n"
    "too and keeps the better. --init starts from another params file of the same data.\n\n"
    "Users are spread over the ranks by work; the result is the same bits on any number of ranks (each sum\n"
    "over ranks is exact; only a total cancelled by more than ~16 orders of magnitude could differ). With --checkpoint the parameters are written after every iteration (atomically);\n"
    "--resume continues from that file (same data, window and options) and gives the same result as an\n"
    "uninterrupted run; SIGTERM, SIGINT or SIGUSR1 stop the fit after its current iteration (and its\n"
    "checkpoint) with exit code 75. The output records the loglik, the training window, iterations,\n"
    "convergence, KKT residuals, rho(W)*tau (a warning when >= 1: supercritical) and provenance.",
    "  mic fit --data data.h5 --model mic --beta 33 --tau 3 --out fit.h5\n"
    "  mpirun -n 8 mic fit --data data.h5 --model cc --beta 5000 --tau 6 --train-fraction 0.8 --out cc.h5 --json\n"
    "  mic fit --data data.h5 --model mic --beta 1e4 --tau 6 --beta-path 10,100,1000 --out fit.h5\n"
    "  mic fit --data data.h5 --model mic --beta 1e4 --tau 6 --init cc.h5 --out fit.h5\n"
    "  mic fit --data data.h5 --model mic --tau 3 --out fit.h5 --checkpoint fit.ckpt.h5 --resume",
};

int run(std::span<const std::string> args, const communicator& comm) {
    fit_command_options o;
    const auto parsed = parse_on_all_ranks(help, describe_options(o), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "fit");

    // 1. Rank 0: the options, the outputs reserved (their temporaries are removed if anything fails),
    //    the dataset checksum and the plan; then the plan is broadcast once.
    fit_plan plan;
    std::optional<io::atomic_output> output;
    fit_provenance_source record{&o, &plan, "mic fit", "", comm.size()};
    for (const auto& a : args) record.command_line += " " + a;
    run_checked_on_root(comm, [&] {
        check_options(o);
        io::check_outputs_apart({{"--out", o.out},
                                 {"--checkpoint", o.checkpoint},
                                 {"--checkpoint's first-fit file", o.checkpoint.empty() ? o.checkpoint : first_candidate_path(o.checkpoint)}},
                                {{"--data", o.data}, {"--init", o.init}});
        if (!o.resume && !o.checkpoint.empty() && !o.force && std::filesystem::exists(o.checkpoint))
            throw input_error(o.checkpoint.string() + ": exists; add --resume to continue from it, --force to start over, or "
                              "choose another --checkpoint");
        output.emplace(o.out, o.force);
        record.checksum = io::file_checksum(o.data);
        plan = plan_fit(o, comm.size(), record.checksum);
    });
    broadcast_plan(comm, plan);

    // 2. Every rank reads its users' events and their in-neighbours' (collective, parallel HDF5), and
    //    the start (a checkpoint or --init: rank 0 reads, every rank keeps its users' rows). Events after
    //    the training window are dropped as they are read: the fit never looks at them.
    const shard data = io::read_shard(o.data, plan.partition.owned(comm.rank()), comm, nullptr, plan.window.to);
    out.log("training window " + readable_window(plan.window, data.header) + ", " + with_thousands(plan.n_events) +
            " events; work per rank max/mean " + shortest(plan.work_imbalance));
    const auto first_row = std::int32_t(plan.partition.begin(comm.rank())), last_row = std::int32_t(plan.partition.end(comm.rank()));
    fit_start start;
    const bool show_beta = mixing_of(plan.variant) == mixing_kind::boltzmann;
    const bool automatic = show_beta && plan.continuation.automatic && plan.continuation.betas.empty();
    if (o.resume) {
        start.kind = start_kind::resume;
        start.params = io::read_params_rows(o.checkpoint, comm, first_row, last_row);
        // --beta-path auto/both: the second fit needs the first's result; the first, the start of the second.
        if (automatic && plan.resume_candidate == 1) {
            start.first_candidate = read_first_candidate(comm, o.checkpoint, plan.first_candidate_objective, first_row, last_row);
            record.first_candidate_objective = plan.first_candidate_objective;  // the next checkpoints record it again
        }
        if (automatic && plan.resume_candidate == 0 && !o.init.empty())
            start.init = io::read_params_rows(o.init, comm, first_row, last_row);
        out.log("resuming from " + o.checkpoint.string() + " after iteration " + std::to_string(plan.options.start_iteration) +
                (automatic ? std::string(" of the ") + (plan.resume_candidate == 1 ? "second" : "first") + " fit of --beta-path " +
                                 (plan.continuation.both ? "both" : "auto")
                           : std::string()));
    }
    else if (!o.init.empty()) start = {start_kind::init, io::read_params_rows(o.init, comm, first_row, last_row)};
    // The first candidate of --beta-path auto/both has ended and the second begins: with --checkpoint,
    // its result is kept beside the checkpoint (rank 0 writes it; a failed write is a warning, and a
    // resume in the second then refuses the checkpoint), and later checkpoints record its objective.
    const candidate_hook on_first_candidate = [&](const fit_result& first) {
        record.first_candidate_objective = first.objective();
        if (o.checkpoint.empty() || !comm.is_root()) return;
        try {
            io::write_params(first_candidate_path(o.checkpoint), first.params, record.of(first), true);
        } catch (const std::exception& e) {
            out.warn(std::string("could not keep the first fit's result for a resume (") + e.what() + "); the fit goes on");
        }
    };

    // 3. The fit job. The callback runs on every rank at the same point of every iteration (its
    //    signal check is a collective all ranks reach); progress lines come from rank 0's users. An
    //    iteration's user step can take long (one busy user of a heavy-tailed log at a large beta: tens
    //    of minutes), longer than SLURM's warning before the kill: a signal also stops it between two
    //    Newton iterations of any user. The user step runs in a checked section, so every rank learns
    //    of it and throws; the last checkpoint (the iteration before) stays whole.
    const auto on_users = [&](std::size_t done, std::size_t total) {
        if (signal_pending()) throw interrupted(stopped_mid_iteration(o));
        out.progress("user step", double(done) / double(std::max<std::size_t>(total, 1)));
    };
    const continued_fit fit = [&] {
        try {
            return run_fit_job(comm, plan, data, std::move(start), iteration_callback(comm, out, o, record, show_beta), on_users,
                               on_first_candidate);
        } catch (const non_finite_start& e) {
            // Thrown on every rank at once: named where the start came from, then agreed (one line, one exit code).
            const std::string where = !o.init.empty() ? "--init " + o.init.string()
                                                      : o.data.string() + " (default start at --tau " + shortest(o.tau) + ")";
            run_checked(comm, [&] { throw input_error(where + ": " + e.what()); });
            throw;  // not reached: run_checked threw the agreed error
        }
    }();
    for (const std::string& line : continuation_notes(o, plan, fit)) out.log(line);
    if (!fit.result.converged) out.warn(fit.result.diagnosis(plan.options));
    if (fit.result.rho_tau >= 1)
        out.warn("the fitted influence is supercritical: rho(W)*tau = " + shortest(fit.result.rho_tau) +
                 " >= 1; simulating it needs a bounded horizon (mic simulate bounds the events by default)");

    // 4. Rank 0 writes the result, then prints.
    run_checked_on_root(comm, [&] {
        io::write_params(output->temp_path(), fit.result.params, record.of(fit), true);
        output->commit();
        if (parsed->json) out.print_json(fit_summary_json(o, plan, fit, comm.size(), out.elapsed()));
        else out.print(fit_summary_text(o, plan, fit, data.header));
    });
    return 0;
}

} // namespace

subcommand fit_command() {
    return {help, run, [] {
                 fit_command_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
