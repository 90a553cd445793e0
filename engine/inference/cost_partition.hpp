#pragma once
// Users → ranks by estimated work, so that the ranks of a fit finish their user steps together.
//
// The work of user u is what one evaluation of L_u reads: its own events and the events of its
// in-neighbours (the kernel sweep places each of them among the user's events), plus one for the user itself:
//   work_u = 1 + n_u + Σ_{v ∈ F_u} n_v
// Users are kept in id order and cut into contiguous ranges of about equal total work
// (range_partition::balanced): deterministic, so every rank computes the same partition, and a
// rank's users form one run of the file (one read per array).
#include <cstdint>
#include <span>
#include <vector>

#include "engine/distributed/partition.hpp"

namespace mic {

// work_u for every user from the dataset's user_offsets (U + 1) and in-neighbour CSR.
std::vector<double> user_work(std::span<const std::int64_t> user_offsets, std::span<const std::int64_t> in_offsets,
                              std::span<const std::int32_t> in_source);

// The largest rank's work over the mean (1: perfect balance).
double work_imbalance(const range_partition& partition, std::span<const double> work);

} // namespace mic
