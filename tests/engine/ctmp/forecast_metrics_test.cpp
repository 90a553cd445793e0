// MAE, RMSE, MASE and their averages; choosing and sharing users.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/ctmp/forecast_metrics.hpp"
#include "engine/ctmp/user_selection.hpp"
#include "engine/distributed/partition.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using testing::world;

TEST(ForecastMetrics, MaeRmseAndMaseOfAKnownSeries) {
    const std::vector<double> truth{1.0, 3.0, 2.0}, predicted{2.0, 3.0, 0.0}, training{0.0, 2.0, 1.0, 1.0};
    const double scale = naive_scale(training);  // (2 + 1 + 0) / 3
    EXPECT_DOUBLE_EQ(scale, 1.0);
    const auto e = forecast_error(predicted, truth, scale);
    EXPECT_DOUBLE_EQ(e.mae, 1.0);
    EXPECT_DOUBLE_EQ(e.rmse, std::sqrt(5.0 / 3.0));
    EXPECT_DOUBLE_EQ(e.mase, 1.0);
}

TEST(ForecastMetrics, MaseIsUndefinedForAConstantOrShortTrainingSeries) {
    EXPECT_TRUE(std::isnan(naive_scale(std::vector<double>{2.0, 2.0, 2.0})));
    EXPECT_TRUE(std::isnan(naive_scale(std::vector<double>{2.0})));
    const std::vector<forecast_errors> users{{1.0, 2.0, 4.0}, {3.0, 4.0, std::nan("")}};
    const auto avg = average(users);
    EXPECT_DOUBLE_EQ(avg.mae, 2.0);
    EXPECT_DOUBLE_EQ(avg.rmse, 3.0);
    EXPECT_DOUBLE_EQ(avg.mase, 4.0);  // the user without a scale is left out
    EXPECT_EQ(avg.n_users, 2);
    EXPECT_EQ(avg.n_users_mase, 1);
}

TEST(ForecastMetrics, AverageOverRanksEqualsTheSerialAverageBitForBit) {
    std::vector<std::int32_t> users(37);
    std::vector<forecast_errors> all;
    for (std::int32_t u = 0; u < 37; ++u) users[u] = u, all.push_back({0.1 * u + 1.0 / 3.0, 0.7 / (u + 1), u % 5 ? 1.0 / u : std::nan("")});
    std::vector<forecast_errors> mine;
    for (auto u: my_share(users, world())) mine.push_back(all[static_cast<std::size_t>(u)]);
    const auto here = average(mine, world()), serial = average(all);
    EXPECT_EQ(here.mae, serial.mae);
    EXPECT_EQ(here.rmse, serial.rmse);
    EXPECT_EQ(here.mase, serial.mase);
    EXPECT_EQ(here.n_users_mase, serial.n_users_mase);
}

TEST(UserSelection, TopKOrdersByScoreThenIdAndSkipsNan) {
    const std::vector<double> score{1.0, 5.0, std::nan(""), 5.0, 2.0};
    EXPECT_EQ(top_k_users(score, 3), (std::vector<std::int32_t>{1, 3, 4}));
    EXPECT_EQ(top_k_users(score, 10).size(), 4u);
}

TEST(UserSelection, RandomUsersAreDistinctDeterministicAndSeedDependent) {
    std::vector<std::int32_t> candidates(100);
    for (std::int32_t u = 0; u < 100; ++u) candidates[u] = 3 * u;
    const auto a = random_users(candidates, 10, 7);
    EXPECT_EQ(a.size(), 10u);
    EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
    EXPECT_EQ(std::adjacent_find(a.begin(), a.end()), a.end());
    for (auto u: a) EXPECT_EQ(u % 3, 0);
    EXPECT_EQ(random_users(candidates, 10, 7), a);
    EXPECT_NE(random_users(candidates, 10, 8), a);
    EXPECT_EQ(random_users(candidates, 200, 7), candidates);
}

TEST(UserSelection, SharesCoverTheListInRankOrder) {
    std::vector<std::int32_t> users{5, 9, 2, 8, 1};
    const auto mine = my_share(users, world());
    const auto gathered = world().allgatherv(std::span<const std::int32_t>(mine));
    EXPECT_EQ(gathered, users);
}

} // namespace
} // namespace mic
