#include "engine/likelihood/shard_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>

#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"

namespace mic {

likelihood_window dataset_window(const dataset_header& header, double from, double to) {
    return {from, to, from == header.t_start};
}

likelihood_window whole_window(const dataset_header& header) { return dataset_window(header, header.t_start, header.t_end); }

std::string to_string(const likelihood_window& window) {
    std::string text = window.includes_from ? "[" : "(";  // appended: `"(" + string` trips GCC 12's -Wrestrict
    return text.append(shortest(window.from)).append(", ").append(shortest(window.to)).append("]");
}

shard_kernels::shard_kernels(const shard& data, double tau, likelihood_window window)
    : data_(&data), kernel_(tau), window_(window), n_cascades_(data.header.n_cascades) {
    if (!(std::isfinite(window.from) && std::isfinite(window.to) && window.from < window.to))
        throw input_error("likelihood window " + to_string(window) + " is empty or not finite; choose from < to");
    // Below the spacing of doubles at the window's times the kernel falls from 1 to nothing between two
    // representable times (and 1/τ overflows for a subnormal τ): no event could excite another.
    const double resolution = std::max(std::numeric_limits<double>::min(),
                                       std::max(std::abs(window.from), std::abs(window.to)) * std::numeric_limits<double>::epsilon());
    if (!(tau >= resolution))
        throw input_error("tau " + shortest(tau) + " is below the resolution of this dataset's times (" + shortest(resolution) +
                          " near t = " + shortest(std::abs(window.from) > std::abs(window.to) ? window.from : window.to) +
                          "): the kernel would vanish between two representable times; "
                          "choose tau in the dataset's time unit (its events' gaps are the scale)");
    const auto& ev = data.events;
    const std::size_t n = ev.time.size();
    events_.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
        if (ev.cascade[j] < 0 || ev.cascade[j] >= n_cascades_)
            throw input_error("event " + std::to_string(j) + " of the shard has cascade " +
                              std::to_string(ev.cascade[j]) + " outside [0, n_cascades = " +
                              std::to_string(n_cascades_) + "); the dataset is inconsistent, re-import it");
        const auto a = kernel_.anchor(ev.time[j]);
        events_[j] = {ev.time[j], a.scaled, a.block, ev.cascade[j]};
    }
    // K_v^c: closed-form integral of each event's kernel over (a, b], summed per user and cascade in
    // event order (the same order whichever rank holds the user, so the sums are bitwise equal).
    const std::size_t C = std::size_t(n_cascades_);
    compensator_.assign(ev.users.size() * C, 0.0);
    for (std::size_t v = 0; v < ev.users.size(); ++v)
        for (auto j = ev.offsets[v]; j < ev.offsets[v + 1]; ++j) {
            if (ev.time[std::size_t(j)] >= window.to) break;
            compensator_[v * C + std::size_t(ev.cascade[std::size_t(j)])] +=
                kernel_.integral(ev.time[std::size_t(j)], window.from, window.to);
        }
    owned_local_.resize(data.owned.size());
    for (std::size_t i = 0; i < data.owned.size(); ++i) owned_local_[i] = ev.local_index(data.owned[i]);
    neighbour_local_.resize(data.in_source.size());
    for (std::size_t e = 0; e < data.in_source.size(); ++e) {
        neighbour_local_[e] = ev.local_index(data.in_source[e]);
        if (neighbour_local_[e] < 0)
            throw input_error("the shard lacks the events of in-neighbour " + std::to_string(data.in_source[e]) +
                              "; build shards with make_shard or the sharded reader");
    }
}

std::pair<std::int64_t, std::int64_t> shard_kernels::scored_events(std::size_t owned_index) const {
    const auto& ev = data_->events;
    const auto u = std::size_t(owned_local_[owned_index]);
    const auto begin = ev.time.begin();
    auto first = window_.includes_from ? std::lower_bound(begin + ev.offsets[u], begin + ev.offsets[u + 1], window_.from)
                                       : std::upper_bound(begin + ev.offsets[u], begin + ev.offsets[u + 1], window_.from);
    auto last = std::upper_bound(first, begin + ev.offsets[u + 1], window_.to);
    return {first - begin, last - begin};
}

void neighbour_prefetch::start(const shard_kernels& kernels, std::size_t owned_index, std::size_t max_lines) {
    kernels_ = &kernels;
    max_lines_ = max_lines;
    next_ = 0;
    line_ = end_ = 0;
    remaining_ = 0;
    if (owned_index >= kernels.data().owned.size()) {
        locals_ = {};
        return;
    }
    locals_ = kernels.neighbour_locals(owned_index);
    // One step per in-neighbour for its compensator row, then one per cache line its events touch.
    for (std::int32_t local: locals_) {
        const auto [first, last] = event_lines(local);
        remaining_ += 1 + std::size_t(last - first) / line_bytes;
    }
}

std::pair<std::uintptr_t, std::uintptr_t> neighbour_prefetch::event_lines(std::int32_t local) const {
    const auto& offsets = kernels_->data().events.offsets;
    const auto* begin = kernels_->events() + offsets[std::size_t(local)];
    const auto* end = kernels_->events() + offsets[std::size_t(local) + 1];
    // The line of the first byte up to the line after the last byte (none for no events).
    const auto first = reinterpret_cast<std::uintptr_t>(begin) / line_bytes * line_bytes;
    const auto last = begin == end ? first : (reinterpret_cast<std::uintptr_t>(end) + line_bytes - 1) / line_bytes * line_bytes;
    return {first, std::min(last, first + max_lines_ * line_bytes)};  // [first, last): lines, line_bytes apart
}

void neighbour_prefetch::advance(std::size_t lines) {
    while (lines > 0 && remaining_ > 0) {
        if (line_ >= end_) {
            // Begin the next in-neighbour: its compensator row (two lines at most), then its events.
            const auto local = locals_[next_++];
            const auto row = kernels_->compensator(local);
            __builtin_prefetch(row.data(), 0, 2);
            __builtin_prefetch(row.data() + row.size() - 1, 0, 2);
            std::tie(line_, end_) = event_lines(local);
        } else {
            __builtin_prefetch(reinterpret_cast<const void*>(line_), 0, 2);
            line_ += line_bytes;
        }
        --lines;
        --remaining_;
    }
}

} // namespace mic
