// first_later: the branch-free search that places a neighbour's event among a user's events.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "engine/likelihood/first_later.hpp"

namespace mic {
namespace {

TEST(FirstLater, IsTheUpperBoundForEverySizeWithTiesAndTimesBeforeTheFirst) {
    // Sorted times with many ties (a grid of 0.5), the last entry above every query (the callers'
    // precondition), queries on, between, below and just under the entries.
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<int> grid(0, 40);
    for (std::size_t size = 1; size <= 130; ++size) {
        std::vector<double> times(size);
        for (auto& t: times) t = 0.5 * grid(rng);
        std::sort(times.begin(), times.end());
        times.back() = std::numeric_limits<double>::infinity();
        std::vector<double> queries{-1.0, 0.0, std::nextafter(0.0, -1.0)};
        for (std::size_t i = 0; i + 1 < size; ++i) {
            queries.push_back(times[i]);
            queries.push_back(std::nextafter(times[i], -1.0));
            queries.push_back(times[i] + 0.25);
        }
        for (double t: queries) {
            const auto expected = std::size_t(std::upper_bound(times.begin(), times.end(), t) - times.begin());
            EXPECT_EQ(first_later(times.data(), size, t), expected) << "size " << size << ", t = " << t;
        }
    }
}

TEST(FirstLater, InLockstepEqualsOneSearchAtATimeForEveryCountAndSize) {
    // Counts around the group of eight (0, 7, 8, 9, 16, 17, …) and sizes 1..70, with ties and
    // queries outside the range: first_later_each must give upper_bound for every query.
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<int> grid(0, 30);
    for (std::size_t size = 1; size <= 70; ++size) {
        std::vector<double> times(size);
        for (auto& t: times) t = 0.5 * grid(rng);
        std::sort(times.begin(), times.end());
        times.back() = std::numeric_limits<double>::infinity();
        for (std::size_t count: {0, 1, 7, 8, 9, 15, 16, 17, 40}) {
            std::vector<double> queries(count);
            for (auto& q: queries) q = 0.5 * grid(rng) - 1.0 + (rng() % 2 == 0 ? 0.0 : 0.25);
            std::vector<std::int32_t> out(count, -1);
            first_later_each(times.data(), size, count, [&](std::size_t j) { return queries[j]; }, out.data());
            for (std::size_t j = 0; j < count; ++j) {
                const auto expected = std::upper_bound(times.begin(), times.end(), queries[j]) - times.begin();
                EXPECT_EQ(out[j], expected) << "size " << size << ", count " << count << ", query " << j;
            }
        }
    }
}

} // namespace
} // namespace mic
