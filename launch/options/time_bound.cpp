#include "launch/options/time_bound.hpp"

#include "engine/support/error.hpp"
#include "io/time_parse.hpp"

namespace mic {

cli::po::typed_value<std::string>* bound_value(std::optional<window_bound>& target, const char* option) {
    return cli::po::value<std::string>()->value_name("T")->notifier([&target, option](const std::string& text) {
        try {
            const bool iso = io::looks_like_iso8601(text);
            target = window_bound{iso ? io::parse_iso8601_seconds(text) : io::parse_finite_number(text), iso, text};
        } catch (const io::time_syntax_error& e) {
            throw cli::usage_error(std::string("--") + option + " '" + text + "': " + e.what() +
                                   "; give a number in the dataset's time unit or an ISO-8601 timestamp");
        }
    });
}

double dataset_time(const window_bound& bound, const char* option, const dataset_header& header,
                    const std::string& data_name) {
    if (!bound.iso) return bound.value;
    const std::string given = std::string("--") + option + " " + bound.text;
    const double unit = io::seconds_per_time_unit(header.time_unit);
    const std::string as_number = "; give --" + std::string(option) + " as a number in the dataset's time unit";
    if (header.time_origin.empty())
        throw input_error(given + " is a calendar timestamp, but the times of " + data_name +
                          " are plain numbers without a calendar origin (no time_origin attribute)" + as_number);
    if (unit == 0)
        throw input_error(given + " is a calendar timestamp, but the time unit of " + data_name + " ('" +
                          header.time_unit + "') is not one of s, min, h, d" + as_number);
    double origin = 0;
    try {
        origin = io::parse_iso8601_seconds(header.time_origin);
    } catch (const io::time_syntax_error& e) {
        throw input_error(data_name + ": attribute time_origin '" + header.time_origin + "': " + e.what() +
                          as_number);
    }
    return (bound.value - origin) / unit;
}

} // namespace mic
