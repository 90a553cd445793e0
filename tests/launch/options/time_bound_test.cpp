// Times of a dataset as messages show them: calendar instants when the dataset has a calendar origin,
// plain numbers (no exponent for whole numbers) otherwise.
#include <gtest/gtest.h>

#include "launch/options/time_bound.hpp"

namespace {

using mic::dataset_header;

dataset_header calendar(const std::string& unit, const std::string& origin) {
    dataset_header h;
    h.time_unit = unit;
    h.time_origin = origin;
    return h;
}

TEST(ReadableTime, ShowsTheInstantATimeStandsForOnADatasetsCalendar) {
    // An ISO import in minutes: time t is 1970-01-01T00:00:00Z + t minutes.
    const auto minutes = calendar("min", "1970-01-01T00:00:00Z");
    EXPECT_EQ(mic::readable_time(28487520, minutes), "2024-03-01T00:00:00Z");
    EXPECT_EQ(mic::readable_time(28487520.5, minutes), "2024-03-01T00:00:30Z");
    // Another origin, in hours.
    EXPECT_EQ(mic::readable_time(36, calendar("h", "2024-01-01T00:00:00Z")), "2024-01-02T12:00:00Z");
    // Beyond any calendar date (loglik --to 1e20 on an ISO dataset): the number, not a wrapped year.
    EXPECT_EQ(mic::readable_time(1e20, minutes), "1e+20 min");
}

TEST(ReadableTime, ShowsWholeNumbersWithoutAnExponentWhereThereIsNoCalendar) {
    const auto seconds = calendar("s", "");
    EXPECT_EQ(mic::readable_time(1700000000, seconds), "1700000000 s");  // not 1.7e+09
    EXPECT_EQ(mic::readable_time(2.5, seconds), "2.5 s");
    EXPECT_EQ(mic::readable_time(1700000000, seconds, false), "1700000000");
    // A unit without a fixed length has no calendar even with an origin.
    EXPECT_EQ(mic::readable_time(3, calendar("steps", "1970-01-01T00:00:00Z")), "3 steps");
}

TEST(ReadableWindow, ShowsBothEndsAndWhetherTheStartIsIncluded) {
    const auto days = calendar("d", "1970-01-01T00:00:00Z");
    EXPECT_EQ(mic::readable_window({19783, 19786, true}, days), "[2024-03-01T00:00:00Z, 2024-03-04T00:00:00Z]");
    EXPECT_EQ(mic::readable_window({19783, 19786, false}, days), "(2024-03-01T00:00:00Z, 2024-03-04T00:00:00Z]");
    EXPECT_EQ(mic::readable_window({0, 20, true}, calendar("s", "")), "[0, 20]");
}

} // namespace
