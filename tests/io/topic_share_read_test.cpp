// The read of one part of the topics (`mic spread`): the same as filtering the whole file in memory,
// for every part and block size; the file is validated as a whole read validates it
// (dataset_validation_test.cpp checks that every corruption gives read_dataset's message).
#include <gtest/gtest.h>

#include <stdexcept>

#include "engine/ctmp/topic_posts.hpp"
#include "io/dataset_file.hpp"
#include "io/topic_share_read.hpp"
#include "tests/io/io_test_support.hpp"
#include "tests/support/random_dataset.hpp"

namespace mic {
namespace {

using testing::expect_same_dataset;

TEST(TopicShareRead, EqualsTheWholeFileFilteredToThePartForEveryPartAndBlockSize) {
    testing::rank_scratch dir;
    // 60 users, 7 cascades, a few users far above the smallest blocks (so a user is read as a block
    // of its own and blocks end inside runs of users).
    const auto data = testing::make_random_dataset({.n_users = 60, .n_cascades = 7, .mean_events_per_user = 9.0}, 11);
    io::write_dataset(dir / "d.h5", data, false);
    const auto whole = io::read_dataset(dir / "d.h5");
    for (int n_parts: {1, 2, 3, 8}) {
        std::int64_t kept = 0;
        for (int part = 0; part < n_parts; ++part) {
            auto expected = topic_share(whole, part, n_parts);
            for (std::int64_t block: {std::int64_t(1), std::int64_t(5), std::int64_t(64), io::default_share_block_events}) {
                SCOPED_TRACE("part " + std::to_string(part) + " of " + std::to_string(n_parts) + ", block " + std::to_string(block));
                const auto got = io::read_topic_share(dir / "d.h5", part, n_parts, block);
                expect_same_dataset(got, expected);  // names are not read, and topic_share drops them too
            }
            for (const auto c: expected.events.cascade) EXPECT_EQ(c % n_parts, part);
            kept += expected.events.n_events();
        }
        EXPECT_EQ(kept, whole.events.n_events()) << "every event is in exactly one part";
    }
    EXPECT_THROW(io::read_topic_share(dir / "d.h5", 2, 2), std::invalid_argument);
    EXPECT_THROW(io::read_topic_share(dir / "d.h5", 0, 1, 0), std::invalid_argument);
}

} // namespace
} // namespace mic
