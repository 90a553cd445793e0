#pragma once
// Per-shard preparation shared by every user of a pass: the anchored times of all events of the
// shard (see engine/model/exponential_kernel.hpp) and the compensator integrals of every shard
// user's events. Built once per (shard, τ, window) in O(events of the shard) time and memory
// (32 bytes per event, 8·C bytes per shard user, 4 bytes per in-neighbour entry); every user's
// pass then reads it.
//
// Window (a, b]: events with a < t ≤ b are scored (a ≤ t ≤ b when it includes a, see
// likelihood_window); every event with t_e < t counts in the kernel state at t (including events at
// or before a); events after b are never read.
#include <cstdint>
#include <span>
#include <string>
#include <vector>
#include <utility>

#include "engine/data/event_data.hpp"
#include "engine/model/exponential_kernel.hpp"

namespace mic {

struct likelihood_window {
    double from = 0;             // a (excluded unless includes_from)
    double to = 0;               // b (included)
    bool includes_from = false;  // [a, b] instead of (a, b]: an event exactly at a is scored too
    double length() const { return to - from; }
    // Whether an event at time t is scored in this window.
    bool scores(double t) const { return (includes_from ? t >= from : t > from) && t <= to; }
};

// The window from `from` to `to` of a dataset: (from, to], or [from, to] when `from` is the
// dataset's t_start. The observation window is [t_start, t_end] (SPEC §5): nothing precedes an
// event at t_start, so it is scored like any other (real logs put many events on their first
// timestamp: a date-only log its whole first day). Its compensator is the same either way.
likelihood_window dataset_window(const dataset_header& header, double from, double to);

// The observation window [t_start, t_end] of a dataset header.
likelihood_window whole_window(const dataset_header& header);

// "(a, b]" or "[a, b]", for messages.
std::string to_string(const likelihood_window& window);

class shard_kernels {
public:
    // Keeps a reference to `data`: it must outlive this object. Throws input_error for a bad window
    // (needs finite a < b) or τ.
    shard_kernels(const shard& data, double tau, likelihood_window window);

    const shard& data() const { return *data_; }
    const exponential_kernel& kernel() const { return kernel_; }
    likelihood_window window() const { return window_; }
    std::int32_t n_cascades() const { return n_cascades_; }

    // Event j of data().events with its anchored time, packed so that a sweep reads one stream per
    // in-neighbour (32 bytes per event).
    struct anchored_event {
        double time;
        double scaled;          // E = exp((t − mW)/τ)
        double block;           // m = floor(t/W)
        std::int32_t cascade;
    };
    const anchored_event& event(std::int64_t j) const { return events_[std::size_t(j)]; }
    const anchored_event* events() const { return events_.data(); }
    double block(std::int64_t j) const { return events_[std::size_t(j)].block; }
    double scaled(std::int64_t j) const { return events_[std::size_t(j)].scaled; }

    // K_v^c = Σ_{e ∈ H_v^c, t_e < b} ∫_a^b κ(t − t_e) dt for the shard user with local index
    // `local_user` in data().events (C values), and K_v = Σ_c K_v^c.
    std::span<const double> compensator(std::int32_t local_user) const {
        return std::span(compensator_).subspan(std::size_t(local_user) * std::size_t(n_cascades_),
                                               std::size_t(n_cascades_));
    }

    // The scored events of owned user `owned_index`: [first, last) in data().events.
    std::pair<std::int64_t, std::int64_t> scored_events(std::size_t owned_index) const;

    // Local index in data().events of each in-neighbour, aligned with data().in_source (computed
    // once here, so that a pass does not binary-search the user list for every edge).
    std::span<const std::int32_t> neighbour_locals(std::size_t owned_index) const {
        const auto& offsets = data_->in_offsets;
        return std::span(neighbour_local_).subspan(std::size_t(offsets[owned_index]),
                                                   std::size_t(offsets[owned_index + 1] - offsets[owned_index]));
    }

private:
    const shard* data_;
    exponential_kernel kernel_;
    likelihood_window window_;
    std::int32_t n_cascades_;
    std::vector<anchored_event> events_;
    std::vector<double> compensator_;
    std::vector<std::int32_t> owned_local_;      // local index in data().events of each owned user
    std::vector<std::int32_t> neighbour_local_;  // local index of every in_source entry
};

// Asks the memory system for what a pass reads of the in-neighbours of one owned user — their events
// and compensator rows, ~k short streams at random places — a few cache lines at a time. A pass
// starts it for the next user and spreads the lines over its work on the current one, so that the
// next user's data arrives while the core computes (a burst of all lines at once fills the core's
// miss buffers and stalls it as long as a plain miss would).
class neighbour_prefetch {
public:
    // Plans the lines of owned user `owned_index` of `kernels` (none if it is past the last user):
    // the first `max_lines` lines of each in-neighbour's events (the hardware's stream prefetcher
    // follows a stream once it is going; a heavy neighbour's whole history would be a burst).
    void start(const shard_kernels& kernels, std::size_t owned_index, std::size_t max_lines);
    // Lines not yet asked for.
    std::size_t remaining() const { return remaining_; }
    // Asks for the next `lines` lines (fewer if fewer remain).
    void advance(std::size_t lines);
    void finish() { advance(remaining_); }

private:
    static constexpr std::uintptr_t line_bytes = 64;
    // The cache lines holding the events of the shard user with local index `local`, at most max_lines_.
    std::pair<std::uintptr_t, std::uintptr_t> event_lines(std::int32_t local) const;

    const shard_kernels* kernels_ = nullptr;
    std::span<const std::int32_t> locals_;
    std::size_t next_ = 0;  // next in-neighbour to begin
    std::uintptr_t line_ = 0, end_ = 0;
    std::size_t remaining_ = 0, max_lines_ = 0;
};

} // namespace mic
