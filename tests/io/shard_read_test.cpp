// The sharded read: on 1, 2 and 3 ranks, read_shard returns exactly make_shard(read_dataset(path),
// owned) for contiguous, scattered and empty owned sets; it reads less than the whole file when the
// graph is sparse; and a problem on any rank makes every rank fail with the same message, no hang.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "engine/distributed/checked_section.hpp"
#include "engine/distributed/partition.hpp"
#include "engine/support/error.hpp"
#include "io/dataset_file.hpp"
#include "io/shard_read.hpp"
#include "tests/io/io_test_support.hpp"
#include "tests/support/random_dataset.hpp"

namespace mic {
namespace {

using testing::world;

// Written by rank 0 into the shared directory; every rank gets the path after the write.
std::filesystem::path write_on_root(const testing::rank_scratch& dir, const dataset& d, const std::string& name) {
    const auto path = dir.shared() / name;
    run_checked_on_root(world(), [&] { io::write_dataset(path, d, false); });
    return path;
}

// Every user's only in-neighbour is the previous user: a block partition needs its own block
// and one user before it.
dataset chain_dataset(std::int32_t n_users, double mean_events) {
    testing::random_dataset_spec spec;
    spec.n_users = n_users;
    spec.mean_events_per_user = mean_events;
    spec.edge_probability = 0.0;
    spec.fraction_silent_users = 0.1;
    dataset d = testing::make_random_dataset(spec, 2024);
    d.graph.in_offsets = {0};
    for (std::int32_t u = 0; u < n_users; ++u) {
        if (u > 0) d.graph.in_source.push_back(u - 1);
        d.graph.in_offsets.push_back(d.graph.n_edges());
    }
    return d;
}

enum class ownership { block, round_robin, random_subset, last_rank_owns_nothing };

std::vector<std::int32_t> owned_users(ownership kind, std::int32_t n_users, int rank, int size) {
    std::vector<std::int32_t> owned;
    switch (kind) {
    case ownership::block: return range_partition::even(n_users, size).owned(rank);
    case ownership::round_robin:
        for (std::int32_t u = rank; u < n_users; u += size) owned.push_back(u);
        return owned;
    case ownership::random_subset: {  // scattered on any number of ranks
        std::mt19937 rng(static_cast<unsigned>(99 + rank));
        for (std::int32_t u = 0; u < n_users; ++u)
            if (rng() % 10 < 3) owned.push_back(u);
        return owned;
    }
    case ownership::last_rank_owns_nothing:
        return rank == size - 1 ? owned : range_partition::even(n_users, size - 1).owned(rank);
    }
    return owned;
}

std::string agreed_message(const std::function<void()>& work) {
    try {
        work();
    } catch (const agreed_error& e) {
        return e.what();
    }
    return "no agreed_error";
}

TEST(PlanRuns, MergesConsecutiveUsersAndSmallGaps) {
    const std::vector<std::int64_t> offsets{0, 10, 20, 20, 30, 100, 110};
    const std::vector<std::int32_t> users{0, 1, 3, 5};
    using io::user_run;
    // User 2 has no events: 1 and 3 are separated by 0 elements.
    EXPECT_EQ(io::plan_runs(users, offsets, 0), (std::vector<user_run>{{0, 4}, {5, 6}}));
    EXPECT_EQ(io::plan_runs(users, offsets, 69), (std::vector<user_run>{{0, 4}, {5, 6}}));
    EXPECT_EQ(io::plan_runs(users, offsets, 70), (std::vector<user_run>{{0, 6}}));
    EXPECT_TRUE(io::plan_runs({}, offsets, 70).empty());
    EXPECT_EQ(io::plan_runs(std::vector<std::int32_t>{4}, offsets, 0), (std::vector<user_run>{{4, 5}}));
}

TEST(ReadShard, EqualsTheShardOfTheWholeFileForEveryOwnership) {
    testing::rank_scratch dir;
    std::vector<std::pair<std::string, dataset>> datasets;
    datasets.emplace_back("hand made", testing::hand_made_dataset());
    datasets.emplace_back("random", testing::make_random_dataset({}, 1));
    testing::random_dataset_spec loops;
    loops.self_loops = true;
    loops.integer_times = true;
    datasets.emplace_back("self loops, tied times", testing::make_random_dataset(loops, 2));
    testing::random_dataset_spec no_edges;
    no_edges.edge_probability = 0.0;
    no_edges.fraction_silent_users = 0.7;
    datasets.emplace_back("no edges, mostly silent", testing::make_random_dataset(no_edges, 3));
    testing::random_dataset_spec larger;  // more than one chunk of events
    larger.n_users = 400;
    larger.mean_events_per_user = 60;
    larger.edge_probability = 0.01;
    datasets.emplace_back("several chunks", testing::make_random_dataset(larger, 4));
    dataset nobody;
    datasets.emplace_back("no users", nobody);

    for (std::size_t i = 0; i < datasets.size(); ++i) {
        const auto& [label, d] = datasets[i];
        const auto path = write_on_root(dir, d, "d" + std::to_string(i) + ".h5");
        const dataset whole = io::read_dataset(path);
        for (ownership kind: {ownership::block, ownership::round_robin, ownership::random_subset,
                              ownership::last_rank_owns_nothing}) {
            SCOPED_TRACE(label + ", ownership " + std::to_string(static_cast<int>(kind)));
            const auto owned = owned_users(kind, d.header.n_users, world().rank(), world().size());
            const shard expected = make_shard(whole, owned);
            testing::expect_same_shard(io::read_shard(path, owned, world()), expected);
            testing::expect_same_shard(io::read_shard(path, owned, make_local_communicator()), expected);
        }
    }
}

// The whole dataset without its events after `cut` (each user's events are sorted by time).
dataset events_until(const dataset& d, double cut) {
    dataset out = d;
    out.events = {};
    for (std::int32_t u = 0; u < d.header.n_users; ++u) {
        for (auto j = d.events.user_offsets[u]; j < d.events.user_offsets[u + 1]; ++j)
            if (d.events.time[std::size_t(j)] <= cut) {
                out.events.cascade.push_back(d.events.cascade[std::size_t(j)]);
                out.events.time.push_back(d.events.time[std::size_t(j)]);
            }
        out.events.user_offsets.push_back(out.events.n_events());
    }
    return out;
}

TEST(ReadShard, WithACutInTimeEqualsTheShardOfTheEventsUpToTheCut) {
    testing::rank_scratch dir;
    testing::random_dataset_spec spec;
    spec.n_users = 120;
    spec.mean_events_per_user = 30;
    spec.edge_probability = 0.05;
    spec.integer_times = true;  // ties at the cut: an event exactly at the cut is kept
    const dataset d = testing::make_random_dataset(spec, 7);
    const auto path = write_on_root(dir, d, "cut.h5");
    const double middle = 0.5 * (d.header.t_start + d.header.t_end);
    for (double cut: {d.header.t_start - 1, middle, std::floor(middle), d.header.t_end}) {
        SCOPED_TRACE("cut " + std::to_string(cut));
        const auto owned = owned_users(ownership::random_subset, d.header.n_users, world().rank(), world().size());
        io::shard_read_stats stats;
        const shard got = io::read_shard(path, owned, world(), &stats, cut);
        const shard expected = make_shard(events_until(d, cut), owned);
        testing::expect_same_shard(got, expected);
        EXPECT_EQ(stats.events_needed, expected.events.time.size());
        EXPECT_EQ(got.events.time.capacity(), got.events.time.size()) << "the dropped events' memory is given back";
    }
}

TEST(ReadShard, BlockPartitionOfASparseGraphReadsLessThanTheWholeFile) {
    testing::rank_scratch dir;
    const dataset d = chain_dataset(2000, 50);  // ~90 k events, several chunks
    const auto path = write_on_root(dir, d, "chain.h5");
    const int size = std::max(2, world().size());  // on one rank: own the first half
    const auto owned = range_partition::even(d.header.n_users, size).owned(world().rank() % size);
    io::shard_read_stats stats;
    const shard s = io::read_shard(path, owned, world(), &stats);
    testing::expect_same_shard(s, make_shard(d, owned));
    EXPECT_EQ(stats.events_needed, static_cast<std::int64_t>(s.events.time.size()));
    EXPECT_GE(stats.events_read, stats.events_needed);
    EXPECT_LT(stats.events_read, d.events.n_events());
    EXPECT_EQ(stats.event_reads, 1);  // the block and the user before it: one range
    EXPECT_EQ(stats.edge_reads, 1);
    EXPECT_EQ(stats.edges_read, s.in_offsets.back());
}

TEST(ReadShard, ScatteredUsersFarApartAreReadAsSeparateRanges) {
    testing::rank_scratch dir;
    const dataset d = chain_dataset(2000, 50);
    const auto path = write_on_root(dir, d, "chain.h5");
    std::vector<std::int32_t> owned;  // users ~25 k events apart: more than a chunk (16 Ki)
    for (std::int32_t u = 499 + world().rank(); u < d.header.n_users; u += 500) owned.push_back(u);
    io::shard_read_stats stats;
    const shard s = io::read_shard(path, owned, world(), &stats);
    testing::expect_same_shard(s, make_shard(d, owned));
    EXPECT_EQ(stats.event_reads, static_cast<std::int64_t>(owned.size()));
    EXPECT_LT(stats.events_read, d.events.n_events() / 10);
}

TEST(ReadShard, MissingFileFailsOnEveryRankAlike) {
    testing::rank_scratch dir;
    const auto path = dir.shared() / "missing.h5";
    EXPECT_EQ(agreed_message([&] { io::read_shard(path, {}, world()); }), path.string() + ": no such file; check the path");
}

TEST(ReadShard, ForeignHdf5FileFailsOnEveryRankAlike) {
    testing::rank_scratch dir;
    const auto path = write_on_root(dir, testing::hand_made_dataset(), "d.h5");
    run_checked_on_root(world(), [&] { testing::delete_attribute(path, "mic_format"); });
    EXPECT_NE(agreed_message([&] { io::read_shard(path, {}, world()); }).find("this is not a mic dataset"), std::string::npos);
}

TEST(ReadShard, CorruptEventsSeenByOneRankFailEveryRankAndTheFileStaysUsable) {
    testing::rank_scratch dir;
    const dataset d = chain_dataset(2000, 50);
    const auto path = write_on_root(dir, d, "chain.h5");
    const auto owned = range_partition::even(d.header.n_users, world().size()).owned(world().rank());
    // The last event belongs to the last user, whom only the last rank reads.
    run_checked_on_root(world(), [&] {
        testing::overwrite_element(path, "/events/time", static_cast<hsize_t>(d.events.n_events() - 1), -1.0);
    });
    const std::string message = agreed_message([&] { io::read_shard(path, owned, world()); });
    EXPECT_EQ(message.rfind(path.string() + ": /events/time: event " + std::to_string(d.events.n_events() - 1), 0), 0u)
        << message;
    EXPECT_NE(message.find("lies outside the observation window"), std::string::npos) << message;
    // Every rank closed the file: reading users that do not touch the corrupt event still works.
    const std::vector<std::int32_t> first_user{0};
    EXPECT_NO_THROW(io::read_shard(path, first_user, world()));
}

TEST(ReadShard, BadOwnedListOnOneRankFailsEveryRank) {
    testing::rank_scratch dir;
    const auto path = write_on_root(dir, testing::hand_made_dataset(), "d.h5");
    const std::vector<std::int32_t> bad{3, 1}, good{0};
    const bool last = world().rank() == world().size() - 1;
    const std::string message = agreed_message([&] { io::read_shard(path, last ? bad : good, world()); });
    EXPECT_NE(message.find("owned users must be distinct, ascending and in [0, 4)"), std::string::npos) << message;
}

} // namespace
} // namespace mic
