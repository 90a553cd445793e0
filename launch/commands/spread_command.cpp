// `mic spread`: IDM-CTMP (SPEC §3) fitted on the training period, its spreading-size series for the
// top users by predicted coverage and for random users, scored against the truth and the
// Independent Cascade baseline (engine/jobs/spread_job.hpp). Rank 0 plans, the plan is broadcast
// once, the job runs on every rank, rank 0 writes.
#include <optional>

#include "engine/distributed/checked_section.hpp"
#include "engine/distributed/plan_broadcast.hpp"
#include "engine/support/error.hpp"
#include "io/atomic_output.hpp"
#include "io/dataset_file.hpp"
#include "io/output_paths.hpp"
#include "io/spread_results.hpp"
#include "io/topic_share_read.hpp"
#include "launch/cli/console.hpp"
#include "launch/commands/commands.hpp"
#include "launch/commands/spread_report.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "spread",
    "--data D.h5 --train-until T --window W --periods K --out R.h5 [options] [--json]",
    "IDM-CTMP: fit Q, predict spreading sizes, evaluate against the truth and the IC baseline.",
    "Builds the temporal influence network from the posts at or before --train-until, estimates the\n"
    "generator Q (q_i = 1/mean delay out of i, S_ij = m_ij/m_i), and predicts, for each evaluated user i\n"
    "and each of the K test periods d of width W after the cut, the mean over the topics i posts in d\n"
    "of DS_i(end_d - t_phi) = integral_0^t sum_j P_ij(s) q_j ds (computed by uniformisation with an\n"
    "error bound --tol, or --method taylor). The truth is the number of posts of the topic by others\n"
    "in (t_phi, end_d]. Users: the --top-k with the largest DS over the K·W test span, and --random-k\n"
    "drawn with --seed. Baseline: discrete-time Independent Cascade with p_u = min(1, 1/DDS_u) on the\n"
    "follower graph (the successors in the influence network when the dataset has no graph).\n"
    "Errors per user: MAE, RMSE, and MASE scaled by the naive forecast on the training series (whole\n"
    "windows of width W ending at the cut). The table of averages goes to stdout; R.h5 holds every\n"
    "series and error (layout in io/spread_results.hpp) and R-truth.csv the series for\n"
    "benchmarks/arima_baseline.py. Topics and evaluated users are split over ranks (each rank holds the\n"
    "events of its topics and the graph); results are identical on any number of ranks.",
    "  mic generate-topics --users 150 --topics 6000 --days 22 --seed 5 --out topics.h5\n"
    "  mic spread --data topics.h5 --train-until 12 --window 1 --periods 10 --out r.h5\n"
    "  mpirun -n 4 mic spread --data tweets.h5 --train-until 1209600 --window 1d --periods 7 --min-delay 1 --out r.h5 --json",
};

int run(std::span<const std::string> args, const communicator& comm) {
    spread_options o;
    const auto parsed = parse_on_all_ranks(help, describe_options(o), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "spread");
    // Why this cannot hang: every rank has the same options and (after step 1) the same plan, so all
    // take the same branches to the same collectives; work that may throw without collectives runs
    // inside run_checked / run_checked_on_root, and the engine's collectives agree on errors.

    // 1. Rank 0: header, plan, and the output names reserved (removed again if anything fails).
    const std::filesystem::path csv = o.out.parent_path() / (o.out.stem().string() + "-truth.csv");
    spread_plan plan;
    std::optional<io::atomic_output> h5_output, csv_output;
    run_checked_on_root(comm, [&] {
        io::check_outputs_apart({{"--out", o.out}, {"the truth table of --out", csv}}, {{"--data", o.data}});
        plan = resolve_plan(o, io::read_dataset_header(o.data), o.data.string());
        h5_output.emplace(o.out, o.force);
        csv_output.emplace(csv, o.force);
    });
    broadcast_plan(comm, plan);

    // 2. Every rank ends with its share of the topics (c % size == rank) and the graph (a collective
    //    read: each event is read by one rank and sent to its topic's rank), then the job.
    const dataset share = io::read_topic_share(o.data, comm);
    if (o.follow_graph && share.graph.in_source.empty())
        out.warn("--follow-graph with a dataset without edges: no transition will be kept");
    // Errors name a user as the dataset does: its names are read only on the way to one.
    const auto user_label = [&](std::int32_t u) {
        std::string label = std::to_string(u);
        try {
            const auto names = io::read_dataset_names(o.data, true).users;
            if (std::size_t(u) < names.size()) label = "'" + names[std::size_t(u)] + "' (id " + label + ")";
        } catch (const std::exception&) {
        }  // the id alone: the error being reported matters more
        return label;
    };
    const spread_hooks hooks{.log = [&](const std::string& line) { out.log(line); },
                             .progress = [&](const std::string& what, double fraction) { out.progress(what, fraction); },
                             .user_label = user_label};
    spread_results r = run_spread_job(comm, plan, share, hooks);
    r.data = o.data.string();

    // 3. Rank 0 writes both files, then prints (a failed write prints no result).
    run_checked_on_root(comm, [&] {
        io::write_spread_results(h5_output->temp_path(), o.out.string(), r);
        io::write_spread_truth_csv(csv_output->temp_path(), csv.string(), r, io::read_dataset_names(o.data, true).users);
        h5_output->commit();
        try {
            csv_output->commit();
        } catch (...) {
            std::filesystem::remove(o.out);  // no partial output: both files or neither
            throw;
        }
        if (parsed->json) out.print_json(spread_summary_json(r, o, csv, comm.size(), out.elapsed(), comm.counts()));
        else out.print(spread_summary_text(r, o, csv));
    });
    return 0;
}

} // namespace

subcommand spread_command() {
    return {help, run, [] {
                 spread_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
