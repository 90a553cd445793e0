#pragma once
// Users → ranks by estimated work, so that the ranks of a fit finish their user steps together.
//
// The work of user u is what one evaluation of L_u reads: its own events and the events of its
// in-neighbours (the kernel sweep merges them), plus one for the user itself:
//   work_u = 1 + n_u + Σ_{v ∈ F_u} n_v
// Users are kept in id order and cut into contiguous ranges of about equal total work (cut r is the
// first user whose prefix work reaches r·total/size): deterministic, so every rank computes the same
// partition, and a rank's users form one run of the file (one read per array).
#include <cstdint>
#include <span>
#include <vector>

#include "engine/data/event_data.hpp"

namespace mic {

// work_u for every user from the dataset's user_offsets (U + 1) and in-neighbour CSR.
std::vector<double> user_work(std::span<const std::int64_t> user_offsets, std::span<const std::int64_t> in_offsets,
                              std::span<const std::int32_t> in_source);

struct work_partition {
    std::vector<std::int32_t> first;  // size + 1 cut points: rank r owns users [first[r], first[r+1])
    std::vector<double> work;         // total work of each rank

    double max_work() const;
    double mean_work() const;
    // The users of rank r, ascending.
    std::vector<std::int32_t> owned(int rank) const;
};

// Contiguous ranges of about equal work for `size` ranks (some may be empty when size > users).
work_partition contiguous_partition(std::span<const double> work, int size);

} // namespace mic
