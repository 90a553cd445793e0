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

TEST(TopicShareRead, SharesMayBeEmptyAndRanksMayHaveNoUsersToRead) {
    // One cascade and two users: on 2 or 3 ranks some shares are empty and some ranks read nothing.
    testing::rank_scratch dir;
    const auto file = dir.shared() / "d.h5";
    if (world().is_root())
        io::write_dataset(file, testing::make_random_dataset({.n_users = 2, .n_cascades = 1, .integer_times = true}, 4), false);
    world().barrier();
    const auto whole = io::read_dataset(file);
    ASSERT_GT(whole.events.n_events(), 0);
    expect_same_dataset(io::read_topic_share(file, world()), topic_share(whole, world().rank(), world().size()));
}

// The message of read_dataset(path) (an input_error) and of the collective read (an agreed_error).
std::string whole_read_problem(const std::filesystem::path& path) {
    try {
        io::read_dataset(path);
    } catch (const input_error& e) {
        return e.what();
    }
    return "no error";
}
std::string share_read_problem(const std::filesystem::path& path) {
    try {
        io::read_topic_share(path, world(), 4);
    } catch (const agreed_error& e) {
        EXPECT_EQ(e.exit_code(), 1);
        return e.what();
    }
    return "no error";
}

TEST(TopicShareRead, EveryRankReportsTheProblemReadDatasetReportsFirst) {
    // Corruptions placed in the last users' events (read by the last rank), alone and together with
    // later-checked ones (the user column, the graph), which every rank or the first rank may see.
    testing::rank_scratch dir;
    const auto data = sample();
    const auto last_event = static_cast<hsize_t>(data.events.n_events() - 1);
    struct corruption {
        const char* name;
        bool time, user_column, graph;
    };
    for (const corruption c: {corruption{"a time outside the window", true, false, false},
                              corruption{"that and a bad graph entry", true, false, true},
                              corruption{"that and a bad /events/user entry", true, true, false},
                              corruption{"a bad /events/user entry", false, true, false},
                              corruption{"a bad graph entry", false, false, true}}) {
        SCOPED_TRACE(c.name);
        const auto file = dir.shared() / "d.h5";
        if (world().is_root()) {
            std::filesystem::remove(file);
            io::write_dataset(file, data, false);
            if (c.time) testing::overwrite_element<double>(file, "/events/time", last_event, 1e9);
            if (c.user_column) testing::overwrite_element<std::int32_t>(file, "/events/user", 0, 7);
            if (c.graph) testing::overwrite_element<std::int32_t>(file, "/graph/in_source", 0, -1);
        }
        world().barrier();
        const auto expected = whole_read_problem(file);
        ASSERT_NE(expected, "no error");
        EXPECT_EQ(share_read_problem(file), expected);
        world().barrier();  // before the root rewrites the file
    }
}

} // namespace
} // namespace mic
