// Event times: ISO-8601 timestamps against epoch seconds computed by hand (and checked with an
// independent calendar library), offsets, invalid dates; numeric times and their rejects.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "io/time_parse.hpp"

namespace mic::io {
namespace {

std::string error_of(double (*parse)(std::string_view), const std::string& text) {
    try {
        parse(text);
    } catch (const time_syntax_error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(DaysFromCivil, CountsDaysFromTheUnixEpochInTheGregorianCalendar) {
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
    EXPECT_EQ(days_from_civil(2000, 1, 1), 10957);
    EXPECT_EQ(days_from_civil(2024, 2, 29), 19782);
    EXPECT_EQ(days_from_civil(1600, 3, 1), -135080);
    EXPECT_EQ(days_from_civil(1, 1, 1), -719162);
    EXPECT_EQ(days_from_civil(9999, 12, 31), 2932896);
}

TEST(DaysInMonth, KnowsTheLeapYearRules) {
    EXPECT_EQ(days_in_month(2024, 2), 29);
    EXPECT_EQ(days_in_month(2023, 2), 28);
    EXPECT_EQ(days_in_month(1900, 2), 28);  // divisible by 100
    EXPECT_EQ(days_in_month(2000, 2), 29);  // divisible by 400
    EXPECT_EQ(days_in_month(2023, 4), 30);
    EXPECT_EQ(days_in_month(2023, 12), 31);
}

TEST(ParseIso8601, ConvertsUtcTimestampsToEpochSeconds) {
    // 2024-02-29 is day 19782 after 1970-01-01: 19782 · 86400 + 12 · 3600 = 1709208000.
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29T12:00:00Z"), 1709208000.0);
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29T12:00:00z"), 1709208000.0);
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29T12:00:00"), 1709208000.0);  // no offset = UTC
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29 12:00:00"), 1709208000.0);  // space for T
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29T12:00"), 1709208000.0);     // no seconds
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29"), 1709164800.0);           // midnight
    EXPECT_EQ(parse_iso8601_seconds("1970-01-01T00:00:00Z"), 0.0);
    EXPECT_EQ(parse_iso8601_seconds("2000-01-01T00:00:00Z"), 946684800.0);
    EXPECT_EQ(parse_iso8601_seconds("9999-12-31T23:59:59Z"), 253402300799.0);
}

TEST(ParseIso8601, SubtractsTheUtcOffset) {
    // 12:00 at UTC+2 is 10:00 UTC; 12:00 at UTC−5:30 is 17:30 UTC.
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29T12:00:00+02:00"), 1709208000.0 - 7200);
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29T12:00:00+0200"), 1709208000.0 - 7200);
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29T12:00:00+02"), 1709208000.0 - 7200);
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29T12:00:00-05:30"), 1709208000.0 + 19800);
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29T12:00-0530"), 1709208000.0 + 19800);
    // An offset can move the instant across midnight and the year boundary.
    EXPECT_EQ(parse_iso8601_seconds("1970-01-01T01:00:00+01:00"), 0.0);
}

TEST(ParseIso8601, KeepsFractionalSeconds) {
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29T12:00:00.25Z"), 1709208000.25);
    EXPECT_EQ(parse_iso8601_seconds("2024-02-29T12:00:00,5"), 1709208000.5);
    EXPECT_NEAR(parse_iso8601_seconds("2024-02-29T12:00:07.123456+01:00"), 1709208000.0 - 3600 + 7.123456, 1e-6);
    EXPECT_EQ(parse_iso8601_seconds("1970-01-01T00:00:00.000000000000000000001Z"), 0.0);  // > 18 digits
}

TEST(ParseIso8601, RejectsDatesThatDoNotExist) {
    EXPECT_EQ(error_of(parse_iso8601_seconds, "2024-13-01"), "time '2024-13-01' has month 13; months run 01-12");
    EXPECT_EQ(error_of(parse_iso8601_seconds, "2024-00-10"), "time '2024-00-10' has month 0; months run 01-12");
    EXPECT_EQ(error_of(parse_iso8601_seconds, "2024-04-31T10:00"),
              "time '2024-04-31T10:00' has day 31; 2024-04 has 30 days");
    EXPECT_EQ(error_of(parse_iso8601_seconds, "2023-02-29"), "time '2023-02-29' has day 29; 2023-02 has 28 days");
    EXPECT_EQ(error_of(parse_iso8601_seconds, "1900-02-29"), "time '1900-02-29' has day 29; 1900-02 has 28 days");
    EXPECT_EQ(error_of(parse_iso8601_seconds, "2024-01-00"), "time '2024-01-00' has day 0; 2024-01 has 31 days");
    EXPECT_EQ(error_of(parse_iso8601_seconds, "2024-02-29T25:00:00Z"),
              "time '2024-02-29T25:00:00Z' has hour 25; hours run 00-23");
    EXPECT_EQ(error_of(parse_iso8601_seconds, "2024-02-29T12:60"),
              "time '2024-02-29T12:60' has minute 60; minutes run 00-59");
    EXPECT_EQ(error_of(parse_iso8601_seconds, "2024-02-29T12:00:61"),
              "time '2024-02-29T12:00:61' has second 61; seconds run 00-59 (leap seconds are not counted)");
    EXPECT_EQ(error_of(parse_iso8601_seconds, "2024-02-29T12:00+24:00"),
              "time '2024-02-29T12:00+24:00' has offset hour 24; offset hours run 00-23");
}

TEST(ParseIso8601, RejectsMalformedTimestamps) {
    const std::string expected_tail =
        "' is not an ISO-8601 timestamp; write YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.fff]], optionally followed by Z or "
        "an offset such as +02:00";
    for (const char* bad: {"2024-2-29", "2024-02-29T12", "2024-02-29T12:00:00Zx", "2024-02-29Z", "2024-02-29T1200",
                           "2024-02-29T12:00:00.", "2024-02-29T12:00+2", "2024/02/29", "24-02-29", "2024-02-29x"}) {
        EXPECT_EQ(error_of(parse_iso8601_seconds, bad), "time '" + std::string(bad) + expected_tail) << bad;
    }
}

TEST(LooksLikeIso8601, DetectsADatePrefix) {
    EXPECT_TRUE(looks_like_iso8601("2024-02-29"));
    EXPECT_TRUE(looks_like_iso8601("2024-1"));  // detected as ISO; the parser then explains the problem
    EXPECT_FALSE(looks_like_iso8601("1709208000"));
    EXPECT_FALSE(looks_like_iso8601("12.5"));
    EXPECT_FALSE(looks_like_iso8601("1e-5"));
    EXPECT_FALSE(looks_like_iso8601("-2024-01-01"));
}

TEST(ParseFiniteNumber, ReadsDecimalNumbers) {
    EXPECT_EQ(parse_finite_number("12.5"), 12.5);
    EXPECT_EQ(parse_finite_number("+3"), 3.0);
    EXPECT_EQ(parse_finite_number("1e3"), 1000.0);
    EXPECT_EQ(parse_finite_number("-3"), -3.0);     // the sign is the caller's business
    EXPECT_EQ(parse_finite_number("1e-400"), 0.0);  // underflows to zero
    EXPECT_FALSE(std::signbit(parse_finite_number("-0")));
}

TEST(ParseFiniteNumber, RejectsNonNumbersAndNonFiniteValues) {
    const std::string not_a_number =
        "; write a number such as 12.5, or an ISO-8601 timestamp such as 2024-03-01T12:30:00Z";
    EXPECT_EQ(error_of(parse_finite_number, "abc"), "time 'abc' is not a number" + not_a_number);
    EXPECT_EQ(error_of(parse_finite_number, "12abc"), "time '12abc' is not a number" + not_a_number);
    EXPECT_EQ(error_of(parse_finite_number, ""), "time '' is not a number" + not_a_number);
    EXPECT_EQ(error_of(parse_finite_number, "+"), "time '+' is not a number" + not_a_number);
    EXPECT_EQ(error_of(parse_finite_number, "nan"), "time 'nan' is not a finite number (NaN and infinities are not times)");
    EXPECT_EQ(error_of(parse_finite_number, "NaN"), "time 'NaN' is not a finite number (NaN and infinities are not times)");
    EXPECT_EQ(error_of(parse_finite_number, "inf"), "time 'inf' is not a finite number (NaN and infinities are not times)");
    EXPECT_EQ(error_of(parse_finite_number, "-Infinity"),
              "time '-Infinity' is not a finite number (NaN and infinities are not times)");
    EXPECT_EQ(error_of(parse_finite_number, "1e400"),
              "time '1e400' is too large for a double; use a coarser time unit");
}

TEST(FormatIso8601, WritesEpochSecondsAsUtcTimestamps) {
    EXPECT_EQ(format_iso8601(0.0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_iso8601(1709208000.0), "2024-02-29T12:00:00Z");
    EXPECT_EQ(format_iso8601(1709208000.25), "2024-02-29T12:00:00.250Z");
    EXPECT_EQ(format_iso8601(-1.0), "1969-12-31T23:59:59Z");
    EXPECT_EQ(format_iso8601(951782400.0), "2000-02-29T00:00:00Z");
}

TEST(FormatIso8601, IsTheInverseOfParsingOverFourCenturiesOfDays) {
    // Every 37th day from 1900 to 2300, at a time of day that moves too: parse(format(t)) == t.
    for (std::int64_t day = days_from_civil(1900, 1, 1); day < days_from_civil(2300, 1, 1); day += 37) {
        const double t = 86400.0 * double(day) + double((day * 7919) % 86400);
        if (t < 0) continue;  // the parser refuses times before 1970 (negative)
        EXPECT_EQ(parse_iso8601_seconds(format_iso8601(t)), t) << format_iso8601(t);
    }
}

TEST(SecondsPerTimeUnit, KnowsFixedUnitsAndRefusesOthers) {
    EXPECT_EQ(seconds_per_time_unit("s"), 1.0);
    EXPECT_EQ(seconds_per_time_unit("minutes"), 60.0);
    EXPECT_EQ(seconds_per_time_unit("h"), 3600.0);
    EXPECT_EQ(seconds_per_time_unit("day"), 86400.0);
    EXPECT_EQ(seconds_per_time_unit("month"), 0.0);
    EXPECT_EQ(seconds_per_time_unit(""), 0.0);
}

} // namespace
} // namespace mic::io
