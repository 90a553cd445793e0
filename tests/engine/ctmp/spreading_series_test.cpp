// Daily series (SPEC §3): post windows and their ground truth, period means, predictions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>

#include "engine/ctmp/spreading_series.hpp"
#include "engine/ctmp/topic_posts.hpp"
#include "tests/engine/ctmp/ctmp_fixtures.hpp"

namespace mic {
namespace {

TEST(PeriodGrid, PutsATimeOnABoundaryInTheEarlierPeriod) {
    const period_grid grid{10.0, 0.1, 3};
    EXPECT_EQ(grid.period_of(10.0), 0);  // the start itself belongs to the first period
    EXPECT_EQ(grid.period_of(10.05), 0);
    EXPECT_EQ(grid.period_of(grid.end(0)), 0);
    EXPECT_EQ(grid.period_of(std::nextafter(grid.end(0), 11.0)), 1);
    EXPECT_EQ(grid.period_of(grid.end(2)), 2);
    EXPECT_EQ(grid.period_of(std::nextafter(grid.end(2), 11.0)), -1);
    EXPECT_EQ(grid.period_of(9.99), -1);
}

// User 0 posts topic 0 at 0.2 and 0.5 and topic 1 at 1.3. Others post topic 0 at 0.2 (a tie: not
// after), 0.4, 0.9 and 1.1 (next day), and topic 1 at 1.0 (before) and 1.99.
dataset day_data() {
    return testing::dataset_from_posts(3, 2, {{0, 0, 0.2}, {0, 0, 0.5}, {0, 1, 1.3}, {2, 0, 0.2}, {1, 0, 0.4},
                                              {1, 0, 0.9}, {1, 0, 1.1}, {1, 1, 1.0}, {2, 1, 1.99}});
}

TEST(PostWindows, CountLaterPostsByOthersUntilTheEndOfTheDayFromTheFirstPost) {
    const auto data = day_data();
    const auto windows = post_windows(data, group_by_topic(data), 0, {0.0, 1.0, 3});
    ASSERT_EQ(windows.size(), 2u);
    EXPECT_EQ(windows[0].period, 0);
    EXPECT_EQ(windows[0].topic, 0);
    EXPECT_DOUBLE_EQ(windows[0].posted, 0.2);
    EXPECT_DOUBLE_EQ(windows[0].age, 0.8);
    EXPECT_EQ(windows[0].observed, 2.0);  // 0.4 and 0.9; not the tie, not the own post, not day 1
    EXPECT_EQ(windows[1].period, 1);
    EXPECT_EQ(windows[1].observed, 1.0);  // 1.99
    EXPECT_EQ(observed_series(windows, 3), (std::vector<double>{2.0, 1.0, 0.0}));
}

TEST(PostWindows, GroundTruthOfAHorizonCountsOnlyOthersAfterThePost) {
    const auto data = day_data();
    const auto topics = group_by_topic(data);
    EXPECT_EQ(posts_by_others(data, topics, 0, 0, 0.2, 1.2), 3.0);  // 0.4, 0.9, 1.1
    EXPECT_EQ(posts_by_others(data, topics, 1, 0, 0.2, 1.2), 1.0);  // user 0 at 0.5
    EXPECT_EQ(posts_by_others(data, topics, 0, 0, 0.0, 0.2), 1.0);  // user 2's tie at 0.2 is in (0, 0.2]
    EXPECT_EQ(posts_by_others(data, topics, 0, 1, 1.3, 1.3), 0.0);
}

TEST(PostWindows, TruthEqualsPostsByOthersForEveryWindowWithTiesAndRepeatedPosts) {
    // 12 users post 5 topics at times on a 0.1 grid (many ties, across users and within a user) over
    // 3 days, a few users far more than others; the truth of every window must be posts_by_others,
    // the definition, for topics grouped whole and in parts (find() by look-up, by search).
    std::mt19937_64 rng(17);
    std::vector<std::tuple<std::int32_t, std::int32_t, double>> posts;
    for (int p = 0; p < 900; ++p) {
        const auto user = static_cast<std::int32_t>(rng() % 3 == 0 ? rng() % 2 : rng() % 12);  // users 0, 1 heavy
        posts.emplace_back(user, static_cast<std::int32_t>(rng() % 5), 0.1 * static_cast<double>(rng() % 31));
    }
    const auto data = testing::dataset_from_posts(12, 5, posts);
    const period_grid grid{0.0, 1.0, 3};
    for (int n_parts: {1, 2}) {
        for (int part = 0; part < n_parts; ++part) {
            const auto share = topic_share(data, part, n_parts);
            auto topics = group_by_topic(share, part, n_parts);
            std::int64_t windows = 0, repeated = 0;
            for (std::int32_t u = 0; u < 12; ++u) {
                for (const auto& w: post_windows(share, topics, u, grid)) {
                    EXPECT_EQ(w.observed, posts_by_others(share, topics, u, w.topic, w.posted, grid.end(w.period)))
                        << "user " << u << " topic " << w.topic << " period " << w.period;
                    ++windows;
                }
                for (std::int32_t c = 0; c < 5; ++c) {
                    const auto e = share.events.user_offsets;  // the user's posts of c in day 1
                    std::int64_t n = 0;
                    for (auto i = e[u]; i < e[u + 1]; ++i) n += share.events.cascade[i] == c && grid.period_of(share.events.time[i]) == 1;
                    repeated += n > 1;
                }
            }
            EXPECT_GT(windows, 30);
            EXPECT_GT(repeated, 5) << "the data must hold users posting a topic several times a day";
            for (std::int32_t c = 0; c < 5; ++c) {  // find() by look-up: the index of c in `topic`, or −1
                const auto at = std::find(topics.topic.begin(), topics.topic.end(), c);
                EXPECT_EQ(topics.find(c), at == topics.topic.end() ? -1 : at - topics.topic.begin()) << c;
            }
            EXPECT_EQ(topics.find(-1), -1);
            topics.position.clear();  // find() by binary search gives the same
            EXPECT_EQ(topics.find(topics.topic.back()), std::int64_t(topics.n_topics()) - 1);
            EXPECT_EQ(topics.find(part + n_parts * 100), -1);
        }
    }
}

TEST(PostWindows, PeriodMeansAverageOverTheTopicsOfADay) {
    std::vector<post_window> w(3);
    w[0].period = 0, w[1].period = 0, w[2].period = 2;
    const std::vector<double> values{1.0, 4.0, 7.0};
    EXPECT_EQ(period_means(w, values, 4), (std::vector<double>{2.5, 0.0, 7.0, 0.0}));
}

TEST(PostWindows, PredictionIsTheSpreadingSizeAtEachAge) {
    // A two-user cycle with rate 2: DS(t) = 2t exactly, so the prediction of a day is 2 · mean age.
    Eigen::MatrixXd Q(2, 2);
    Q << -2.0, 2.0, 2.0, -2.0;
    const auto table = propagate_spreading(testing::chain_from_dense(Q), std::vector<std::int32_t>{0}, 1.0, {},
                                           make_local_communicator());
    std::vector<post_window> w(3);
    w[0] = {0, 0, 0.0, 0.5, 0.0}, w[1] = {0, 1, 0.0, 0.25, 0.0}, w[2] = {1, 0, 0.0, 1.0, 0.0};
    const auto y = predicted_series(w, table, 0, 3);
    EXPECT_NEAR(y[0], 2.0 * 0.375, 1e-8);
    EXPECT_NEAR(y[1], 2.0, 1e-8);
    EXPECT_EQ(y[2], 0.0);
    // --extrapolate-posts: (1 − e^{−r w}) times the window mean of DS, here (1/w)∫_0^w 2τ dτ = w.
    EXPECT_NEAR(mean_spreading_size(table, 0, 1.0), 1.0, 1e-8);
    const auto e = extrapolated_series(0.7, mean_spreading_size(table, 0, 1.0), {5.0, 1.0, 2});
    EXPECT_NEAR(e[0], (1.0 - std::exp(-0.7)) * 1.0, 1e-8);
    EXPECT_EQ(e[0], e[1]);
    EXPECT_DOUBLE_EQ(posting_rate(w, {0.0, 1.0, 2}), 1.5);
}

} // namespace
} // namespace mic
