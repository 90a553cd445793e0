#include "launch/options/simulate_options.hpp"

namespace mic {

cli::po::typed_value<std::string>* method_value(simulation_method& target) {
    return cli::po::value<std::string>()->value_name("exact|ogata")->notifier([&target](const std::string& s) {
        const auto method = parse_simulation_method(s);
        if (!method) throw cli::usage_error("--method '" + s + "': write exact (default) or ogata (slow reference)");
        target = *method;
    });
}

std::filesystem::path replica_path(const std::string& prefix, std::int64_t replica) {
    return prefix + "-" + std::to_string(replica) + ".h5";
}

cli::po::options_description describe_options(simulate_options& o) {
    namespace po = cli::po;
    auto d = cli::options_group("Options");
    d.add_options()
        ("params", cli::path_value(o.params)->required(), "params file (HDF5, SPEC §5) of the model to simulate")
        ("horizon", po::value(&o.horizon)->required()->value_name("T"), "simulate events on (0, T], from an empty history")
        ("replicas", cli::count_value(o.replicas, "replicas", std::int64_t(1))->default_value(o.replicas)->value_name("N"),
         "number of independent event logs; replica k is written to PREFIX-<k>.h5")
        ("seed", cli::seed_value(o.seed, "seed")->required(),
         "random seed: replica k depends only on (S, k), whatever the number of ranks")
        ("out", po::value(&o.out)->required()->value_name("PREFIX"), "output prefix (may include a directory)")
        ("method", method_value(o.method), "exact (default: exact sampling, O(log U) per event) or ogata (thinning, O(U) per event)")
        ("max-events", cli::count_value(o.max_events, "max-events", std::int64_t(0))->default_value(o.max_events)->value_name("N"),
         "stop a run after N events (0: none for stable parameters; for supercritical ones, rho(W)*tau >= 1, "
         "the default bound is 4 E[n(T)] + 1000)")
        ("time-unit", po::value(&o.time_unit)->value_name("UNIT"), "time unit label stored in the datasets (default: that of --data)")
        ("data", cli::path_value(o.data),
         "the dataset the params were fitted on (optional): the replicas get its user and cascade names and its time "
         "unit; its users, cascades and graph must be those of --params")
        ("force", po::bool_switch(&o.force), "overwrite existing output files");
    return d;
}

} // namespace mic
