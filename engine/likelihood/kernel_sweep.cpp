#include "engine/likelihood/kernel_sweep.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

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
    prefetch_.start(*kernels_, owned_index + 1);
    prefetch_.finish();
    for (std::size_t v = 0; v < k; ++v) {
        const std::int32_t local = locals[v];
        cursor_[v] = data.events.offsets[std::size_t(local)];
        end_[v] = data.events.offsets[std::size_t(local) + 1];
        auto row = kernels_->compensator(local);
        std::copy(row.begin(), row.end(), compensator_.begin() + std::ptrdiff_t(v * C));
    }
    // An empty row sits at block −inf: moving it to any block multiplies by D(+inf) = 0.
    row_block_.assign(k, -std::numeric_limits<double>::infinity());
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
    const std::size_t C = std::size_t(C_), k = std::size_t(k_);
    const std::size_t n = std::size_t(block_end_ - block_first_);
    snapshots_.resize(n * k * C);
    own_inverse_.resize(n);
    for (std::size_t i = 0; i < n; ++i) own_inverse_[i] = 1.0 / events[block_first_ + std::int64_t(i)].scaled;
    for (std::size_t v = 0; v < k; ++v) {
        double* row = state_.data() + v * C;
        std::int64_t j = cursor_[v];
        const std::int64_t end = end_[v];
        double row_block = row_block_[v];
        for (std::size_t i = 0; i < n; ++i) {
            const auto& own = events[block_first_ + std::int64_t(i)];
            // Add the neighbour's events with t_j < t (strict: ties do not excite) to the row state,
            // kept at the block of the row's latest event: state[s] = Σ_j E_j D(row_block − m_j).
            for (; j < end && events[j].time < own.time; ++j) {
                const auto& e = events[j];
                if (e.block > row_block) {
                    const double decay = kernel.block_decay(e.block - row_block);
                    for (std::size_t s = 0; s < C; ++s) row[s] *= decay;
                    row_block = e.block;
                }
                row[std::size_t(e.cascade)] += e.scaled;
            }
            // G[v][s] = state[s] · D(m_e − row_block) / E_e = Σ_j exp(−(t_e − t_j)/τ).
            const double factor = kernel.block_decay(own.block - row_block) * own_inverse_[i];
            double* out = snapshots_.data() + (i * k + v) * C;
            for (std::size_t s = 0; s < C; ++s) out[s] = row[s] * factor;
        }
        cursor_[v] = j;
        row_block_[v] = row_block;
    }
}

} // namespace mic
