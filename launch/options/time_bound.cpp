#include "launch/options/time_bound.hpp"

#include <cmath>
#include <cstdio>

#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
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

namespace {

// The calendar instant of time t in seconds since the Unix epoch, when the dataset's times have one.
std::optional<double> calendar_seconds(double t, const dataset_header& header) {
    const double unit = io::seconds_per_time_unit(header.time_unit);
    if (header.time_origin.empty() || unit == 0 || !std::isfinite(t)) return std::nullopt;
    try {
        const double seconds = io::parse_iso8601_seconds(header.time_origin) + t * unit;
        // Beyond about the year 9900 (or before year 0) no calendar date is printed: the number is.
        if (!(std::abs(seconds) < 2.5e11)) return std::nullopt;
        return seconds;
    } catch (const io::time_syntax_error&) {
        return std::nullopt;  // a bad origin is reported where it is used for an option
    }
}

// Integers as integers (times in seconds since 1970 are ~1.7e9), other values in shortest form.
std::string plain_number(double t) {
    if (t == std::floor(t) && std::abs(t) < 1e15) {
        char text[32];
        std::snprintf(text, sizeof text, "%.0f", t);
        return text;
    }
    return shortest(t);
}

} // namespace

std::string readable_time(double t, const dataset_header& header, bool unit) {
    if (const auto seconds = calendar_seconds(t, header)) return io::format_iso8601(*seconds);
    return plain_number(t) + (unit && !header.time_unit.empty() ? " " + header.time_unit : "");
}

std::string readable_window(const likelihood_window& window, const dataset_header& header) {
    if (!calendar_seconds(window.from, header) || !calendar_seconds(window.to, header)) return to_string(window);
    std::string text = window.includes_from ? "[" : "(";  // appended: `"(" + string` trips GCC 12's -Wrestrict
    return text.append(readable_time(window.from, header, false)).append(", ").append(readable_time(window.to, header, false)).append("]");
}

} // namespace mic
