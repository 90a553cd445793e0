// The communicator contract, checked on the local backend and on the world of the run (1, 2 or 3
// MPI ranks under ctest). Expected values are computed from rank and size, so the same assertions
// hold for every rank count.
#include <gtest/gtest.h>

#include <numeric>

#include "engine/distributed/communicator.hpp"
#include "engine/distributed/partition.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using testing::world;

TEST(RangePartition, CutsItemsEvenlyOrByWorkAndGathersBackInItemOrder) {
    const auto even = range_partition::even(10, 3);
    EXPECT_EQ(even.first, (std::vector<std::int64_t>{0, 3, 6, 10}));
    EXPECT_EQ(even.owned(1), (std::vector<std::int32_t>{3, 4, 5}));
    const std::vector<int> items{7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    EXPECT_EQ(even.slice(std::span<const int>(items), 2).size(), 4u);
    // Every rank's share, gathered in rank order, is the whole list.
    const auto share = my_share(items, world());
    EXPECT_EQ(world().allgatherv(std::span<const int>(share)), items);
    const std::vector<double> work{8, 1, 1, 1, 1, 1, 1, 1, 1};
    const auto balanced = range_partition::balanced(work, 2);
    EXPECT_EQ(balanced.first, (std::vector<std::int64_t>{0, 1, 9}));
    EXPECT_EQ(balanced.work_per_rank(work), (std::vector<double>{8, 8}));
}

TEST(LocalCommunicator, IsOneRankWhoseCollectivesLeaveDataUnchanged) {
    auto local = make_local_communicator();
    EXPECT_EQ(local.rank(), 0);
    EXPECT_EQ(local.size(), 1);
    EXPECT_EQ(local.native_handle(), nullptr);
    std::vector<double> values{1.5, -2.0};
    local.sum(std::span(values));
    EXPECT_EQ(values, (std::vector<double>{1.5, -2.0}));
    std::vector<int> gathered = local.allgatherv(std::span<const int>(std::vector<int>{4, 5}));
    EXPECT_EQ(gathered, (std::vector<int>{4, 5}));
    EXPECT_EQ(local.gatherv(std::span<const int>(std::vector<int>{6})), (std::vector<int>{6}));
}

TEST(WorldCommunicator, SumsMinimaAndMaximaOverAllRanks) {
    const int r = world().rank(), n = world().size();
    std::vector<double> values{1.0, double(r)};
    world().sum(std::span(values));
    EXPECT_DOUBLE_EQ(values[0], n);
    EXPECT_DOUBLE_EQ(values[1], n * (n - 1) / 2.0);
    EXPECT_EQ(world().min<std::int64_t>(10 + r), 10);
    EXPECT_EQ(world().max<std::int64_t>(10 + r), 10 + n - 1);
    EXPECT_DOUBLE_EQ(world().max(-double(r)), 0.0);
}

TEST(WorldCommunicator, SplitsIntoGroupsWhoseCollectivesStayInsideTheGroup) {
    const int r = world().rank(), n = world().size();
    const communicator group = world().split(r % 2);
    // Group 0 holds the even ranks, group 1 the odd ones, each ranked in world order.
    const int expected_size = r % 2 == 0 ? (n + 1) / 2 : n / 2;
    EXPECT_EQ(group.size(), expected_size);
    EXPECT_EQ(group.rank(), r / 2);
    // A sum over the group adds the world ranks of its members only.
    double mine = r, expected = 0;
    for (int q = r % 2; q < n; q += 2) expected += q;
    EXPECT_DOUBLE_EQ(group.sum(mine), expected);
    // Splitting a group again works the same way.
    EXPECT_EQ(group.split(0).size(), group.size());
    EXPECT_EQ(make_local_communicator().split(3).size(), 1);
}

TEST(WorldCommunicator, BroadcastsValuesVectorsAndStringsFromAnyRoot) {
    const int root = world().size() - 1;
    std::int64_t value = world().rank() == root ? 42 : -1;
    world().broadcast(value, root);
    EXPECT_EQ(value, 42);

    std::vector<double> vec;
    if (world().rank() == root) vec = {1.0, 2.0, 3.0};
    world().broadcast(vec, root);
    EXPECT_EQ(vec, (std::vector<double>{1.0, 2.0, 3.0}));

    std::string text = world().rank() == root ? "from the last rank" : "";
    world().broadcast(text, root);
    EXPECT_EQ(text, "from the last rank");
}

TEST(WorldCommunicator, GathersUnequalPartsInRankOrder) {
    // Rank r contributes r+1 copies of r.
    const int r = world().rank(), n = world().size();
    std::vector<std::int32_t> mine(static_cast<std::size_t>(r + 1), r);
    std::vector<std::int64_t> counts;
    auto all = world().allgatherv(std::span<const std::int32_t>(mine), &counts);
    std::vector<std::int32_t> expected;
    for (int k = 0; k < n; ++k) expected.insert(expected.end(), static_cast<std::size_t>(k + 1), k);
    EXPECT_EQ(all, expected);
    ASSERT_EQ(counts.size(), static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) EXPECT_EQ(counts[static_cast<std::size_t>(k)], k + 1);
    EXPECT_EQ(world().allgather(r * 10).back(), (n - 1) * 10);
}

TEST(WorldCommunicator, GathersUnequalPartsOnTheRootOnlyInRankOrder) {
    // Rank r contributes r+1 elements of 16 bytes (counted in elements, not bytes), to root n − 1.
    struct pair_of_doubles {
        double a, b;
    };
    const int r = world().rank(), n = world().size();
    std::vector<pair_of_doubles> mine(static_cast<std::size_t>(r + 1), {double(r), -double(r)});
    std::vector<std::int64_t> counts;
    const auto at_root = world().gatherv(std::span<const pair_of_doubles>(mine), &counts, n - 1);
    if (r != n - 1) {
        EXPECT_TRUE(at_root.empty());
        EXPECT_TRUE(counts.empty());
        return;
    }
    ASSERT_EQ(at_root.size(), static_cast<std::size_t>(n * (n + 1) / 2));
    std::size_t i = 0;
    for (int k = 0; k < n; ++k)
        for (int copy = 0; copy <= k; ++copy, ++i) {
            EXPECT_EQ(at_root[i].a, k);
            EXPECT_EQ(at_root[i].b, -k);
        }
    ASSERT_EQ(counts.size(), static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) EXPECT_EQ(counts[static_cast<std::size_t>(k)], k + 1);
}

TEST(WorldCommunicator, ExchangeDeliversEachItemToItsDestinationInSourceThenSendingOrder) {
    // Rank r sends, to each rank d, the items 100·r + 10·d + k for k < (r + d) % 3, interleaved
    // over the destinations so that the order within a source is the order of `items`.
    const int r = world().rank(), n = world().size();
    std::vector<std::int64_t> items;
    std::vector<int> destination;
    for (int k = 0; k < 2; ++k)
        for (int d = 0; d < n; ++d)
            if (k < (r + d) % 3) items.push_back(100 * r + 10 * d + k), destination.push_back(d);
    const auto got = world().exchange(std::span<const std::int64_t>(items), std::span<const int>(destination));
    std::vector<std::int64_t> expected;
    for (int source = 0; source < n; ++source)
        for (int k = 0; k < 2; ++k)
            if (k < (source + r) % 3) expected.push_back(100 * source + 10 * r + k);
    EXPECT_EQ(got, expected);
    // A bad destination on the last rank only: every rank throws, none waits in a gather.
    const std::vector<int> destination_of_one{r == n - 1 ? n : 0};
    const std::vector<std::int64_t> one{1};
    EXPECT_THROW(world().exchange(std::span<const std::int64_t>(one), std::span<const int>(destination_of_one)),
                 std::invalid_argument);
    std::vector<std::vector<std::int64_t>> lists(static_cast<std::size_t>(r == n - 1 ? n + 1 : n));
    EXPECT_THROW(world().exchange(lists), std::invalid_argument);
    lists.resize(static_cast<std::size_t>(n));
    EXPECT_EQ(world().exchange(lists), std::vector<std::int64_t>{}) << "the communicator still works";
}

TEST(WorldCommunicator, AlltoallvSendsEachRankItsBlockOfDoubles) {
    // Rank r sends d values 1000·r + 10·d + i to each rank d (none to rank 0, so rank 0 receives an
    // empty buffer); every rank receives r values from each.
    const int r = world().rank(), n = world().size();
    std::vector<double> send;
    std::vector<int> send_counts, receive_counts;
    for (int d = 0; d < n; ++d) {
        send_counts.push_back(d);
        receive_counts.push_back(r);
        for (int i = 0; i < d; ++i) send.push_back(1000.0 * r + 10.0 * d + i);
    }
    std::vector<double> receive(static_cast<std::size_t>(n * r), -1.0), expected;
    for (int source = 0; source < n; ++source)
        for (int i = 0; i < r; ++i) expected.push_back(1000.0 * source + 10.0 * r + i);
    const auto before = world().counts();
    world().alltoallv(send, send_counts, receive, receive_counts);
    EXPECT_EQ(receive, expected);
    EXPECT_EQ(world().counts().bytes - before.bytes, std::int64_t(sizeof(double) * send.size()));
}

TEST(WorldCommunicator, GathersEmptyContributions) {
    std::vector<double> none;
    auto all = world().allgatherv(std::span<const double>(none));
    EXPECT_TRUE(all.empty());
}

TEST(BlockPartition, CoversEveryUserOnceInContiguousBlocks) {
    for (std::int32_t users: {0, 1, 2, 7, 100}) {
        for (int size: {1, 2, 3, 5}) {
            std::vector<std::int32_t> all;
            for (int rank = 0; rank < size; ++rank) {
                auto part = range_partition::even(users, size).owned(rank);
                all.insert(all.end(), part.begin(), part.end());
                EXPECT_LE(part.size(), static_cast<std::size_t>(users / size + 1));
            }
            std::vector<std::int32_t> expected(static_cast<std::size_t>(users));
            std::iota(expected.begin(), expected.end(), 0);
            EXPECT_EQ(all, expected) << users << " users on " << size << " ranks";
        }
    }
}

} // namespace
} // namespace mic
