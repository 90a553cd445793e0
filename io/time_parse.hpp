#pragma once
// Event times as they appear in event logs: plain numbers, or ISO-8601 timestamps converted to
// seconds since 1970-01-01T00:00:00Z by exact calendar arithmetic (proleptic Gregorian calendar; no
// locale, time zone database or leap seconds involved).
//
// Accepted ISO-8601 forms: YYYY-MM-DD, or YYYY-MM-DD followed by 'T' (or a space) and HH:MM,
// HH:MM:SS or HH:MM:SS.fff (any number of fraction digits, '.' or ','), then optionally 'Z' or an
// offset ±HH:MM, ±HHMM or ±HH. Without an offset the time is UTC.
//
// Parsers throw time_syntax_error whose message says what is wrong with the text (the caller adds
// the file and line).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mic::io {

class time_syntax_error: public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Days from 1970-01-01 to year-month-day (proleptic Gregorian; month 1..12, day 1..31).
std::int64_t days_from_civil(std::int64_t year, int month, int day);

// Number of days in `month` (1..12) of `year`.
int days_in_month(std::int64_t year, int month);

// True when `text` starts like an ISO-8601 date ("DDDD-D"): how a file's time format is detected.
bool looks_like_iso8601(std::string_view text);

// Seconds since 1970-01-01T00:00:00Z.
double parse_iso8601_seconds(std::string_view text);

// Seconds in one `unit` of dataset time (s, min, h, d and their long names), or 0 for a unit
// without a fixed length (or none).
double seconds_per_time_unit(std::string_view unit);

// The time_origin of datasets whose times are seconds since the Unix epoch.
inline constexpr const char* unix_epoch_iso8601 = "1970-01-01T00:00:00Z";

// `seconds` since 1970-01-01T00:00:00Z as "YYYY-MM-DDTHH:MM:SSZ", with the fraction of a second
// ("…:05.25Z") when there is one (to the millisecond).
std::string format_iso8601(double seconds);

// A finite decimal number (an optional sign, digits, fraction, exponent). Rejects NaN and infinity;
// the sign is the caller's business.
double parse_finite_number(std::string_view text);

} // namespace mic::io
