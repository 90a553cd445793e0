#include "io/evaluation_file.hpp"

#include <vector>

#include "io/hdf5_file.hpp"

namespace mic::io {

void write_evaluation(const std::filesystem::path& path, const std::string& display_name, const evaluation_report& r,
                      const evaluation_source& source) {
    auto file = hdf5_file::create(path, display_name);
    file.write_int_attribute("mic_evaluation_format", 1);
    file.write_string_attribute("data", source.data);
    file.write_string_attribute("params", source.params);
    file.write_string_attribute("model", source.model);
    file.write_string_attribute("time_unit", source.time_unit);
    file.write_double_attribute("test_from", r.test.from);
    file.write_double_attribute("test_to", r.test.to);
    file.write_double_attribute("loglik", r.loglik);
    file.write_int_attribute("n_events", r.n_events);
    file.write_int_attribute("impossible_events", r.impossible_events);
    file.write_string_attribute("rank_by", r.ranked_by_test ? "test" : "data");
    file.write_int_attribute("replicas", r.replicas);
    file.write_int_attribute("bins", r.bins);
    file.write_int_attribute("truncated_replicas", r.truncated_replicas);
    file.write_int_attribute("seed", std::int64_t(source.seed));

    if (!source.cascade_names.empty()) file.write_strings("/names/cascades", source.cascade_names);
    file.write_array<double>("/heldout/cascade_loglik", r.cascade_loglik);
    file.write_array<std::int64_t>("/heldout/cascade_events", r.cascade_events);
    file.write_array<double>("/heldout/user_loglik", r.user_loglik);
    file.write_array<std::int64_t>("/heldout/user_events", r.user_events);
    file.write_array<double>("/heldout/user_activity", r.user_activity);
    std::vector<double> groups;
    for (const auto& g : r.groups) groups.insert(groups.end(), {g.fraction, double(g.n_users), double(g.n_events), g.loglik, g.mean_per_user});
    file.write_matrix<double>("/heldout/groups", groups, std::int64_t(r.groups.size()), 5);
    if (r.replicas > 0) {
        const auto C = std::int64_t(r.cascade_loglik.size());
        file.write_array<double>("/simulation/bin_edges", r.bin_edges);
        file.write_matrix<double>("/simulation/real_intensity", r.real_intensity, C, r.bins);
        file.write_matrix<double>("/simulation/simulated_intensity", r.simulated_intensity, C, r.bins);
        file.write_matrix<double>("/simulation/simulated_intensity_sd", r.simulated_intensity_sd, C, r.bins);
        file.write_array<double>("/simulation/inverse_l1", r.inverse_l1);
        file.write_array<double>("/simulation/pearson", r.pearson);
        file.write_array<double>("/simulation/simulated_cascade_events", r.simulated_cascade_events);
        file.write_array<double>("/simulation/simulated_cascade_events_sd", r.simulated_cascade_events_sd);
        file.write_array<double>("/simulation/real_cascade_ranked", r.real_cascade_ranked);
        file.write_array<double>("/simulation/simulated_cascade_ranked", r.simulated_cascade_ranked);
        file.write_array<double>("/simulation/simulated_cascade_ranked_sd", r.simulated_cascade_ranked_sd);
        file.write_array<double>("/simulation/real_user_ranked", r.real_user_ranked);
        file.write_array<double>("/simulation/simulated_user_ranked", r.simulated_user_ranked);
        file.write_array<double>("/simulation/simulated_user_ranked_sd", r.simulated_user_ranked_sd);
    }
    file.close();
}

} // namespace mic::io
