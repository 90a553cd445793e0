#include "engine/likelihood/kernel_sweep.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

#include "engine/likelihood/first_later.hpp"

namespace mic {

kernel_sweep::kernel_sweep(const shard_kernels& kernels): kernels_(&kernels), C_(kernels.n_cascades()) {}

void kernel_sweep::start(std::size_t owned_index) {
    const shard& data = kernels_->data();
    owned_ = owned_index;
    auto locals = kernels_->neighbour_locals(owned_index);
    k_ = static_cast<std::int32_t>(locals.size());
    const std::size_t k = locals.size(), C = std::size_t(C_);
    cursor_.resize(k);
    end_.resize(k);
    compensator_.resize(k * C);
    // The next user's streams are read block by block: their first lines, then the hardware follows.
    prefetch_.start(*kernels_, owned_index + 1, 2);
    prefetch_.finish();
    for (std::size_t v = 0; v < k; ++v) {
        const std::int32_t local = locals[v];
        cursor_[v] = data.events.offsets[std::size_t(local)];
        end_[v] = data.events.offsets[std::size_t(local) + 1];
        auto row = kernels_->compensator(local);
        std::copy(row.begin(), row.end(), compensator_.begin() + std::ptrdiff_t(v * C));
    }
    // The empty state sits at block −inf: moving it to any block multiplies by D(+inf) = 0.
    state_block_ = -std::numeric_limits<double>::infinity();
    state_.assign(k * C, 0.0);
    // Blocks of scored events whose snapshots take at most ~256 KB (and at most 64 events).
    block_capacity_ = std::clamp<std::int64_t>(std::int64_t(32768 / std::max<std::size_t>(1, k * C)), 1, 64);
    std::tie(first_, last_) = kernels_->scored_events(owned_index);
    current_ = first_ - 1;
    block_first_ = block_end_ = first_;
}

bool kernel_sweep::next() {
    if (current_ + 1 >= last_) return false;
    ++current_;
    if (current_ == block_end_) {
        block_first_ = current_;
        block_end_ = std::min(last_, current_ + block_capacity_);
        fill_block();
    }
    return true;
}

void kernel_sweep::fill_block() {
    const auto* events = kernels_->events();
    const auto& kernel = kernels_->kernel();
    const std::size_t C = std::size_t(C_), k = std::size_t(k_), kC = k * C;
    const std::size_t n = std::size_t(block_end_ - block_first_);
    const auto* own = events + block_first_;
    own_time_.resize(n);
    for (std::size_t i = 0; i < n; ++i) own_time_[i] = own[i].time;
    // Δ_i[v][s] = Σ_{j ∈ H_v^s, a(j) = i} E_j D(m_i − m_j), written where G_i will be: a(j) is the
    // first event i of the block with t_i > t_j (strict: ties do not excite), found by a branch-free
    // search; the neighbour's events with t_j ≥ t_{n−1} wait for a later block.
    snapshots_.assign(n * kC, 0.0);
    for (std::size_t v = 0; v < k; ++v) {
        // (A scan, not a binary search for the end: the loop's exit is its one mispredicted branch,
        // where a search over the neighbour's remaining events missed the cache at every probe.)
        const auto* e = events + cursor_[v];
        const auto* end = events + end_[v];
        const double last_time = own_time_[n - 1];
        double* delta = snapshots_.data() + v * C;
        for (; e != end && e->time < last_time; ++e) {
            const std::size_t a = first_later(own_time_.data(), n, e->time);
            delta[a * kC + std::size_t(e->cascade)] += e->scaled * kernel.block_decay(own[a].block - e->block);
        }
        cursor_[v] = e - events;
    }
    // The recursion of every row at once, vectorised over the k×C states (the decay between two of
    // the user's events is the same for every in-neighbour):
    //   S_i = D(m_i − m_{i−1}) S_{i−1} + Δ_i   (S anchored at the block of event i),   G_i = S_i / E_i.
    double* state = state_.data();
    for (std::size_t i = 0; i < n; ++i) {
        const double decay = kernel.block_decay(own[i].block - state_block_);
        const double inverse = 1.0 / own[i].scaled;
        double* g = snapshots_.data() + i * kC;
        for (std::size_t x = 0; x < kC; ++x) {
            state[x] = state[x] * decay + g[x];
            g[x] = state[x] * inverse;
        }
        state_block_ = own[i].block;
    }
}

} // namespace mic
