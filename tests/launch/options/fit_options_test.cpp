// --beta-path as checkpoints record it: one text per path the fit would run.
#include <gtest/gtest.h>

#include "launch/options/fit_options.hpp"

namespace {

using mic::canonical_beta_path;
using mic::parse_beta_path;

TEST(CanonicalBetaPath, NamesTheSchemesAndWritesAListAsTheBetasRunBelowTheTarget) {
    EXPECT_EQ(canonical_beta_path(parse_beta_path("auto"), 100), "auto");
    EXPECT_EQ(canonical_beta_path(parse_beta_path("both"), 100), "both");
    EXPECT_EQ(canonical_beta_path(parse_beta_path("none"), 100), "none");
    // Order, repeats and the target itself do not change the path run.
    EXPECT_EQ(canonical_beta_path(parse_beta_path("10,1"), 100), "1,10");
    EXPECT_EQ(canonical_beta_path(parse_beta_path("1,10,10,100"), 100), "1,10");
    EXPECT_EQ(canonical_beta_path(parse_beta_path("1e1,0.5"), 100), "0.5,10");
    // Nothing below the target: a cold start at it, as none.
    EXPECT_EQ(canonical_beta_path(parse_beta_path("100,1000"), 100), "none");
}

} // namespace
