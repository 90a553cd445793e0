#pragma once
// The report of `mic evaluate` (HDF5, readable with h5py/h5dump; every curve of the figures):
//
//   /heldout/cascade_loglik, cascade_events (C)      L of the test window per cascade
//   /heldout/user_loglik, user_events, user_activity (U)
//   /heldout/groups (G × 5: fraction, n_users, n_events, loglik, mean per user)   (Table 2)
//   /simulation/bin_edges (B + 1)
//   /simulation/real_intensity, simulated_intensity, simulated_intensity_sd   (C × B, per time unit)
//   /simulation/inverse_l1, pearson (C + 1: cascades, then all cascades together)
//   /simulation/simulated_cascade_events, simulated_cascade_events_sd (C, by cascade id)
//   /simulation/real_cascade_ranked, simulated_cascade_ranked, simulated_cascade_ranked_sd (C)
//   /simulation/real_user_ranked, simulated_user_ranked, simulated_user_ranked_sd (U)
//   root attributes: mic_evaluation_format = 1, data, params, model, test_from, test_to, loglik,
//   n_events, impossible_events, rank_by ("data" or "test"), replicas, bins, truncated_replicas, seed,
//   time_unit.
#include <filesystem>
#include <string>
#include <vector>

#include "engine/jobs/evaluate_job.hpp"

namespace mic::io {

struct evaluation_source {
    std::string data, params, model, time_unit;
    std::uint64_t seed = 0;
    std::vector<std::string> cascade_names;  // the dataset's (empty: it has none); written as /names/cascades
};

// Writes `path` (a temporary of io::atomic_output; `display_name` names it in errors).
void write_evaluation(const std::filesystem::path& path, const std::string& display_name, const evaluation_report& r,
                      const evaluation_source& source);

} // namespace mic::io
