// `mic spread`: IDM-CTMP (SPEC §3) fitted on the training period, its spreading-size series for the
// top users by predicted coverage and for random users, scored against the truth and the
// Independent Cascade baseline.
#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>
#include <sstream>

#include "engine/ctmp/forecast_metrics.hpp"
#include "engine/ctmp/independent_cascade.hpp"
#include "engine/ctmp/spreading_series.hpp"
#include "engine/ctmp/spreading_size.hpp"
#include "engine/ctmp/user_selection.hpp"
#include "engine/distributed/checked_section.hpp"
#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
#include "io/atomic_output.hpp"
#include "io/dataset_file.hpp"
#include "io/output_paths.hpp"
#include "io/spread_results.hpp"
#include "launch/cli/console.hpp"
#include "launch/commands/commands.hpp"
#include "launch/options/spread_options.hpp"

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
    "benchmarks/arima_baseline.py. Users are split over ranks; results are identical on any number.",
    "  mic generate-topics --users 150 --topics 6000 --days 22 --seed 5 --out topics.h5\n"
    "  mic spread --data topics.h5 --train-until 12 --window 1 --periods 10 --out r.h5\n"
    "  mpirun -n 4 mic spread --data tweets.h5 --train-until 1209600 --window 1d --periods 7 --min-delay 1 --out r.h5 --json",
};

// One user set's per-user results on this rank (its share_of block, in list order).
struct local_results {
    std::vector<double> observed, ctmp, ic, training;
    std::vector<forecast_errors> e_ctmp, e_ic;
};

io::spread_user_set evaluate_set(const std::string& name, const std::vector<std::int32_t>& users, const dataset& data,
                                 const topic_posts& all_topics, const ctmp_model& model, const independent_cascade& ic,
                                 const spread_plan& plan, const spread_options& o, const communicator& comm) {
    const period_grid test{plan.train_until, plan.window, plan.periods};
    const period_grid train{plan.training_start, plan.window, plan.training_periods};
    const ic_options ico{.step = plan.ic_step, .runs = o.ic_runs, .seed = o.seed};
    const auto mine = share_of(users, comm);
    // Collective: every rank calls it with its own (possibly empty) block.
    const auto table = propagate_spreading(model, mine, plan.window, plan.propagation, comm);
    local_results l;
    for (std::size_t a = 0; a < mine.size(); ++a) {
        const auto windows = post_windows(data, all_topics, mine[a], test);
        const auto truth = observed_series(windows, test.periods);
        const auto training_windows = post_windows(data, all_topics, mine[a], train);
        const auto training = observed_series(training_windows, train.periods);
        const double scale = naive_scale(training);
        const auto ctmp = o.extrapolate_posts
                              ? extrapolated_series(posting_rate(training_windows, train),
                                                    mean_spreading_size(table, a, plan.window), test)
                              : predicted_series(windows, table, a, test.periods);
        const auto ic_series = period_means(windows, ic_predictions(ic, mine[a], windows, ico), test.periods);
        l.e_ctmp.push_back(forecast_error(ctmp, truth, scale));
        l.e_ic.push_back(forecast_error(ic_series, truth, scale));
        l.observed.insert(l.observed.end(), truth.begin(), truth.end());
        l.ctmp.insert(l.ctmp.end(), ctmp.begin(), ctmp.end());
        l.ic.insert(l.ic.end(), ic_series.begin(), ic_series.end());
        l.training.insert(l.training.end(), training.begin(), training.end());
    }
    // Gathering in rank order restores the list order (share_of hands out contiguous blocks).
    io::spread_user_set s;
    s.name = name;
    s.users = users;
    s.observed = comm.allgatherv(std::span<const double>(l.observed));
    s.predicted_ctmp = comm.allgatherv(std::span<const double>(l.ctmp));
    s.predicted_ic = comm.allgatherv(std::span<const double>(l.ic));
    s.training_observed = comm.allgatherv(std::span<const double>(l.training));
    s.errors_ctmp = comm.allgatherv(std::span<const forecast_errors>(l.e_ctmp));
    s.errors_ic = comm.allgatherv(std::span<const forecast_errors>(l.e_ic));
    s.average_ctmp = average(l.e_ctmp, comm);
    s.average_ic = average(l.e_ic, comm);
    return s;
}

nlohmann::json metric(double mae, double rmse, const average_errors& a) {
    return {{"mae", mae},
            {"rmse", rmse},
            {"mase", a.n_users_mase > 0 ? nlohmann::json(a.mase) : nlohmann::json(nullptr)},
            {"n_users", a.n_users},
            {"n_users_mase", a.n_users_mase}};
}

nlohmann::json to_json(const io::spread_results& r, const spread_options& o, const influence_network& net,
                       const std::filesystem::path& csv, int n_ranks, double seconds) {
    nlohmann::json metrics;
    for (const auto& set: r.sets) {
        metrics["idm_ctmp"][set.name] = metric(set.average_ctmp.mae, set.average_ctmp.rmse, set.average_ctmp);
        metrics["ic"][set.name] = metric(set.average_ic.mae, set.average_ic.rmse, set.average_ic);
    }
    return {{"data", o.data.string()},         {"out", o.out.string()},
            {"truth_csv", csv.string()},        {"train_until", r.train_until},
            {"window", r.window},               {"periods", r.periods},
            {"training_periods", r.training_periods}, {"method", r.method},
            {"n_users", net.n_users},           {"n_edges", net.n_edges()},
            {"n_transitions", net.n_transitions()}, {"metrics", metrics},
            {"n_ranks", n_ranks},               {"seconds", seconds}};
}

std::string cell(double x, bool defined = true) {
    char text[32];
    if (!defined || !std::isfinite(x)) return "         -";
    std::snprintf(text, sizeof text, "%10.4f", x);
    return text;
}

std::string to_text(const io::spread_results& r, const spread_options& o, const influence_network& net,
                    const std::filesystem::path& csv) {
    std::ostringstream t;
    t << "IDM-CTMP on " << o.data.string() << ": " << with_thousands(net.n_users) << " users, "
      << with_thousands(net.n_edges()) << " influence edges, " << with_thousands(net.n_transitions())
      << " transitions up to t = " << shortest(r.train_until) << "\n"
      << "test: " << r.periods << " periods of " << shortest(r.window) << " " << r.time_unit << "; MASE scale from "
      << r.training_periods << " training periods\n\n";
    char line[160];
    std::snprintf(line, sizeof line, "%-10s %32s   %32s\n", "", ("top-" + std::to_string(r.sets[0].users.size())).c_str(),
                  ("random-" + std::to_string(r.sets[1].users.size())).c_str());
    t << line;
    std::snprintf(line, sizeof line, "%-10s %10s %10s %10s   %10s %10s %10s\n", "method", "MAE", "RMSE", "MASE", "MAE",
                  "RMSE", "MASE");
    t << line;
    for (int m = 0; m < 2; ++m) {
        t << (m == 0 ? "IDM-CTMP  " : "IC        ");
        for (const auto& set: r.sets) {
            const auto& a = m == 0 ? set.average_ctmp : set.average_ic;
            t << " " << cell(a.mae) << " " << cell(a.rmse) << " " << cell(a.mase, a.n_users_mase > 0) << "  ";
        }
        t << "\n";
    }
    t << "\nwrote " << o.out.string() << " and " << csv.string() << "\n";
    return t.str();
}

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
    std::string time_unit;
    std::optional<io::atomic_output> h5_output, csv_output;
    run_checked_on_root(comm, [&] {
        const auto header = io::read_dataset_header(o.data);
        plan = resolve_plan(o, header, o.data.string());
        if (o.extrapolate_posts && plan.training_periods < 1)
            throw input_error("--extrapolate-posts needs at least one whole --window before --train-until");
        time_unit = header.time_unit;
        io::check_outputs_apart({{"--out", o.out}, {"the truth table of --out", csv}}, {{"--data", o.data}});
        h5_output.emplace(o.out, o.force);
        csv_output.emplace(csv, o.force);
    });
    comm.broadcast(plan.window);
    comm.broadcast(plan.ic_step);
    comm.broadcast(plan.train_until);
    comm.broadcast(plan.periods);
    comm.broadcast(plan.training_periods);
    comm.broadcast(plan.training_start);
    // The propagation settings come from the options alone (validated on rank 0 above).
    plan.propagation.method = o.method == "taylor" ? propagation_method::taylor : propagation_method::uniformization;
    plan.propagation.tolerance = o.tolerance;
    plan.propagation.taylor_steps = o.taylor_steps;
    plan.propagation.max_terms = o.max_terms;

    // 2. Every rank reads the whole dataset (each needs the topics of its users' windows).
    dataset data;
    run_checked(comm, [&] { data = io::read_dataset(o.data); });
    if (o.follow_graph && data.graph.in_source.empty())
        out.warn("--follow-graph with a dataset without edges: no transition will be kept");

    // 3. Fit Q on the training posts (collective, bit-identical on any number of ranks).
    const network_options net_options{.follow_graph = o.follow_graph, .min_delay = o.min_delay};
    const auto net = build_influence_network(data, net_options, comm, plan.train_until);
    const auto model = estimate_ctmp(net);
    const auto all_topics = group_by_topic(data);
    out.log(with_thousands(net.n_transitions()) + " transitions, max rate " + shortest(model.max_rate()) + " per " +
            (time_unit.empty() ? std::string("unit") : time_unit));

    // 4. The users: top-K by DS over the test span, and random-K among all users.
    const double span = plan.window * static_cast<double>(plan.periods);
    const auto coverage = spreading_sizes_all_users(model, std::vector<double>{span}, plan.propagation, comm);
    std::vector<std::int32_t> everyone(static_cast<std::size_t>(data.header.n_users));
    std::iota(everyone.begin(), everyone.end(), 0);
    const auto top = top_k_users(coverage, o.top_k);
    const auto random = random_users(everyone, o.random_k, o.seed);

    // 5. The IC baseline: DDS per user from the training windows, on the follower graph.
    const auto dds = daily_spreading_sizes(data, all_topics, plan.training_start, plan.train_until, plan.window, comm);
    const auto ic = make_independent_cascade(data.graph.in_source.empty() ? successors(net) : followers(data.graph), dds);

    io::spread_results r;
    r.data = o.data.string();
    r.train_until = plan.train_until;
    r.window = plan.window;
    r.training_start = plan.training_start;
    r.tolerance = o.tolerance;
    r.periods = plan.periods;
    r.training_periods = plan.training_periods;
    r.method = plan.propagation.method == propagation_method::taylor ? "taylor" : "uniformization";
    r.time_unit = time_unit;
    r.seed = o.seed;
    r.extrapolate_posts = o.extrapolate_posts;
    r.follow_graph = o.follow_graph;
    r.sets.push_back(evaluate_set("top", top, data, all_topics, model, ic, plan, o, comm));
    r.sets.push_back(evaluate_set("random", random, data, all_topics, model, ic, plan, o, comm));

    // 6. Rank 0 writes both files, then prints (a failed write prints no result).
    run_checked_on_root(comm, [&] {
        io::write_spread_results(h5_output->temp_path(), o.out.string(), r);
        io::write_spread_truth_csv(csv_output->temp_path(), csv.string(), r);
        h5_output->commit();
        try {
            csv_output->commit();
        } catch (...) {
            std::filesystem::remove(o.out);  // no partial output: both files or neither
            throw;
        }
        if (parsed->json) out.print_json(to_json(r, o, net, csv, comm.size(), out.elapsed()));
        else out.print(to_text(r, o, net, csv));
    });
    return 0;
}

} // namespace

subcommand spread_command() { return {help, run}; }

} // namespace mic::cli
