#include "launch/options/generate_options.hpp"

#include <cmath>
#include <sstream>

#include "launch/options/simulate_options.hpp"

namespace mic {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
    if (!text.empty() && text.back() == separator) parts.emplace_back();
    return parts;
}

// A finite number filling all of `text` (surrounding blanks allowed), else nothing.
std::optional<double> to_number(std::string text) {
    const auto first = text.find_first_not_of(" \t"), last = text.find_last_not_of(" \t");
    if (first == std::string::npos) return std::nullopt;
    text = text.substr(first, last - first + 1);
    std::size_t used = 0;
    try {
        const double v = std::stod(text, &used);
        if (used == text.size() && std::isfinite(v)) return v;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

} // namespace

graph_spec parse_graph_spec(const std::string& text) {
    graph_spec g;
    const auto parts = split(text, ':');
    if (parts.size() != 3 || (parts[0] != "er" && parts[0] != "ba")) {
        g.type = graph_spec::kind::edge_file;
        g.file = text;
        return g;
    }
    const auto users = to_number(parts[1]), x = to_number(parts[2]);
    const bool er = parts[0] == "er";
    const auto fail = [&](const std::string& why) {
        throw cli::usage_error("--graph '" + text + "': " + why + "; write er:U:p (e.g. er:50:0.1), ba:U:m (e.g. ba:1000:5) "
                               "or the path of an edge list");
    };
    if (!users || *users < 1 || *users > 2147483647.0 || *users != std::floor(*users)) fail("U must be a positive integer");
    g.n_users = std::int32_t(*users);
    if (!x) fail(er ? "p must be a number" : "m must be an integer");
    if (er) {
        if (*x < 0 || *x > 1) fail("the edge probability p must be in [0, 1]");
        g.type = graph_spec::kind::erdos_renyi;
        g.p = *x;
    } else {
        if (*x < 1 || *x != std::floor(*x) || *x >= *users) fail("m must be an integer with 1 <= m < U");
        g.type = graph_spec::kind::barabasi_albert;
        g.m = std::int32_t(*x);
    }
    return g;
}

std::vector<double> parse_sigma(const std::string& text, std::int32_t& size) {
    const auto rows = split(text, ';');
    std::vector<double> values;
    for (const auto& row: rows) {
        const auto entries = split(row, ',');
        if (entries.size() != rows.size())
            throw cli::usage_error("--sigma '" + text + "': row '" + row + "' has " + std::to_string(entries.size()) +
                                   " entries but there are " + std::to_string(rows.size()) +
                                   " rows; Σ is C×C, rows separated by ';', e.g. \"1,0,0;.71,.29,0;0,0,1\"");
        for (const auto& e: entries) {
            const auto v = to_number(e);
            if (!v) throw cli::usage_error("--sigma '" + text + "': '" + e + "' is not a number");
            values.push_back(*v);
        }
    }
    size = std::int32_t(rows.size());
    return values;  // row-stochasticity is checked with the other parameters (mic::validate)
}

uniform_range parse_range(const std::string& text, const char* option) {
    const auto parts = split(text, ':');
    std::optional<double> low, high;
    if (parts.size() == 2) {
        low = to_number(parts[0]);
        high = to_number(parts[1]);
    }
    if (!low || !high || *low < 0 || *high < *low)
        throw cli::usage_error(std::string("--") + option + " '" + text + "': write low:high with 0 <= low <= high, e.g. 0:0.2");
    return {*low, *high};
}

cli::po::options_description describe_options(generate_options& o) {
    namespace po = cli::po;
    auto d = cli::options_group("Options");
    d.add_options()
        ("out", cli::path_value(o.out)->required(), "dataset file to write (HDF5, SPEC §5)")
        ("truth", cli::path_value(o.truth)->required(), "params file to write: the ground truth that generated the data")
        ("horizon", po::value(&o.horizon)->required()->value_name("T"), "simulate events on (0, T]")
        ("seed", cli::seed_value(o.seed, "seed")->required(),
         "random seed of the graph, the parameters and the events (the events are replica 0 of `mic simulate --seed S`)")
        ("graph", po::value<std::string>()->value_name("SPEC")->notifier([&o](const std::string& s) { o.graph = parse_graph_spec(s); }),
         "er:U:p (Erdős–Rényi, each directed edge with probability p), ba:U:m (Barabási–Albert, m links "
         "per new user, both directions) or an edge list file `source,target` of 0-based ids (source influences target)")
        ("users", po::value<std::int32_t>()->value_name("U")->notifier([&o](std::int32_t u) {
             if (u < 1) throw cli::usage_error("--users " + std::to_string(u) + ": must be at least 1");
             o.users = u;
         }),
         "number of users of an edge-list graph (default: largest id + 1)")
        ("params", po::value<std::string>()->value_name("FILE")->notifier([&o](const std::string& s) { o.params = s; }),
         "take μ, W, Σ, β, τ and the model from this params file instead of drawing them (--model, --beta, --tau, "
         "--sigma and --rho-tau override; the drawing options --mu-range, --w-range, --activity-tail and "
         "--baseline-density do not apply)")
        ("model", po::value<std::string>()->value_name("mic|linmic|cc|ic")->notifier([&o](const std::string& s) {
             o.model = parse_model_variant(s);
             if (!o.model) throw cli::usage_error("--model '" + s + "': write mic, linmic, cc or ic");
         }),
         "model variant (default mic)")
        ("beta", cli::optional_value(o.beta)->value_name("B"), "Boltzmann inverse temperature β (default 1)")
        ("tau", cli::optional_value(o.tau)->value_name("T"), "kernel time scale τ (default 1)")
        ("cascades", po::value<std::int32_t>()->value_name("C")->notifier([&o](std::int32_t c) {
             if (c < 1) throw cli::usage_error("--cascades " + std::to_string(c) + ": must be at least 1");
             o.cascades = c;
         }),
         "number of cascades (default: the size of --sigma, else 1)")
        ("sigma", po::value<std::string>()->value_name("ROWS")->notifier([&o](const std::string& s) {
             o.sigma = parse_sigma(s, o.sigma_size);
         }),
         "cascade interaction Σ, row-stochastic, rows separated by ';' (default: identity), e.g. \"1,0,0;.71,.29,0;0,0,1\"")
        ("mu-range", po::value<std::string>()->value_name("a:b")->notifier([&o](const std::string& s) {
             o.mu = parse_range(s, "mu-range");
             o.drawing_options.push_back("--mu-range");
         }),
         "draw every μ_u^c uniformly from [a, b] (default 0:0.2)")
        ("w-range", po::value<std::string>()->value_name("a:b")->notifier([&o](const std::string& s) {
             o.weight = parse_range(s, "w-range");
             o.drawing_options.push_back("--w-range");
         }),
         "draw every edge weight w_vu uniformly from [a, b] (default 0:1)")
        ("activity-tail", po::value<double>()->value_name("A")->notifier([&o](double a) {
             o.activity_tail = a;
             o.drawing_options.push_back("--activity-tail");
         }),
         "heavy-tailed users: multiply user u's baselines by a_u ~ Pareto(A), scaled to mean 1 (A = 1.1: the top "
         "5 % of users make over half of the events; default 0: off)")
        ("baseline-density", po::value<double>()->value_name("D")->notifier([&o](double density) {
             o.baseline_density = density;
             o.drawing_options.push_back("--baseline-density");
         }),
         "keep each mu_u^c with probability D (each user keeps one cascade): users enter other cascades only "
         "through their neighbours (default 1)")
        ("rho-tau", po::value(&o.rho_tau)->default_value(o.rho_tau)->value_name("R"),
         "scale the drawn weights (or those of --params) so that rho(W)*tau = R (e.g. 0.95: near-critical; 0: keep "
         "them as they are)")
        ("method", method_value(o.method), "exact (default) or ogata (thinning: slow reference)")
        ("max-events", cli::count_value(o.max_events, "max-events", std::int64_t(0))->default_value(o.max_events)->value_name("N"),
         "stop a run after N events (0: none for stable parameters; for supercritical ones, rho(W)*tau >= 1, "
         "the default bound is 4 E[n(T)] + 1000)")
        ("time-unit", po::value(&o.time_unit)->value_name("UNIT"), "time unit label stored in the dataset")
        ("force", po::bool_switch(&o.force), "overwrite --out and --truth if they exist");
    return d;
}

} // namespace mic
