#pragma once
// A time given on the command line (--from, --to, --train-until): a number in the dataset's time
// unit, or an ISO-8601 timestamp for datasets imported with ISO times.
#include <optional>
#include <string>

#include "engine/data/event_data.hpp"
#include "engine/likelihood/shard_kernels.hpp"
#include "launch/cli/option_parsing.hpp"

namespace mic {

// One end of the window given on the command line: a number in the dataset's time unit, or an
// ISO-8601 timestamp (then `value` is in seconds since 1970-01-01T00:00:00Z, converted to the
// dataset's time by dataset_time).
struct window_bound {
    double value = 0;
    bool iso = false;
    std::string text;  // as given, for messages
};

// The option's value: parses a number or an ISO-8601 timestamp into `target`; a syntax error is a
// usage error (exit code 2) naming the option.
cli::po::typed_value<std::string>* bound_value(std::optional<window_bound>& target, const char* option);

// The bound in the dataset's time. An ISO-8601 timestamp needs a dataset whose times have a calendar
// meaning: time t is the instant time_origin + t units, so t = (timestamp − origin) / unit. Throws
// input_error naming --OPTION otherwise.
double dataset_time(const window_bound& bound, const char* option, const dataset_header& header,
                    const std::string& data_name);

// A time of the dataset as people read it: the UTC instant ("2024-03-01T10:00:00Z") when the times
// have a calendar origin (ISO imports: time t is time_origin + t units), else the number (integers
// without an exponent: 1700000000, not 1.7e+09) and, with `unit`, the time unit.
std::string readable_time(double t, const dataset_header& header, bool unit = true);

// A window "(a, b]" / "[a, b]" with both ends as readable_time gives them (without the unit).
std::string readable_window(const likelihood_window& window, const dataset_header& header);

} // namespace mic
