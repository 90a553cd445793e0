#pragma once
// The kernel state of one owned user's in-neighbours at each of its scored events:
//   G_e[v][s] = g_v^s(t_e) = Σ_{j ∈ H_v^s, t_j < t_e} exp(−(t_e − t_j)/τ),   v ∈ F_u, s < C,
// a k×C row-major matrix (k = |F_u|, rows in in-neighbour order). Strict t_j < t_e: an event never
// excites an event at its own timestamp, whoever the two users are (self-loops included).
//
// How: the user's scored events are taken in blocks of up to 64. For each block, each in-neighbour's
// events that fall before the block's last event are placed at the first block event after them
// (branch-free binary search, as in recursive_pass) and added into that event's slot, anchored at its
// block; then one recursion over the block's events carries all k×C states at once,
// S_i = D(m_i − m_{i−1}) S_{i−1} + Δ_i and G_i = S_i / E_i (exponential_kernel's anchored times),
// vectorised over v and s, without a branch per (event, neighbour) pair (a merge per row
// mispredicted about once per pair on dense graphs). A user's sweep costs O(neighbour events ·
// log 64 + own events × k × C); memory O(64 × k × C).
#include <cstdint>
#include <span>
#include <vector>

#include "engine/likelihood/shard_kernels.hpp"

namespace mic {

class kernel_sweep {
public:
    // Keeps a reference to `kernels`.
    explicit kernel_sweep(const shard_kernels& kernels);

    // Starts the sweep of owned user `owned_index` of the shard (before its first scored event).
    void start(std::size_t owned_index);
    // Moves to the next scored event (a < t ≤ b) of the user; false when there is none left.
    bool next();

    const shard_kernels& kernels() const { return *kernels_; }
    std::size_t owned_index() const { return owned_; }
    std::int32_t n_neighbours() const { return k_; }
    std::int64_t n_scored() const { return last_ - first_; }
    // Index into data().events of the current event, its time and cascade.
    std::int64_t event() const { return current_; }
    double time() const { return kernels_->event(current_).time; }
    std::int32_t cascade() const { return kernels_->event(current_).cascade; }
    // G at the current event: k×C row-major.
    std::span<const double> kernel() const {
        const std::size_t size = std::size_t(k_) * std::size_t(C_);
        return {snapshots_.data() + std::size_t(current_ - block_first_) * size, size};
    }
    // The compensator rows of the user's in-neighbours: k×C row-major, K_v^c (shard_kernels).
    std::span<const double> compensator() const { return compensator_; }

private:
    void fill_block();

    const shard_kernels* kernels_;
    std::int32_t C_;
    std::size_t owned_ = 0;
    std::int32_t k_ = 0;
    std::int64_t first_ = 0, last_ = 0, current_ = -1;
    std::int64_t block_first_ = 0, block_end_ = 0;  // the events whose G are in snapshots_
    std::int64_t block_capacity_ = 1;
    std::vector<std::int64_t> cursor_, end_;  // next unread event of each in-neighbour
    double state_block_ = 0;                  // the block m the state is anchored at
    std::vector<double> state_;               // k×C: S = Σ_{earlier j} E_j D(state_block − m_j)
    std::vector<double> snapshots_;           // block × k × C: G of the block's events
    std::vector<double> own_time_;            // t of the block's events
    std::vector<double> compensator_;         // k×C: K_v^c of each in-neighbour
    neighbour_prefetch prefetch_;             // the next user's in-neighbour data
};

} // namespace mic
