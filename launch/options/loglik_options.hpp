#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "engine/data/event_data.hpp"
#include "engine/likelihood/shard_kernels.hpp"
#include "launch/cli/option_parsing.hpp"
#include "launch/options/time_bound.hpp"

namespace mic {

// `mic loglik`: the log-likelihood of the events in (from, to] under a params file.
struct loglik_options {
    std::filesystem::path data;
    std::filesystem::path params;
    std::optional<window_bound> from;  // default: the dataset's t_start
    std::optional<window_bound> to;    // default: the dataset's t_end
    bool test = false;                 // --test: from the params' train_end (the held-out part of its fit)
    std::filesystem::path per_user;    // optional: every user's contribution, .csv or .h5
    bool force = false;                // overwrite --per-user
};

cli::po::options_description describe_options(loglik_options& options);

// The window (a, b] of the options for a dataset with `header` (named `data_name` in messages):
// defaults [t_start, t_end] (see dataset_window). An ISO-8601 bound becomes (timestamp − time_origin) / time_unit.
// Throws mic::input_error naming the option when a bound is an ISO-8601 timestamp but the dataset's
// times have no calendar origin or unit of fixed length (s, min, h, d), when a ≥ b, or when the
// window reaches outside the observation window [t_start, t_end] (the data say nothing there).
// With `train_end` (given when --test), a = train_end.
likelihood_window resolve_window(const loglik_options& options, const dataset_header& header,
                                 const std::string& data_name, std::optional<double> train_end = {});

} // namespace mic
