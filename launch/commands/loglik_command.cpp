// `mic loglik`: the log-likelihood of the events of a window under a params file (SPEC §2, §4):
// total, per cascade, and per user, with users sharded across ranks.
#include <cstdio>
#include <optional>
#include <sstream>

#include "engine/distributed/checked_section.hpp"
#include "engine/distributed/partition.hpp"
#include "engine/distributed/plan_broadcast.hpp"
#include "engine/jobs/loglik_job.hpp"
#include "engine/support/error.hpp"
#include "engine/likelihood/shard_kernels.hpp"
#include "engine/support/text_format.hpp"
#include "io/atomic_output.hpp"
#include "io/dataset_file.hpp"
#include "io/output_paths.hpp"
#include "io/params_file.hpp"
#include "io/per_user_table.hpp"
#include "io/shard_read.hpp"
#include "launch/cli/console.hpp"
#include "launch/commands/commands.hpp"
#include "launch/options/loglik_options.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "loglik",
    "--data D.h5 --params P.h5 [--from a | --test] [--to b] [--per-user F] [--json]",
    "Log-likelihood of the events in a time window (a, b] under a params file: total, per cascade, per user.",
    "Scores the events e with a < t_e <= b (a excluded, b included) under the model of the params file:\n"
    "    L = sum_e [ log lambda_u(t_e) + log f_u(c_e | t_e) ]  -  sum_u integral_a^b lambda_u(t) dt\n"
    "The intensities are conditioned on ALL earlier history, including the events at or before a: those\n"
    "excite the window but are not scored. So with --from at the end of a training period, L is the\n"
    "held-out log-likelihood of what followed, given everything before it. The default window is the\n"
    "dataset's observation window [t_start, t_end]: a window that starts at t_start scores the events at\n"
    "t_start too, since nothing precedes them;\n"
    "the window must lie inside [t_start, t_end], where the data say what happened.\n\n"
    "Per cascade, each event counts for its cascade and the compensator is split by nu_u^c, so the\n"
    "per-cascade values add up to L; so do the per-user values L_u written by --per-user. Users are\n"
    "sharded across MPI ranks (each rank reads only its users' and their in-neighbours' events); the\n"
    "totals agree across rank counts to about 1e-15 relative. The params file must belong to the\n"
    "dataset: same users, cascades and in-neighbour lists (as written by `mic fit --data D.h5`).",
    "  mic loglik --data data.h5 --params fit.h5\n"
    "  mic loglik --data data.h5 --params fit.h5 --from 800 --json        # held-out events after t = 800\n"
    "  mic loglik --data data.h5 --params fit.h5 --test                   # everything after fit.h5's training window\n"
    "  mic loglik --data tweets.h5 --params fit.h5 --from 2024-03-01 --to 2024-03-08   # ISO-8601 imports\n"
    "  mpirun -n 8 mic loglik --data data.h5 --params fit.h5 --per-user users.csv --force",
};

std::string name_or_id(const std::vector<std::string>& names, std::int32_t id) {
    return names.empty() ? std::to_string(id) : names[static_cast<std::size_t>(id)];
}

void check_sizes_match(const model_params& p, const dataset_header& h, const loglik_options& o) {
    if (p.n_users != h.n_users || p.n_cascades != h.n_cascades)
        throw input_error(o.params.string() + ": the parameters are for " + std::to_string(p.n_users) + " users and " +
                          std::to_string(p.n_cascades) + " cascades but " + o.data.string() + " has " +
                          std::to_string(h.n_users) + " users and " + std::to_string(h.n_cascades) +
                          " cascades; use the params fitted on this dataset");
}

std::string fixed(const char* format, double x) {
    char text[64];
    std::snprintf(text, sizeof text, format, x);
    return text;
}

std::string to_text(const loglik_result& r, const model_params& p, likelihood_window w, const dataset_header& h,
                    const io::dataset_names& names, const loglik_options& o, int n_ranks) {
    std::ostringstream t;
    const std::string unit = h.time_unit.empty() ? "" : " " + h.time_unit;
    t << "log-likelihood of " << o.data.string() << " under " << o.params.string() << "\n"
      << "model         " << name_of(p.variant) << " ("
      << (mixing_of(p.variant) == mixing_kind::boltzmann ? "beta = " + shortest(p.beta) + ", " : std::string())
      << "tau = " << shortest(p.tau)
      << ")\n"
      << "window        " << to_string(w) << unit << "\n"
      << "users         " << with_thousands(h.n_users) << " on " << n_ranks << (n_ranks == 1 ? " rank\n" : " ranks\n")
      << "events        " << with_thousands(r.n_events) << " scored\n"
      << "loglik        " << fixed("%.15g", r.loglik) << "\n";
    if (r.impossible_events > 0)
        t << "impossible    " << with_thousands(r.impossible_events) << " events have probability 0 under these params\n";
    if (r.n_events > 0) t << "per event     " << fixed("%.6g", r.loglik / double(r.n_events)) << "\n";
    char line[256];
    std::snprintf(line, sizeof line, "\n  %-24s %12s %22s\n", "cascade", "events", "loglik");
    t << line;
    for (std::size_t c = 0; c < r.per_cascade.size(); ++c) {
        std::snprintf(line, sizeof line, "  %-24s %12s %22.12g\n", name_or_id(names.cascades, std::int32_t(c)).c_str(),
                      with_thousands(r.per_cascade_events[c]).c_str(), r.per_cascade[c]);
        t << line;
    }
    if (!o.per_user.empty()) t << "\nper-user contributions written to " << o.per_user.string() << "\n";
    return t.str();
}

nlohmann::json to_json(const loglik_result& r, const model_params& p, likelihood_window w, const io::dataset_names& names,
                       const loglik_options& o, int n_ranks, double seconds) {
    nlohmann::json j{{"data", o.data.string()},
                     {"params", o.params.string()},
                     {"model", name_of(p.variant)},
                     {"loglik", r.loglik},
                     {"n_events", r.n_events},
                     {"from", w.from},
                     {"to", w.to}};
    auto& per = j["per_cascade"] = nlohmann::json::array();
    for (std::size_t c = 0; c < r.per_cascade.size(); ++c)
        per.push_back({{"cascade", c},
                       {"name", name_or_id(names.cascades, std::int32_t(c))},
                       {"loglik", r.per_cascade[c]},
                       {"n_events", r.per_cascade_events[c]}});
    j["impossible_events"] = r.impossible_events;
    if (r.first_impossible)
        j["first_impossible"] = {{"user", r.first_impossible->user},
                                 {"cascade", r.first_impossible->cascade},
                                 {"cascade_name", name_or_id(names.cascades, r.first_impossible->cascade)},
                                 {"time", r.first_impossible->time}};
    j["per_user"] = o.per_user.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.per_user.string());
    j["n_ranks"] = n_ranks;
    j["seconds"] = seconds;
    return j;
}

int run(std::span<const std::string> args, const communicator& comm) {
    loglik_options options;
    const auto parsed = parse_on_all_ranks(help, describe_options(options), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "loglik");
    // Why this cannot hang: every rank has the same options, so every rank takes the same branches
    // and reaches the same collectives in the same order; work that may throw runs inside
    // run_checked / run_checked_on_root (or the collective readers, which agree on errors the same
    // way), so a failure on one rank becomes the same agreed_error on all ranks.

    // 1. Cheap checks on rank 0 before any collective read: the dataset header, the window, and the
    //    --per-user output (its name reserved now, so a clash fails before the work; the temporary
    //    is removed if anything below fails, and renamed only at the end).
    dataset_header header;
    loglik_plan plan;
    std::optional<io::table_format> per_user_format;
    std::optional<io::atomic_output> per_user_output;
    run_checked_on_root(comm, [&] {
        header = io::read_dataset_header(options.data);
        std::optional<double> train_end;
        if (options.test) {
            if (options.from) throw usage_error("--test and --from both give the start of the window; keep one");
            train_end = io::read_params_provenance(options.params).train_end;
            if (!train_end)
                throw input_error(options.params.string() + ": no training window (attribute train_end): it was not "
                                  "written by `mic fit`; give the start of the held-out window with --from");
        }
        plan.window = resolve_window(options, header, options.data.string(), train_end);
        plan.partition = range_partition::even(header.n_users, comm.size());
        if (!options.per_user.empty()) {
            io::check_outputs_apart({{"--per-user", options.per_user}}, {{"--data", options.data}, {"--params", options.params}});
            per_user_format = io::per_user_format(options.per_user);
            per_user_output.emplace(options.per_user, options.force);
        }
    });
    broadcast_plan(comm, plan);
    const likelihood_window& window = plan.window;
    comm.broadcast(header.n_users);
    comm.broadcast(header.n_cascades);

    // 2. The params: rank 0 reads and validates, every rank keeps the rows of its users (collective).
    const model_params params = io::read_params_rows(options.params, comm, std::int32_t(plan.partition.begin(comm.rank())),
                                                     std::int32_t(plan.partition.end(comm.rank())));
    run_checked(comm, [&] { check_sizes_match(params, header, options); });  // same data on every rank

    // 3. Each rank reads its block of users, their in-neighbour lists and the events they need
    //    (collective, parallel HDF5), and evaluates them; evaluate_loglik checks the in-neighbour
    //    lists against /W and reduces the totals in rank order.
    const auto owned = plan.partition.owned(comm.rank());
    const double start = out.elapsed();
    const shard data = io::read_shard(options.data, owned, comm);
    const double read = out.elapsed();
    // The options are the same on every rank (per_user_format is set on rank 0 only).
    const bool per_user = !options.per_user.empty();
    const loglik_report report = run_loglik_job(comm, plan, data, params, options.params.string(), per_user);
    const loglik_result& result = report.totals;
    out.log("rank 0 read " + with_thousands(std::int64_t(data.events.users.size())) + " users' events (" +
            with_thousands(std::int64_t(data.events.time.size())) + ") for its " + with_thousands(std::int64_t(owned.size())) +
            " users in " + fixed("%.3f", read - start) + " s; evaluation took " + fixed("%.3f", out.elapsed() - read) + " s");
    io::per_user_table table;
    table.loglik = report.user_loglik;
    table.n_events = report.user_events;

    // 4. Rank 0 writes the per-user file, then prints (so that a failed write prints no result).
    run_checked_on_root(comm, [&] {
        const io::dataset_names names = io::read_dataset_names(options.data, per_user || result.first_impossible);
        if (const auto& e = result.first_impossible)
            out.warn(with_thousands(result.impossible_events) + " events have probability 0 under " +
                     options.params.string() + ", so the log-likelihood is -inf; the first is user " +
                     name_or_id(names.users, e->user) + ", cascade " + name_or_id(names.cascades, e->cascade) + ", time " +
                     shortest(e->time) + " (a baseline of 0 and no drive into that cascade; refit with --mu-floor > 0)");
        if (per_user) {
            table.names = names.users;
            table.from = window.from;
            table.to = window.to;
            table.total_loglik = result.loglik;
            table.total_events = result.n_events;
            table.data = options.data.string();
            table.params = options.params.string();
            io::write_per_user_table(per_user_output->temp_path(), options.per_user.string(), table, *per_user_format);
            per_user_output->commit();
        }
        if (parsed->json) out.print_json(to_json(result, params, window, names, options, comm.size(), out.elapsed()));
        else out.print(to_text(result, params, window, data.header, names, options, comm.size()));
    });
    return 0;
}

} // namespace

subcommand loglik_command() {
    return {help, run, [] {
                 loglik_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
