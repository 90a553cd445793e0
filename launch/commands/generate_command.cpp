// `mic generate`: a random graph and parameters (or a params file), one simulated event log, and
// the ground truth that produced it.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "engine/distributed/checked_section.hpp"
#include "engine/simulation/expected_activity.hpp"
#include "engine/simulation/graph_generators.hpp"
#include "engine/simulation/spectral_radius.hpp"
#include "engine/support/text_format.hpp"
#include "io/atomic_output.hpp"
#include "io/dataset_file.hpp"
#include "io/integer_edge_list.hpp"
#include "io/output_paths.hpp"
#include "io/params_file.hpp"
#include "launch/cli/console.hpp"
#include "launch/cli/version.hpp"
#include "launch/commands/commands.hpp"
#include "launch/commands/simulation_report.hpp"
#include "launch/options/cascade_limit.hpp"
#include "launch/options/generate_options.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "generate",
    "--out D.h5 --truth P.h5 --seed S --horizon T --graph er:U:p|ba:U:m|FILE [model options]",
    "Simulate a synthetic dataset from a MIC model, and write the model as its ground truth.",
    "The graph is drawn (Erdős–Rényi er:U:p, Barabási–Albert ba:U:m) or read from an edge list; μ_u^c\n"
    "and w_vu are drawn uniformly from --mu-range and --w-range (or read with --params); Σ, β, τ and\n"
    "the model are options. Events are simulated exactly on (0, T] from an empty history (replica 0\n"
    "of `mic simulate --seed S`). Supercritical parameters (rho(W)*tau >= 1) are simulated with a\n"
    "warning and bounded by 4 E[n(T)] + 1000 events unless --max-events is given; without --max-events,\n"
    "any parameters with E[n(T)] above 1e8 are refused. Both files appear together at the end, or\n"
    "neither. The summary compares the events drawn with the\n"
    "closed-form expectation E[n(T)] (Eq. 29). --activity-tail, --baseline-density and --rho-tau draw data\n"
    "like real logs: a few users make most events, most users never start most cascades, and the\n"
    "influence is near-critical.",
    "  mic generate --graph er:50:0.1 --cascades 3 --sigma \"1,0,0;.71,.29,0;0,0,1\" --beta 33.37 --tau 3 \\\n"
    "               --mu-range 0:0.2 --w-range 0:0.1 --horizon 500 --seed 1 --out d.h5 --truth truth.h5\n"
    "  mic generate --graph ba:100000:5 --cascades 10 --w-range 0:0.05 --horizon 100 --seed 7 --out big.h5 --truth big-truth.h5\n"
    "  mic generate --graph ba:300:3 --cascades 4 --beta 5000 --tau 6 --mu-range 0:0.004 --activity-tail 1.1 \\\n"
    "               --baseline-density 0.3 --rho-tau 0.95 --horizon 43200 --time-unit minute --seed 3 --out r.h5 --truth rt.h5",
};

// The graph of an edge-list file of 0-based ids; `users` (--users) may add users without edges.
csr_graph read_edge_file(const std::filesystem::path& path, std::optional<std::int32_t> users) {
    const auto list = io::read_integer_edge_list(path);
    if (list.edges.empty() && !users && !list.header.empty())
        throw input_error(path.string() + ": no edges: its only line, `" + list.header + "`, was read as a header; if it is an "
                          "edge of named users, generate takes 0-based integer ids (for named users: mic import --edges)");
    if (list.edges.empty() && !users)
        throw input_error(path.string() + ": no edges (the file is empty or holds only a header); give `source,target` "
                          "lines of 0-based user ids, or --users N for users without edges");
    const std::int32_t n_users = users.value_or(list.largest_id + 1);
    if (list.largest_id >= n_users)
        throw input_error(path.string() + ": user id " + std::to_string(list.largest_id) + " is not below --users " +
                          std::to_string(n_users) + "; raise --users or fix the edge list");
    return graph_from_edges(n_users, list.edges);
}

csr_graph make_graph(const generate_options& o) {
    if (!o.graph) throw input_error("no graph; give --graph er:U:p, ba:U:m or an edge list (or --params)");
    const graph_spec& g = *o.graph;
    switch (g.type) {
    case graph_spec::kind::erdos_renyi: return erdos_renyi_graph(g.n_users, g.p, o.seed);
    case graph_spec::kind::barabasi_albert: return barabasi_albert_graph(g.n_users, g.m, o.seed);
    case graph_spec::kind::edge_file: break;
    }
    return read_edge_file(g.file, o.users);
}

std::int32_t cascade_count(const generate_options& o, std::int32_t from_file) {
    if (o.cascades && o.sigma_size > 0 && *o.cascades != o.sigma_size)
        throw usage_error("--cascades " + std::to_string(*o.cascades) + " but --sigma is " +
                          std::to_string(o.sigma_size) + "×" + std::to_string(o.sigma_size) + "; make them agree");
    if (o.sigma_size > 0) return o.sigma_size;
    if (o.cascades) {
        if (*o.cascades < 1) throw usage_error("--cascades must be at least 1");
        return *o.cascades;
    }
    return from_file > 0 ? from_file : 1;
}

// The ground truth: drawn on the graph, or read from --params with the given options overriding.
model_params make_truth(const generate_options& o) {
    if (!o.params) {
        parameter_draw spec;
        spec.variant = o.model.value_or(model_variant::mic);
        spec.beta = o.beta.value_or(1.0);
        spec.tau = o.tau.value_or(1.0);
        spec.n_cascades = cascade_count(o, 0);
        check_dense_sigma_fits(spec.n_cascades, "--cascades");
        spec.sigma = o.sigma;
        spec.mu = o.mu;
        spec.weight = o.weight;
        spec.activity_tail = o.activity_tail;
        spec.baseline_density = o.baseline_density;
        spec.rho_tau = o.rho_tau;
        return draw_parameters(make_graph(o), spec, o.seed);
    }
    if (o.graph) throw usage_error("--graph and --params both give the graph; keep one");
    if (!o.drawing_options.empty())
        throw usage_error(o.drawing_options.front() + " with --params: the baselines and weights come from " + o.params->string() +
                          ", nothing is drawn; drop " + o.drawing_options.front() +
                          " (from the command line or the --config file; --rho-tau rescales the file's weights), or draw new "
                          "parameters with --graph");
    if (o.users) throw usage_error("--users with --params: the users and graph come from " + o.params->string() + "; drop --users");
    model_params p = io::read_params(*o.params);
    if (cascade_count(o, p.n_cascades) != p.n_cascades)
        throw input_error(o.params->string() + " has " + std::to_string(p.n_cascades) +
                          " cascades; --cascades and --sigma must agree with it");
    if (o.model) p.variant = *o.model;
    if (o.beta) p.beta = *o.beta;
    if (o.tau) p.tau = *o.tau;
    if (!o.sigma.empty()) p.sigma = o.sigma;
    if (!learns_sigma(p.variant)) p.sigma = identity_sigma(p.n_cascades);
    if (!(o.rho_tau >= 0) || !std::isfinite(o.rho_tau)) throw usage_error("--rho-tau must be a number >= 0 (0: keep the weights)");
    if (o.rho_tau > 0) scale_to_stability(p, o.rho_tau, o.params->string() + " with --rho-tau");
    validate(p, o.params->string() + " with the options of mic generate");
    return p;
}

std::string command_line(std::span<const std::string> args) {
    std::string line = "mic generate";
    for (const auto& a: args) line += " " + a;
    return line;
}

int run(std::span<const std::string> args, const communicator& comm) {
    generate_options o;
    const auto parsed = parse_on_all_ranks(help, describe_options(o), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "generate");
    // A single-process job: rank 0 generates and writes, the other ranks learn the outcome.
    run_checked_on_root(comm, [&] {
        if (!(o.horizon >= 0) || !std::isfinite(o.horizon)) throw usage_error("--horizon must be a finite number >= 0");
        const bool edge_list = o.graph && o.graph->type == graph_spec::kind::edge_file;
        io::check_outputs_apart({{"--out", o.out}, {"--truth", o.truth}},
                                {{"--params", o.params.value_or(std::filesystem::path())},
                                 {"--graph", edge_list ? o.graph->file : std::filesystem::path()}});
        // Both names reserved before any work; the temporaries vanish if anything below fails.
        io::atomic_output data_output(o.out, o.force), truth_output(o.truth, o.force);
        const model_params truth = make_truth(o);
        const auto radius = influence_spectral_radius(truth);
        std::string warning;
        const std::int64_t max_events =
            bounded_max_events(truth, radius.value * truth.tau, o.horizon, o.max_events,
                               o.params ? o.params->string() : std::string("the parameters drawn on --graph"), warning);
        if (!warning.empty()) out.warn(warning);
        out.log(with_thousands(truth.n_users) + " users, " + with_thousands(std::int64_t(truth.in_source.size())) +
                " edges, rho(W)*tau = " + shortest(radius.value * truth.tau) + "; simulating");
        simulation_options so;
        so.horizon = o.horizon;
        so.max_events = max_events;
        so.method = o.method;
        const event_log log = simulator(truth).run_replica(so, o.seed, 0);
        io::params_provenance provenance;
        provenance.command_line = command_line(args);
        provenance.version = version_string();
        io::write_params(truth_output, truth, provenance);
        io::write_dataset(data_output, to_dataset(truth, log, o.horizon, o.time_unit));
        const auto report =
            summarise_run(truth, radius, cascade_counts(log, truth.n_cascades), log.truncated ? 1 : 0, o.horizon);
        io::commit_all({&truth_output, &data_output});  // both files or neither
        nlohmann::json j = to_json(report);
        j["out"] = o.out.string();
        j["truth"] = o.truth.string();
        j["n_edges"] = std::int64_t(truth.in_source.size());
        j["seed"] = o.seed;
        j["method"] = std::string(name_of(o.method));
        j["seconds"] = out.elapsed();
        if (parsed->json) out.print_json(j);
        else out.print("wrote " + o.out.string() + " and " + o.truth.string() + "\n" + to_text(report));
    });
    return 0;
}

} // namespace

subcommand generate_command() {
    return {help, run, [] {
                 generate_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
