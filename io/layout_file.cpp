#include "io/layout_file.hpp"

#include <vector>

#include "io/hdf5_file.hpp"

namespace mic::io {
namespace {

// An edge list as an E×2 int32 matrix and its E weights.
void write_edges(hdf5_file& file, const std::string& name, const std::string& weight_name, const std::vector<layout_edge>& edges) {
    std::vector<std::int32_t> ends;
    std::vector<double> weights;
    for (const auto& e: edges) ends.insert(ends.end(), {e.from, e.to}), weights.push_back(e.weight);
    file.write_matrix<std::int32_t>(name, ends, std::int64_t(edges.size()), 2);
    file.write_array<double>(weight_name, weights);
}

void write_panel(hdf5_file& file, const std::string& group, const layout_panel& p) {
    const std::int64_t U = p.n_users, C = p.n_cascades;
    file.write_matrix<double>(group + "/cascade_xy", p.cascade_xy, C, 2);
    file.write_matrix<double>(group + "/user_xy", p.user_xy, U, 2);
    file.write_matrix<double>(group + "/user_mixture", p.mixture, U, C);
    file.write_array<double>(group + "/user_size", p.user_size);
    file.write_array<double>(group + "/cascade_size", p.cascade_size);
    write_edges(file, group + "/user_edges", group + "/user_edge_weight", p.user_edges);
    write_edges(file, group + "/cascade_edges", group + "/cascade_edge_weight", p.cascade_edges);
    write_edges(file, group + "/links", group + "/link_weight", p.links);
}

} // namespace

void write_layout(const std::filesystem::path& path, const std::string& display_name, const layout_panel& model,
                  const std::optional<layout_panel>& data, const bilayer_options& options, const layout_source& source) {
    auto file = hdf5_file::create(path, display_name);
    file.write_int_attribute("mic_layout_format", 1);
    file.write_string_attribute("params", source.params);
    file.write_string_attribute("data", source.data);
    file.write_string_attribute("model", source.model);
    file.write_double_attribute("beta", source.beta);
    file.write_double_attribute("tau", source.tau);
    file.write_double_attribute("rho_tau", source.rho_tau);
    file.write_string_attribute("mixture_method", source.mixture_method);
    file.write_string_attribute("size_source", source.size_source);
    file.write_string_attribute("time_unit", source.time_unit);
    file.write_double_attribute("edge_fraction", options.edge_fraction);
    file.write_double_attribute("min_sigma", options.min_sigma);
    file.write_int_attribute("links_per_cascade", options.links_per_cascade);
    file.write_int_attribute("max_user_edges", options.max_user_edges);
  file.write_int_attribute("seed", std::int64_t(options.seed));
    if (!source.cascade_names.empty()) file.write_strings("/names/cascades", source.cascade_names);
    write_panel(file, "/model", model);
    if (data) write_panel(file, "/data", *data);
    file.close();
}

} // namespace mic::io
