#include "launch/options/layout_options.hpp"

namespace mic {

cli::po::options_description describe_options(layout_options& o) {
    namespace po = cli::po;
    auto& l = o.layout;
    auto d = cli::options_group("Options");
    d.add_options()
        ("params", cli::path_value(o.params)->required(), "fitted params file (HDF5)")
        ("data", cli::path_value(o.data),
         "its dataset: adds the raw-data panel (graph, Sigma = I, empirical shares) and sizes nodes by events")
        ("out", cli::path_value(o.out)->required(), "the layout file to write (HDF5)")
        ("edge-fraction", po::value(&l.edge_fraction)->default_value(l.edge_fraction, "0.2")->value_name("F"),
         "user edges of the model panel: w_vu >= F * (largest w)")
        ("min-sigma", po::value(&l.min_sigma)->default_value(l.min_sigma, "0.05")->value_name("S"),
         "cascade edges: sigma_sc >= S (s != c)")
        ("links", po::value(&l.links_per_cascade)->default_value(l.links_per_cascade)->value_name("K"),
         "cross-layer links per cascade (the largest mu_u^c; the most events in c on the data panel)")
        ("max-user-edges", po::value(&l.max_user_edges)->default_value(l.max_user_edges)->value_name("N"),
         "keep at most the N heaviest user edges per panel")
        ("spread", po::value(&l.spread)->default_value(l.spread, "0.12")->value_name("R"),
         "users are offset by up to R * (smallest cascade distance) around their mixture's barycentre")
        ("seed", po::value(&l.seed)->default_value(l.seed)->value_name("S"), "seed of the layout (positions are a function of it)")
        ("force", po::bool_switch(&o.force), "overwrite --out");
    return d;
}

void check(const layout_options& o) {
    const auto& l = o.layout;
    if (!(l.edge_fraction >= 0 && l.edge_fraction <= 1)) throw cli::usage_error("--edge-fraction must be in [0, 1]");
    if (!(l.min_sigma >= 0 && l.min_sigma <= 1)) throw cli::usage_error("--min-sigma must be in [0, 1]");
    if (l.links_per_cascade < 0) throw cli::usage_error("--links must be >= 0");
    if (l.max_user_edges < 0) throw cli::usage_error("--max-user-edges must be >= 0");
    if (!(l.spread >= 0 && l.spread <= 1)) throw cli::usage_error("--spread must be in [0, 1]");
}

} // namespace mic
