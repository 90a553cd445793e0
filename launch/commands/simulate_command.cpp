// `mic simulate`: N replicas of a params file's model, spread over the ranks.
#include <cmath>
#include <deque>

#include "engine/distributed/checked_section.hpp"
#include "engine/simulation/spectral_radius.hpp"
#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
#include "io/atomic_output.hpp"
#include "io/dataset_file.hpp"
#include "io/output_paths.hpp"
#include "io/params_file.hpp"
#include "launch/cli/console.hpp"
#include "launch/commands/commands.hpp"
#include "launch/commands/simulation_report.hpp"
#include "launch/options/simulate_options.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "simulate",
    "--params P.h5 --horizon T --replicas N --seed S --out PREFIX [--method exact|ogata] [--max-events N]",
    "Simulate event logs from a params file; replica k is written to PREFIX-<k>.h5.",
    "Replicas are spread over the ranks (replica k on rank k mod size) and replica k depends only on\n"
    "(S, k), so the files are the same whatever the number of ranks. Each replica starts from an empty\n"
    "history at t = 0 and is drawn exactly (O(log U) per event); --method ogata uses thinning, the slow\n"
    "reference. Supercritical parameters (rho(W)*tau >= 1, common in fits of real data) are run with a\n"
    "warning and each replica is bounded by 4 E[n(T)] + 1000 events unless --max-events is given. Without\n"
    "--max-events, any parameters whose E[n(T)] exceeds 1e8 events are refused. All N file names are\n"
    "reserved before the first replica is drawn, and the files appear together at the end (none on failure).\n"
    "The summary gives the events per cascade (mean ± standard error over replicas) beside the\n"
    "closed-form expectation E[n(T)] (Eq. 29). A params file holds no names: with --data (the dataset\n"
    "the params were fitted on) the replicas get its user and cascade names and its time unit, so that\n"
    "they read like the data; their times still start at 0.",
    "  mic simulate --params truth.h5 --horizon 500 --replicas 10 --seed 1 --out runs/sim\n"
    "  mic simulate --params fit.h5 --data tweets.h5 --horizon 1440 --replicas 20 --seed 3 --out runs/like-tweets\n"
    "  mpirun -n 4 mic simulate --params fit.h5 --horizon 30 --replicas 100 --seed 7 --out sims/r --json",
};

// At most this many replicas (each a file; every rank keeps replicas × cascades counts).
constexpr std::int64_t max_replicas = 100000;

// --data must hold the users, cascades and influence graph of the params (the names are matched to
// them by index).
void check_same_dataset(const simulate_options& o, const model_params& params) {
    const io::dataset_index index = io::read_dataset_index(o.data, false);
    const std::string fix = "; give the dataset the params were fitted on, or drop --data";
    if (index.header.n_users != params.n_users || index.header.n_cascades != params.n_cascades)
        throw input_error(o.data.string() + " (--data): it has " + with_thousands(index.header.n_users) + " users and " +
                          with_thousands(index.header.n_cascades) + " cascades but " + o.params.string() + " has " +
                          with_thousands(params.n_users) + " and " + with_thousands(params.n_cascades) + fix);
    if (index.in_offsets != params.in_offsets || index.in_source != params.in_source)
        throw input_error(o.data.string() + " (--data): its influence graph differs from that of " + o.params.string() + fix);
}

// Commits this rank's replicas, agreeing with the others (collective). When any rank fails, every
// rank retracts the files it committed: the run leaves all its replicas or none.
void commit_replicas(const communicator& comm, std::deque<io::atomic_output>& outputs) {
    try {
        run_checked(comm, [&] {
            for (auto& output: outputs) output.commit();
        });
    } catch (const agreed_error&) {
        for (auto& output: outputs) output.retract();
        throw;
    }
}

int run(std::span<const std::string> args, const communicator& comm) {
    simulate_options o;
    const auto parsed = parse_on_all_ranks(help, describe_options(o), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "simulate");
    const model_params params = io::read_params(o.params, comm);  // collective: rank 0 reads, all receive
    // Every rank computes the same figure from the same parameters, so all agree on refusing.
    spectral_radius_estimate radius;
    std::string warning;
    run_checked(comm, [&] {
        if (!(o.horizon >= 0) || !std::isfinite(o.horizon)) throw usage_error("--horizon must be a finite number >= 0");
        if (o.replicas > max_replicas)
            throw usage_error("--replicas " + std::to_string(o.replicas) + ": at most " + std::to_string(max_replicas) +
                              " (one file each); run several jobs with different --seed and --out");
        radius = influence_spectral_radius(params);
        o.max_events = bounded_max_events(params, radius.value * params.tau, o.horizon, o.max_events, o.params.string(), warning);
    });
    if (!warning.empty()) out.warn(warning);
    // --data: its names and time unit for the replicas. Rank 0 checks that it is the params' dataset (the
    // whole graph); then every rank reads the names (each writes its own replicas).
    io::dataset_names names;
    std::string time_unit = o.time_unit;
    if (!o.data.empty()) {
        run_checked_on_root(comm, [&] { check_same_dataset(o, params); });
        run_checked(comm, [&] {
            names = io::read_dataset_names(o.data, true);
            if (time_unit.empty()) time_unit = io::read_dataset_header(o.data).time_unit;
        });
    }

    // Every replica's name reserved before the first is drawn: each rank reserves its own
    // (k ≡ rank mod size); a clash anywhere fails the run on every rank before any work.
    std::deque<io::atomic_output> outputs;  // this rank's replicas, in the order it draws them
    run_checked(comm, [&] {
        for (std::int64_t k = comm.rank(); k < o.replicas; k += comm.size()) {
            const auto path = replica_path(o.out, k);
            io::check_outputs_apart({{"--out", path}}, {{"--params", o.params}, {"--data", o.data}});
            outputs.emplace_back(path, o.force);
        }
    });
    out.log(std::to_string(o.replicas) + " replica(s) of " + with_thousands(params.n_users) + " users on " +
            std::to_string(comm.size()) + " rank(s)");

    const std::size_t C = std::size_t(params.n_cascades);
    std::vector<std::int64_t> counts(std::size_t(o.replicas) * C, 0);  // replica k's row is filled by its rank
    std::int64_t truncated = 0;
    // No collective inside: each rank draws its own replicas into their reserved temporaries.
    run_checked(comm, [&] {
        const simulator sim(params);
        simulation_options so;
        so.horizon = o.horizon;
        so.max_events = o.max_events;
        so.method = o.method;
        std::size_t mine = 0;
        for (std::int64_t k = comm.rank(); k < o.replicas; k += comm.size()) {
            const event_log log = sim.run_replica(so, o.seed, std::uint64_t(k));
            dataset replica = to_dataset(params, log, o.horizon, time_unit);
            replica.user_names = names.users;
            replica.cascade_names = names.cascades;
            io::write_dataset(outputs[mine++], replica);
            const auto n = cascade_counts(log, params.n_cascades);
            std::copy(n.begin(), n.end(), counts.begin() + std::ptrdiff_t(std::size_t(k) * C));
            truncated += log.truncated ? 1 : 0;
            out.progress("replicas", double(k + 1) / double(o.replicas));  // rank 0's share
        }
    });
    // Every rank reaches these two reductions (run_checked above threw on all ranks or on none).
    comm.sum(std::span(counts));
    truncated = comm.sum(truncated);

    run_report report;  // on rank 0, before the commit: a failure here leaves no file either
    run_checked_on_root(comm, [&] { report = summarise_run(params, radius, counts, truncated, o.horizon); });
    commit_replicas(comm, outputs);  // the files appear only now, all together
    run_checked_on_root(comm, [&] {
        nlohmann::json j = to_json(report);
        j["files"] = nlohmann::json::array();
        for (std::int64_t k = 0; k < o.replicas; ++k) j["files"].push_back(replica_path(o.out, k).string());
        j["seed"] = o.seed;
        j["method"] = std::string(name_of(o.method));
        j["n_ranks"] = comm.size();
        j["seconds"] = out.elapsed();
        if (parsed->json) out.print_json(j);
        else out.print("wrote " + replica_path(o.out, 0).string() + (o.replicas > 1 ? " .. " + replica_path(o.out, o.replicas - 1).string() : "") +
                       "\n" + to_text(report));
    });
    return 0;
}

} // namespace

subcommand simulate_command() {
    return {help, run, [] {
                 simulate_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
