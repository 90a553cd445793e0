#pragma once
// `mic spread`: IDM-CTMP fitted on the events up to --train-until, its spreading-size series over
// --periods windows of width --window after the cut, scored against the truth and the Independent
// Cascade baseline (SPEC §3).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "engine/jobs/spread_job.hpp"
#include "engine/data/event_data.hpp"
#include "launch/cli/option_parsing.hpp"
#include "launch/options/time_bound.hpp"

namespace mic {

struct spread_options {
    std::filesystem::path data, out;
    std::optional<window_bound> train_until;  // required
    std::string window;                  // a duration: "2.5" (dataset units) or "1d", "12h", "30min", "45s"
    std::int64_t periods = 0;
    std::int64_t top_k = 100, random_k = 100;
    std::uint64_t seed = 1;
    bool follow_graph = false;
    double min_delay = 0.0;
    std::int64_t max_terms = 10'000'000;
    double tolerance = 1e-8;
    std::string method = "uniformization";
    std::int64_t taylor_steps = 1000;
    std::optional<std::string> ic_step;  // a duration, default = window
    std::int64_t ic_runs = 1000;
    bool extrapolate_posts = false;
    bool force = false;
};

cli::po::options_description describe_options(spread_options& options);

// A duration in the dataset's time unit: a plain number is taken as is; a number with a suffix s,
// min, h or d is converted when the dataset's time unit has a fixed length (s, min, h, d). Throws
// input_error naming `option` otherwise (or when the duration is not > 0 and finite).
double parse_duration(const std::string& text, const std::string& option, const std::string& time_unit);

// The engine's plan of a run, resolved against the dataset header and checked.
// Throws input_error (one line naming the option and the fix) for: --periods ≤ 0, --train-until
// not strictly inside (t_start, t_end), test periods reaching past t_end, a bad duration or method,
// negative counts or tolerances.
spread_plan resolve_plan(const spread_options& options, const dataset_header& header, const std::string& data_name);

} // namespace mic
