#pragma once
// The one partition of mic's jobs: items 0..n−1 (users, or positions in a list of users) cut into
// contiguous ranges, one per rank; rank r owns [begin(r), end(r)). Each rank computes its items'
// results in item order, and a gather in rank order (communicator::allgatherv) restores item order,
// so a job's output does not depend on the number of ranks.
//
//   even(n, size)         as equal counts as possible: rank r owns [r·n/size, (r+1)·n/size)
//   balanced(work, size)  as equal total work as possible (cost_partition.hpp gives a fit's work)
#include <cstdint>
#include <span>
#include <vector>

#include "engine/distributed/communicator.hpp"

namespace mic {

struct range_partition {
    std::vector<std::int64_t> first{0};  // size + 1 cut points, first[0] = 0, first[size] = n

    static range_partition even(std::int64_t n, int size);
    // The cut whose prefix of work is closest to r·total/size (never before the previous cut).
    static range_partition balanced(std::span<const double> work, int size);

    int size() const { return int(first.size()) - 1; }
    std::int64_t n_items() const { return first.back(); }
    std::int64_t begin(int rank) const { return first[std::size_t(rank)]; }
    std::int64_t end(int rank) const { return first[std::size_t(rank) + 1]; }
    // The items of `rank` as ids (users), ascending.
    std::vector<std::int32_t> owned(int rank) const;
    // The part of a list of n_items() items that `rank` owns.
    template <class T> std::span<const T> slice(std::span<const T> items, int rank) const {
        return items.subspan(std::size_t(begin(rank)), std::size_t(end(rank) - begin(rank)));
    }
    // Total of `work` over each rank's range.
    std::vector<double> work_per_rank(std::span<const double> work) const;
};

// This rank's part of `items` under an even partition over `comm` (the usual split of a user list).
template <class T> std::vector<T> my_share(const std::vector<T>& items, const communicator& comm) {
    const auto part = range_partition::even(std::int64_t(items.size()), comm.size()).slice(std::span<const T>(items), comm.rank());
    return {part.begin(), part.end()};
}

} // namespace mic
