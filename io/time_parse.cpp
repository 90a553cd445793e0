#include "io/time_parse.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

namespace mic::io {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

[[noreturn]] void not_iso(std::string_view text) {
    throw time_syntax_error("time " + quoted(text) +
                            " is not an ISO-8601 timestamp; write YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.fff]], "
                            "optionally followed by Z or an offset such as +02:00");
}

[[noreturn]] void out_of_range(std::string_view text, const char* what, int value, const std::string& allowed) {
    throw time_syntax_error("time " + quoted(text) + " has " + what + " " + std::to_string(value) + "; " + allowed);
}

// Reads exactly `n` digits at `pos`, advancing it.
int digits(std::string_view text, std::size_t& pos, std::size_t n) {
    if (pos + n > text.size()) not_iso(text);
    int value = 0;
    for (std::size_t k = 0; k < n; ++k, ++pos) {
        if (!is_digit(text[pos])) not_iso(text);
        value = 10 * value + (text[pos] - '0');
    }
    return value;
}

bool take(std::string_view text, std::size_t& pos, char c) {
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

// Seconds east of UTC of an offset "Z", "±HH:MM", "±HHMM" or "±HH" at `pos`, which must end the text.
std::int64_t utc_offset_seconds(std::string_view text, std::size_t pos) {
    if (pos == text.size()) return 0;
    if (text[pos] == 'Z' || text[pos] == 'z') {
        if (pos + 1 != text.size()) not_iso(text);
        return 0;
    }
    if (text[pos] != '+' && text[pos] != '-') not_iso(text);
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    const int hours = digits(text, pos, 2);
    int minutes = 0;
    if (pos < text.size()) {
        take(text, pos, ':');
        minutes = digits(text, pos, 2);
    }
    if (pos != text.size()) not_iso(text);
    if (hours > 23) out_of_range(text, "offset hour", hours, "offset hours run 00-23");
    if (minutes > 59) out_of_range(text, "offset minute", minutes, "offset minutes run 00-59");
    return sign * (3600 * std::int64_t{hours} + 60 * std::int64_t{minutes});
}

} // namespace

std::int64_t days_from_civil(std::int64_t year, int month, int day) {
    // Count from 0000-03-01 so that the leap day is the last day of a "year"; 400-year eras have
    // 146097 days; 719468 is the day number of 1970-01-01 in that count.
    const std::int64_t y = year - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t year_of_era = y - era * 400;                                             // [0, 399]
    const std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;  // [0, 365]
    const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

double seconds_per_time_unit(std::string_view unit) {
    if (unit == "s" || unit == "sec" || unit == "second" || unit == "seconds") return 1;
    if (unit == "min" || unit == "minute" || unit == "minutes") return 60;
    if (unit == "h" || unit == "hour" || unit == "hours") return 3600;
    if (unit == "d" || unit == "day" || unit == "days") return 86400;
    return 0;
}

std::string format_iso8601(double seconds) {
    // Milliseconds, rounded, split into days and the time of day; then days → civil date by the
    // inverse of days_from_civil (same 0000-03-01 epoch and 400-year eras).
    const auto millis = static_cast<std::int64_t>(std::llround(seconds * 1000.0));
    std::int64_t days = millis / 86400000, in_day = millis % 86400000;
    if (in_day < 0) {
        in_day += 86400000;
        --days;
    }
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t day_of_era = z - era * 146097;                                                      // [0, 146096]
    const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // [0, 365]
    const std::int64_t mp = (5 * day_of_year + 2) / 153;                                                   // [0, 11]
    const int day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    char text[64];
    const auto ms = static_cast<int>(in_day % 1000);
    const int second = static_cast<int>(in_day / 1000 % 60), minute = static_cast<int>(in_day / 60000 % 60),
              hour = static_cast<int>(in_day / 3600000);
    if (ms == 0)
        std::snprintf(text, sizeof text, "%04lld-%02d-%02dT%02d:%02d:%02dZ", static_cast<long long>(year), month, day,
                      hour, minute, second);
    else
        std::snprintf(text, sizeof text, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", static_cast<long long>(year), month,
                      day, hour, minute, second, ms);
    return text;
}

int days_in_month(std::int64_t year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

bool looks_like_iso8601(std::string_view text) {
    return text.size() >= 6 && is_digit(text[0]) && is_digit(text[1]) && is_digit(text[2]) && is_digit(text[3]) &&
        text[4] == '-' && is_digit(text[5]);
}

double parse_iso8601_seconds(std::string_view text) {
    std::size_t pos = 0;
    const int year = digits(text, pos, 4);
    if (!take(text, pos, '-')) not_iso(text);
    const int month = digits(text, pos, 2);
    if (!take(text, pos, '-')) not_iso(text);
    const int day = digits(text, pos, 2);
    if (month < 1 || month > 12) out_of_range(text, "month", month, "months run 01-12");
    if (day < 1 || day > days_in_month(year, month)) {
        const std::string ym = std::string(text.substr(0, 7));
        out_of_range(text, "day", day, ym + " has " + std::to_string(days_in_month(year, month)) + " days");
    }
    int hour = 0, minute = 0, second = 0;
    double fraction = 0.0;
    if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
        ++pos;
        hour = digits(text, pos, 2);
        if (!take(text, pos, ':')) not_iso(text);
        minute = digits(text, pos, 2);
        if (take(text, pos, ':')) {
            second = digits(text, pos, 2);
            if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
                // fraction = (first ≤ 18 digits as an integer) / 10^count: one rounding only
                const std::size_t first = ++pos;
                std::int64_t numerator = 0;
                double denominator = 1.0;
                for (; pos < text.size() && is_digit(text[pos]); ++pos) {
                    if (pos - first >= 18) continue;
                    numerator = 10 * numerator + (text[pos] - '0');
                    denominator *= 10.0;
                }
                if (pos == first) not_iso(text);
                fraction = static_cast<double>(numerator) / denominator;
            }
        }
        if (hour > 23) out_of_range(text, "hour", hour, "hours run 00-23");
        if (minute > 59) out_of_range(text, "minute", minute, "minutes run 00-59");
        if (second > 59) out_of_range(text, "second", second, "seconds run 00-59 (leap seconds are not counted)");
    } else if (pos != text.size()) {
        not_iso(text);  // a date alone takes no offset
    }
    const std::int64_t offset = utc_offset_seconds(text, pos);
    // Whole seconds are exact integers (|value| < 2^53); the fraction is added last.
    const std::int64_t whole = 86400 * days_from_civil(year, month, day) + 3600 * std::int64_t{hour} +
        60 * std::int64_t{minute} + second - offset;
    return static_cast<double>(whole) + fraction;
}

double parse_finite_number(std::string_view text) {
    std::string_view body = text;
    if (body.starts_with('+')) body.remove_prefix(1);  // from_chars does not take a '+'
    double value = 0.0;
    const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
    if (body.empty() || end != body.data() + body.size() || (ec != std::errc() && ec != std::errc::result_out_of_range))
        throw time_syntax_error("time " + quoted(text) +
                                " is not a number; write a number such as 12.5, or an ISO-8601 timestamp such as "
                                "2024-03-01T12:30:00Z");
    if (ec == std::errc::result_out_of_range) {  // from_chars leaves `value` alone; strtod tells which way
        const double rounded = std::strtod(std::string(body).c_str(), nullptr);
        if (std::abs(rounded) < 1.0) return 0.0;  // underflow: closer to 0 than any double
        throw time_syntax_error("time " + quoted(text) + " is too large for a double; use a coarser time unit");
    }
    if (!std::isfinite(value))
        throw time_syntax_error("time " + quoted(text) + " is not a finite number (NaN and infinities are not times)");
    return value == 0.0 ? 0.0 : value;  // no -0
}

} // namespace mic::io
