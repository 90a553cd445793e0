// `mic generate-topics`: a synthetic topic dataset from a random IDM-CTMP chain (a known answer for
// `mic spread`), engine/ctmp/topic_simulation.hpp.
#include <filesystem>

#include "engine/ctmp/topic_simulation.hpp"
#include "engine/distributed/checked_section.hpp"
#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
#include "io/dataset_file.hpp"
#include "launch/cli/console.hpp"
#include "launch/commands/commands.hpp"

namespace mic::cli {
namespace {

struct generate_topics_options {
    std::filesystem::path out;
    std::int32_t users = 0;
    std::int32_t topics = 0;
    std::uint64_t seed = 0;
    double days = 22.0;
    double mean_out_degree = 3.0, rate_min = 1.0, rate_max = 12.0, absorbing = 0.15;
    std::string time_unit = "day";
    bool force = false;
};

const subcommand_help help{
    "generate-topics",
    "--users U --topics N --seed S --out D.h5 [--days T] [chain options]",
    "Simulate topics spreading over users as a random continuous-time Markov chain (data for `mic spread`).",
    "Draws a random sparse chain (random_ctmp_model: out-degree 1 .. 2*--mean-out-degree - 1, log-uniform\n"
    "rates in [--rate-min, --rate-max], a fraction --absorbing of users absorbing) and simulates --topics\n"
    "topics on [0, --days]: each starts at a random user at a uniform time; each post by i is followed,\n"
    "after an Exp(q_i) delay, by a post by j ~ S_i. Events are grouped by user, cascades are the topics,\n"
    "and the graph holds the chain's edges. The chain is drawn with seed S and the topics with seed S + 1.",
    "  mic generate-topics --users 150 --topics 6000 --days 22 --seed 5 --out topics.h5\n"
    "  mic spread --data topics.h5 --train-until 12 --window 1 --periods 10 --out r.h5",
};

po::options_description describe_options(generate_topics_options& o) {
    auto d = options_group("Options");
    d.add_options()
        ("users", po::value(&o.users)->required()->value_name("U"), "number of users")
        ("topics", po::value(&o.topics)->required()->value_name("N"), "number of topics (cascades)")
        ("seed", cli::seed_value(o.seed, "seed")->required(), "random seed")
        ("out", path_value(o.out)->required(), "dataset file to write (HDF5)")
        ("days", po::value(&o.days)->default_value(22.0)->value_name("T"), "length of the observation window [0, T]")
        ("mean-out-degree", po::value(&o.mean_out_degree)->default_value(3.0)->value_name("D"), "mean number of targets per user")
        ("rate-min", po::value(&o.rate_min)->default_value(1.0)->value_name("R"), "smallest jump rate q_i")
        ("rate-max", po::value(&o.rate_max)->default_value(12.0)->value_name("R"), "largest jump rate q_i")
        ("absorbing", po::value(&o.absorbing)->default_value(o.absorbing, shortest(o.absorbing))->value_name("F"), "fraction of absorbing users")
        ("time-unit", po::value(&o.time_unit)->default_value("day")->value_name("UNIT"), "time unit stored in the dataset")
        ("force", po::bool_switch(&o.force), "overwrite --out if it exists");
    return d;
}

void check(const generate_topics_options& o) {
    if (o.users < 1) throw usage_error("--users must be >= 1");
    if (o.topics < 1) throw usage_error("--topics must be >= 1");
    if (!(o.days > 0.0) || !std::isfinite(o.days)) throw usage_error("--days must be a positive number");
    if (!(o.mean_out_degree >= 1.0)) throw usage_error("--mean-out-degree must be >= 1");
    if (!(o.rate_min > 0.0 && o.rate_max >= o.rate_min && std::isfinite(o.rate_max)))
        throw usage_error("--rate-min and --rate-max must satisfy 0 < min <= max");
    if (!(o.absorbing >= 0.0 && o.absorbing < 1.0)) throw usage_error("--absorbing must be in [0, 1)");
    if (!o.force && std::filesystem::exists(o.out))
        throw input_error(o.out.string() + ": exists; choose another name or add --force");
}

int run(std::span<const std::string> args, const communicator& comm) {
    generate_topics_options o;
    const auto parsed = parse_on_all_ranks(help, describe_options(o), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "generate-topics");
    // A single-process job: rank 0 simulates and writes, the other ranks learn the outcome.
    run_checked_on_root(comm, [&] {
        check(o);
        const auto chain = random_ctmp_model({.n_users = o.users, .mean_out_degree = o.mean_out_degree,
                                              .rate_min = o.rate_min, .rate_max = o.rate_max,
                                              .absorbing_fraction = o.absorbing}, o.seed);
        const auto data = simulate_topics(chain, {.n_topics = o.topics, .t_end = o.days, .seed = o.seed + 1,
                                                  .time_unit = o.time_unit});
        io::write_dataset(o.out, data, o.force);
        const auto n_events = static_cast<std::int64_t>(data.events.time.size());
        if (parsed->json)
            out.print_json({{"out", o.out.string()}, {"n_users", o.users}, {"n_topics", o.topics},
                            {"n_events", n_events}, {"n_edges", static_cast<std::int64_t>(data.graph.in_source.size())},
                            {"seed", o.seed}, {"seconds", out.elapsed()}});
        else
            out.print("wrote " + o.out.string() + ": " + with_thousands(o.users) + " users, " + with_thousands(o.topics) +
                      " topics, " + with_thousands(n_events) + " posts\n");
    });
    return 0;
}

} // namespace

subcommand generate_topics_command() {
    return {help, run, [] {
                 generate_topics_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
