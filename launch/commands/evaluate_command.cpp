// `mic evaluate`: the MIC paper's evaluation of a fitted model on the held-out part of a dataset —
// test log-likelihood (all users, the most active ones) and simulations of the test window against
// the real events (engine/jobs/evaluate_job.hpp). Rank 0 plans, the plan is broadcast once, every
// rank reads its users, the job runs, rank 0 writes.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "engine/distributed/checked_section.hpp"
#include "engine/distributed/plan_broadcast.hpp"
#include "engine/data/time_split.hpp"
#include "engine/inference/cost_partition.hpp"
#include "engine/simulation/spectral_radius.hpp"
#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
#include "io/atomic_output.hpp"
#include "io/dataset_file.hpp"
#include "io/evaluation_file.hpp"
#include "io/output_paths.hpp"
#include "io/params_file.hpp"
#include "io/shard_read.hpp"
#include "launch/cli/console.hpp"
#include "launch/commands/commands.hpp"
#include "launch/commands/simulation_report.hpp"
#include "launch/options/evaluate_options.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "evaluate",
    "--data D.h5 --params P.h5 [--from a | --train-fraction F] [--replicas N] [--bins B] [--out R.h5] [--json]",
    "Evaluate a fitted model on held-out data: test log-likelihood (Table 2) and simulated activity (Figs. 4, 6, 7).",
    "The test window is (a, t_end]: a = --from, or the event at quantile --train-fraction, or by default the\n"
    "end of the params' training window (what `mic fit` recorded). Reports the log-likelihood of the window\n"
    "given all earlier history (total, per event, per cascade, per user) and for the top 5, 10 and 25 % most\n"
    "active users (--rank-by data: events in the whole dataset; test: in the window): their sum and mean per\n"
    "user. Then draws --replicas simulations of the window, each started at a from the observed history, and\n"
    "compares them with the real events: per-cascade intensity in --bins bins (inverse L1 distance\n"
    "1/(1 + sum|real - sim| / sum real) and Pearson correlation, per cascade and overall), and events per\n"
    "cascade and per user ranked in decreasing order (mean and sd over replicas at each rank). Supercritical\n"
    "models are simulated with a bound on the events of a replica. The same numbers on any number of ranks.",
    "  mic evaluate --data data.h5 --params fit.h5 --out eval.h5\n"
    "  mpirun -n 4 mic evaluate --data data.h5 --params fit.h5 --train-fraction 0.8 --replicas 50 --json",
};

// Rank 0: the test window, the ranking key, the partition and the simulation bound.
evaluate_plan plan_evaluation(const evaluate_options& o, int n_ranks, std::string& warning) {
    if (o.replicas < 0) throw usage_error("--replicas " + std::to_string(o.replicas) + ": must be at least 0");
    if (o.bins < 1 || o.bins > 1000000) throw usage_error("--bins " + std::to_string(o.bins) + ": must be in [1, 1e6]");
    if (o.max_events < 0) throw usage_error("--max-events " + std::to_string(o.max_events) + ": must be at least 0");
    if (o.rank_by != "data" && o.rank_by != "test") throw usage_error("--rank-by " + o.rank_by + ": use data or test");
    if (o.from && o.train_fraction) throw usage_error("--from and --train-fraction both give the start of the window; keep one");
    io::dataset_index index = io::read_dataset_index(o.data, true);
    const model_params params = io::read_params(o.params);
    evaluate_plan plan;
    std::string overlap;  // a warning of its own: the simulation bound's below may be another
    plan.params_name = o.params.string();
    plan.test = {index.header.t_start, index.header.t_end};
    if (o.from) {
        plan.test.from = dataset_time(*o.from, "from", index.header, o.data.string());
        // A test window that reaches into the fit's training window scores events the fit saw.
        if (const auto end = io::read_params_provenance(o.params).train_end; end && plan.test.from < *end)
            overlap = std::string("--from ") + readable_time(plan.test.from, index.header) + " is inside the training window of " +
                       o.params.string() + " (it ends at " + readable_time(*end, index.header) + "): the events up to it were fitted, so their scores "
                       "are not held-out; start at the training window's end (the default) for a held-out evaluation";
    } else if (o.train_fraction) {
        if (!(*o.train_fraction > 0 && *o.train_fraction < 1)) throw usage_error("--train-fraction must be in (0, 1)");
        if (index.time.empty()) throw input_error(o.data.string() + ": has no events; nothing to evaluate");
        plan.test.from = split_time(index.time, *o.train_fraction);
    } else {
        const auto end = io::read_params_provenance(o.params).train_end;
        if (!end) throw input_error(o.params.string() + ": no training window (train_end); give --from or --train-fraction");
        plan.test.from = *end;
    }
    if (!(plan.test.from >= index.header.t_start && plan.test.from < plan.test.to))
        throw input_error("the test window " + readable_window(plan.test, index.header) + " is empty or outside " +
                          o.data.string() + "'s observation window; choose another start");
    if (o.rank_by == "data")
        for (std::size_t u = 0; u + 1 < index.user_offsets.size(); ++u)
            plan.activity.push_back(double(index.user_offsets[u + 1] - index.user_offsets[u]));
    plan.partition = range_partition::balanced(user_work(index.user_offsets, index.in_offsets, index.in_source), n_ranks);
    plan.replicas = o.replicas;
    plan.bins = o.bins;
    plan.seed = o.seed;
    // A supercritical model without --max-events: the bound of generate and simulate is E[n] from an
    // empty history, but each replica here starts from the observed one, and a process that has been
    // running holds far more events in the window (audit: 122,006 real events against a bound of 1,132,
    // every replica cut and the scores measuring the cut). Its bound is 4 × the window's real events +
    // 1000 instead, refused when no run could hold it.
    const double stability = o.replicas == 0 ? 0.0 : influence_spectral_radius(params).value * params.tau;
    if (o.replicas > 0 && o.max_events == 0 && !(stability < stability_limit)) {
        const auto real = std::int64_t(std::count_if(index.time.begin(), index.time.end(), [&](double t) { return plan.test.scores(t); }));
        const std::int64_t bound = 4 * real + 1000;
        if (double(bound) > max_expected_events)
            throw input_error(o.params.string() + ": " + unstable_figure(stability) + ": replicas started from the " +
                              with_thousands(real) + " events of the test window could each grow past " + with_thousands(bound) +
                              " events, more than a run may hold; give --max-events N, or --replicas 0 for the likelihood alone");
        plan.max_events = bound;
        warning = unstable_figure(stability) + ": each replica, started from the observed history, stops after " +
                  with_thousands(bound) + " events (4 x the " + with_thousands(real) +
                  " events of the test window + 1000; --max-events to change)";
    } else {
        plan.max_events = o.replicas == 0 ? 0
                                          : bounded_max_events(params, stability, plan.test.length(), o.max_events,
                                                               o.params.string(), warning);
    }
    if (!overlap.empty()) warning = warning.empty() ? overlap : overlap + "; and " + warning;
    return plan;
}

// Cascade c as the dataset names it ("#ai"), or its index when the dataset has no names.
std::string cascade_label(const std::vector<std::string>& names, std::size_t c) {
    return c < names.size() ? names[c] : std::to_string(c);
}

// The cascade column of the text table: names up to this many columns (longer ones shortened with
// "…"; the JSON and the results file keep them whole).
constexpr std::size_t cascade_column_width = 40;

std::string text_of(const evaluation_report& r, const evaluate_options& o, const std::vector<std::string>& names,
                    const dataset_header& header) {
    std::ostringstream t;
    char line[200];
    t << "held-out window " << readable_window(r.test, header) << " of " << o.data.string() << " under " << o.params.string() << "\n";
    std::snprintf(line, sizeof line, "  %s events, loglik %.10g (%.5g per event)%s\n", with_thousands(r.n_events).c_str(), r.loglik,
                  r.n_events ? r.loglik / double(r.n_events) : 0.0,
                  r.impossible_events ? (", " + std::to_string(r.impossible_events) + " impossible").c_str() : "");
    t << line << "\n  most active users (by events in the " << (r.ranked_by_test ? "test window" : "whole dataset") << ")\n";
    for (const auto& g : r.groups) {
        std::snprintf(line, sizeof line, "  top %4.1f %%  %6lld users  %8lld events  loglik %14.6g  per user %12.6g\n",
                      100 * g.fraction, (long long)g.n_users, (long long)g.n_events, g.loglik, g.mean_per_user);
        t << line;
    }
    if (r.replicas == 0) return t.str();
    t << "\n  " << r.replicas << " simulations of the window from the observed history, " << r.bins << " bins"
      << (r.truncated_replicas ? " (" + std::to_string(r.truncated_replicas) + " stopped by the event bound)" : "") << "\n";
    const std::size_t C = r.cascade_events.size();
    std::size_t width = 8;  // the cascade column fits the longest name (in columns, not bytes), up to its cap
    for (std::size_t c = 0; c < C; ++c)
        width = std::max(width, display_columns(shortened(cascade_label(names, c), cascade_column_width)));
    t << "  " << std::string("cascade").append(width - 7, ' ') << "    inverse L1    Pearson    real events   simulated mean ± sd\n";
    for (std::size_t c = 0; c <= C; ++c) {
        std::string label = c < C ? shortened(cascade_label(names, c), cascade_column_width) : "all";
        label = padded(std::move(label), width);
        std::snprintf(line, sizeof line, " %11.4f %10.4f", r.inverse_l1[c], r.pearson[c]);
        t << "  " << label << line;
        if (c < C) {
            std::snprintf(line, sizeof line, "   %11lld   %11.1f ± %.1f\n", (long long)r.cascade_events[c],
                          r.simulated_cascade_events[c], r.simulated_cascade_events_sd[c]);
            t << line;
        } else {
            t << "\n";
        }
    }
    const std::size_t shown = std::min<std::size_t>(5, r.real_user_ranked.size());
    t << "  events of the " << shown << " most active users (ranked), real / simulated mean ± sd:";
    for (std::size_t k = 0; k < shown; ++k) {
        std::snprintf(line, sizeof line, "  %.0f/%.1f±%.1f", r.real_user_ranked[k], r.simulated_user_ranked[k], r.simulated_user_ranked_sd[k]);
        t << line;
    }
    t << "\n";
    return t.str();
}

nlohmann::json json_of(const evaluation_report& r, const evaluate_options& o, const std::vector<std::string>& names, int n_ranks,
                       double seconds) {
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : r.groups)
        groups.push_back({{"fraction", g.fraction}, {"n_users", g.n_users}, {"n_events", g.n_events}, {"loglik", g.loglik},
                          {"mean_per_user", g.mean_per_user}});
    nlohmann::json j{{"data", o.data.string()}, {"params", o.params.string()}, {"from", r.test.from}, {"to", r.test.to},
                     {"n_events", r.n_events}, {"loglik", r.loglik}, {"impossible_events", r.impossible_events},
                     {"loglik_per_event", r.n_events ? r.loglik / double(r.n_events) : 0.0},
                     {"per_cascade_loglik", r.cascade_loglik}, {"rank_by", r.ranked_by_test ? "test" : "data"},
                     {"top_users", groups}, {"replicas", r.replicas}, {"n_ranks", n_ranks}, {"seconds", seconds}};
    if (!o.out.empty()) j["out"] = o.out.string();
    if (!names.empty()) j["cascade_names"] = names;  // parallel to every per-cascade array
    if (r.replicas > 0) {
        j["bins"] = r.bins;
        j["inverse_l1"] = r.inverse_l1;  // per cascade, then all cascades (NaN → null)
        j["pearson"] = r.pearson;
        j["truncated_replicas"] = r.truncated_replicas;
        j["simulated_cascade_events"] = r.simulated_cascade_events;
        j["simulated_cascade_events_sd"] = r.simulated_cascade_events_sd;
        j["real_cascade_ranked"] = r.real_cascade_ranked;
        j["simulated_cascade_ranked"] = r.simulated_cascade_ranked;
    }
    return j;
}

int run(std::span<const std::string> args, const communicator& comm) {
    evaluate_options o;
    const auto parsed = parse_on_all_ranks(help, describe_options(o), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "evaluate");
    evaluate_plan plan;
    std::optional<io::atomic_output> output;
    std::string warning;
    run_checked_on_root(comm, [&] {
        io::check_outputs_apart({{"--out", o.out}}, {{"--data", o.data}, {"--params", o.params}});
        if (!o.out.empty()) output.emplace(o.out, o.force);
        plan = plan_evaluation(o, comm.size(), warning);
    });
    broadcast_plan(comm, plan);
    if (!warning.empty()) out.warn(warning);
    const shard data = io::read_shard(o.data, plan.partition.owned(comm.rank()), comm);
    const model_params params = io::read_params(o.params, comm);
    const evaluation_report report = run_evaluate_job(comm, plan, data, params);
    std::vector<std::string> names;  // the cascades' names, on rank 0 (what reports and plots label them by)
    run_checked_on_root(comm, [&] { names = io::read_dataset_names(o.data, false).cascades; });
    // A replica cut by the bound stops short of the window's end: its intensity falls to zero there, and
    // the scores measure the cut, not the model. Say so, with the fix.
    if (report.truncated_replicas > 0)
        out.warn(std::to_string(report.truncated_replicas) + " of " + std::to_string(report.replicas) +
                 " replicas stopped at the bound of " + with_thousands(plan.max_events) +
                 " events before the window's end: their intensity, inverse L1 and Pearson scores measure the bound, not "
                 "the model; raise --max-events");
    if (report.impossible_events > 0)
        out.warn(std::to_string(report.impossible_events) + " held-out events have probability 0 under " + o.params.string() +
                 " (loglik -inf; see `mic loglik --test` for the first, or refit with --mu-floor > 0)");
    // A correlation of a constant series is undefined (null in the JSON): say why, per cascade.
    for (std::size_t c = 0; report.replicas > 0 && c < report.cascade_events.size(); ++c)
        if (!std::isfinite(report.pearson[c]))
            out.log("note: cascade " + shortened(cascade_label(names, c), cascade_column_width) + ": the Pearson correlation is undefined (null) because " +
                    (report.cascade_events[c] == 0 ? std::string("it has no event in the test window (its inverse L1 compares "
                                                                 "the simulations with silence)")
                                                   : std::string("its real or simulated series is the same in every bin")));
    run_checked_on_root(comm, [&] {
        if (output) {
            io::write_evaluation(output->temp_path(), o.out.string(), report,
                                 {o.data.string(), o.params.string(), std::string(name_of(params.variant)),
                                  data.header.time_unit, o.seed, names});
            output->commit();
        }
        if (parsed->json) out.print_json(json_of(report, o, names, comm.size(), out.elapsed()));
        else out.print(text_of(report, o, names, data.header) + (o.out.empty() ? "" : "\nwrote " + o.out.string() + "\n"));
    });
    return 0;
}

} // namespace

subcommand evaluate_command() {
    return {help, run, [] {
                 evaluate_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
