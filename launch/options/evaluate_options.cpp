#include "launch/options/evaluate_options.hpp"

namespace mic {

cli::po::options_description describe_options(evaluate_options& o) {
    namespace po = cli::po;
    auto d = cli::options_group("Options");
    d.add_options()
        ("data", cli::path_value(o.data)->required(), "dataset file (HDF5)")
        ("params", cli::path_value(o.params)->required(), "fitted params file (from `mic fit --data` on this dataset)")
        ("out", cli::path_value(o.out), "write the report (every curve, for plotting) to this HDF5 file")
        ("from", bound_value(o.from, "from"),
         "the test window is (a, t_end]: a number in the dataset's time unit, or an ISO-8601 timestamp for datasets "
         "imported with ISO times (default: the params' training window end, train_end)")
        ("train-fraction", cli::optional_value(o.train_fraction)->value_name("F"),
         "the test window starts at the event at quantile F of all events by time (as `mic fit --train-fraction`)")
        ("replicas", po::value(&o.replicas)->default_value(o.replicas)->value_name("N"),
         "simulations of the test window, each from the observed history (0: likelihood only)")
        ("bins", po::value(&o.bins)->default_value(o.bins)->value_name("B"), "bins of the intensity curves")
        ("seed", po::value(&o.seed)->default_value(o.seed)->value_name("S"), "random seed of the simulations")
        ("rank-by", po::value(&o.rank_by)->default_value(o.rank_by)->value_name("WHAT"),
         "'data': the most active users have the most events in the whole dataset; 'test': in the test window")
        ("max-events", po::value(&o.max_events)->default_value(o.max_events)->value_name("N"),
         "stop a replica after N events (0: none for stable models; supercritical ones get 4 x the test window's "
         "real events + 1000)")
        ("force", po::bool_switch(&o.force), "overwrite --out");
    return d;
}

} // namespace mic
