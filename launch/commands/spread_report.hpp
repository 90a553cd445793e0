#pragma once
// What `mic spread` prints: the table of average errors (text) or the JSON summary.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "engine/jobs/spread_job.hpp"
#include "launch/options/spread_options.hpp"

namespace mic::cli {

// `collectives`: rank 0's collective calls and payload bytes sent during the run (for scaling studies).
nlohmann::json spread_summary_json(const spread_results& r, const spread_options& o, const std::filesystem::path& csv,
                                   int n_ranks, double seconds, const collective_counts& collectives);
std::string spread_summary_text(const spread_results& r, const spread_options& o, const std::filesystem::path& csv);

} // namespace mic::cli
