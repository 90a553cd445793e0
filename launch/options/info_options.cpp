#include "launch/options/info_options.hpp"

namespace mic {

cli::po::options_description describe_options(info_options& o) {
    auto d = cli::options_group("Options");
    d.add_options()
        ("data", cli::path_value(o.data)->required(), "dataset file (HDF5, as written by `mic import` or `mic generate`)")
        ("top", cli::count_value(o.top, "top", 0)->default_value(o.top)->value_name("K"), "list the K most active users");
    return d;
}

} // namespace mic
