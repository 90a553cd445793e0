// The collective read of each rank's share of the topics (`mic spread`): the same as filtering the
// whole file in memory, on one rank for several block sizes and on all ranks of the run; the file
// is validated as a whole read validates it (dataset_validation_test.cpp checks that every
// corruption gives read_dataset's message).
#include <gtest/gtest.h>

#include <stdexcept>

#include "engine/ctmp/topic_posts.hpp"
#include "engine/support/error.hpp"
#include "io/dataset_file.hpp"
#include "io/topic_share_read.hpp"
#include "tests/io/io_test_support.hpp"
#include "tests/support/random_dataset.hpp"

namespace mic {
namespace {

using testing::expect_same_dataset;
using testing::world;

// 60 users, 7 cascades, users of up to ~20 events (so that small blocks end inside runs of users and
// some users are read as blocks of their own).
dataset sample() { return testing::make_random_dataset({.n_users = 60, .n_cascades = 7, .mean_events_per_user = 9.0}, 11); }

TEST(TopicShareRead, OnOneRankIsTheWholeFileForEveryBlockSize) {
    testing::rank_scratch dir;
    io::write_dataset(dir / "d.h5", sample(), false);
    const auto expected = topic_share(io::read_dataset(dir / "d.h5"), 0, 1);  // names dropped, as the read does
    for (std::int64_t block: {std::int64_t(1), std::int64_t(5), std::int64_t(64), io::default_share_block_events}) {
        SCOPED_TRACE("block " + std::to_string(block));
        expect_same_dataset(io::read_topic_share(dir / "d.h5", make_local_communicator(), block), expected);
    }
    EXPECT_THROW(io::read_topic_share(dir / "d.h5", make_local_communicator(), 0), std::invalid_argument);
}

TEST(TopicShareRead, EachRankGetsExactlyTheEventsOfItsTopics) {
    testing::rank_scratch dir;
    const auto file = dir.shared() / "d.h5";
    if (world().is_root()) io::write_dataset(file, sample(), false);
    world().barrier();
    const auto whole = io::read_dataset(file);
    for (std::int64_t block: {std::int64_t(3), io::default_share_block_events}) {
        const auto mine = io::read_topic_share(file, world(), block);
        expect_same_dataset(mine, topic_share(whole, world().rank(), world().size()));
        for (const auto c: mine.events.cascade) EXPECT_EQ(c % world().size(), world().rank());
        EXPECT_EQ(world().sum(mine.events.n_events()), whole.events.n_events()) << "every event on exactly one rank";
    }
}

TEST(TopicShareRead, ABadFileFailsOnEveryRankWithOneMessage) {
    testing::rank_scratch dir;
    const auto file = dir.shared() / "d.h5";
    if (world().is_root()) {
        io::write_dataset(file, sample(), false);
        testing::overwrite_element<double>(file, "/events/time", 3, 1e9);  // outside the window
    }
    world().barrier();
    std::string message = "no error";
    try {
        io::read_topic_share(file, world());
    } catch (const agreed_error& e) {
        message = e.what();
        EXPECT_EQ(e.exit_code(), 1);
    }
    EXPECT_EQ(message.rfind(file.string(), 0), 0u) << message;
    EXPECT_NE(message.find("/events/time"), std::string::npos) << message;
    // The same message on every rank (its length summed over ranks, as a cheap collective check).
    EXPECT_EQ(world().sum(std::int64_t(message.size())), std::int64_t(message.size()) * world().size());
}

} // namespace
} // namespace mic
