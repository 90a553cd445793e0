// Numbers and names as mic prints them: shortest round-trip decimals, thousands separators, and
// columns counted in characters (a UTF-8 name takes as many columns as it has code points).
#include <gtest/gtest.h>

#include <cstdlib>

#include "engine/support/text_format.hpp"

namespace mic {
namespace {

TEST(Shortest, ReadsBackAsTheSameDouble) {
    for (const double x : {7.5, 1709208000.0, 0.1, 1e-300, 524909.1498, -3.0})
        EXPECT_EQ(std::strtod(shortest(x).c_str(), nullptr), x) << shortest(x);
    EXPECT_EQ(shortest(7.5), "7.5");
    EXPECT_EQ(shortest(1709208000.0), "1709208000");
}

TEST(WithThousands, GroupsDigitsByThree) {
    EXPECT_EQ(with_thousands(1234567), "1,234,567");
    EXPECT_EQ(with_thousands(999), "999");
    EXPECT_EQ(with_thousands(-1000), "-1,000");
}

TEST(DisplayColumns, CountsCodePointsNotBytes) {
    EXPECT_EQ(display_columns("alice"), 5u);
    EXPECT_EQ(display_columns("José Ñ"), 6u);      // 8 bytes
    EXPECT_EQ(display_columns("话题"), 2u);          // 6 bytes (one column each here; wide glyphs are not measured)
    EXPECT_EQ(padded("José", 6), "José  ");
    EXPECT_EQ(padded("longer than six", 6), "longer than six");
}

TEST(Shortened, CutsLongTextToItsWidthWithAnEllipsisAndNeverSplitsACharacter) {
    EXPECT_EQ(shortened("alice", 5), "alice");
    EXPECT_EQ(shortened("alice", 4), "ali…");
    EXPECT_EQ(shortened("话题话题", 3), "话题…");  // whole 3-byte characters kept
    EXPECT_EQ(shortened("Ñandú", 2), "Ñ…");
    EXPECT_EQ(display_columns(shortened(std::string(4500, 'x'), 40)), 40u);
    EXPECT_EQ(shortened("ab", 1), "…");
}

} // namespace
} // namespace mic
