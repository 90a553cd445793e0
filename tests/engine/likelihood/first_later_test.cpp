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

} // namespace
} // namespace mic
