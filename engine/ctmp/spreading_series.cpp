#include "engine/ctmp/spreading_series.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mic {

std::int32_t period_grid::period_of(double t) const {
    if (periods <= 0 || !(t >= start) || t > end(periods - 1)) return -1;
    auto d = static_cast<std::int32_t>(std::ceil((t - start) / width)) - 1;
    d = std::clamp(d, 0, periods - 1);
    // Settle rounding at the boundaries against end(d) itself: t ∈ (end(d−1), end(d)].
    while (d > 0 && t <= end(d - 1)) --d;
    while (d < periods - 1 && t > end(d)) ++d;
    return d;
}

namespace {

// The posts of `topic` (any user) in (from, to].
std::int64_t posts_in(const topic_posts& all_topics, std::int32_t topic, double from, double to) {
    const auto slot = all_topics.find(topic);
    if (slot < 0 || !(to > from)) return 0;
    const auto times = all_topics.times(static_cast<std::size_t>(slot));
    return std::upper_bound(times.begin(), times.end(), to) - std::upper_bound(times.begin(), times.end(), from);
}

} // namespace

double posts_by_others(const dataset& data, const topic_posts& all_topics, std::int32_t user, std::int32_t topic,
                       double from, double to) {
    if (!(to > from)) return 0.0;
    // All posts of the topic in (from, to], minus the user's own posts of it there.
    auto count = posts_in(all_topics, topic, from, to);
    const auto& ev = data.events;
    const auto first = ev.time.begin() + ev.user_offsets[static_cast<std::size_t>(user)];
    const auto last = ev.time.begin() + ev.user_offsets[static_cast<std::size_t>(user) + 1];
    for (auto it = std::upper_bound(first, last, from); it != last && *it <= to; ++it)
        if (ev.cascade[static_cast<std::size_t>(it - ev.time.begin())] == topic) --count;
    return static_cast<double>(std::max<std::ptrdiff_t>(count, 0));
}

std::vector<post_window> post_windows(const dataset& data, const topic_posts& all_topics, std::int32_t user,
                                      const period_grid& grid) {
    const auto& ev = data.events;
    const auto first = ev.user_offsets[static_cast<std::size_t>(user)];
    const auto last = ev.user_offsets[static_cast<std::size_t>(user) + 1];
    struct candidate {
        std::int32_t period, topic;
        std::int64_t event;  // events of a user are in time order, so the smallest index is the first post
    };
    std::vector<candidate> found;
    for (auto e = first; e < last; ++e) {
        const auto d = grid.period_of(ev.time[static_cast<std::size_t>(e)]);
        if (d >= 0) found.push_back({d, ev.cascade[static_cast<std::size_t>(e)], e});
    }
    std::sort(found.begin(), found.end(), [](const candidate& a, const candidate& b) {
        return a.period != b.period ? a.period < b.period : a.topic != b.topic ? a.topic < b.topic : a.event < b.event;
    });
    std::vector<post_window> out;
    for (std::size_t k = 0; k < found.size();) {
        // The group of the user's posts of topic φ in period d, in time order; t_φ is the first.
        std::size_t next = k + 1;
        while (next < found.size() && found[next].period == found[k].period && found[next].topic == found[k].topic) ++next;
        const auto [d, phi, e] = found[k];
        const double t = ev.time[static_cast<std::size_t>(e)], end = grid.end(d);
        // posts_by_others(data, all_topics, user, φ, t, end) without walking the user's history: the
        // user's own posts of φ in (t, end] are this group's posts after t (period_of puts exactly
        // the times in (end(d − 1), end(d)] in period d), and all posts of φ in (t, end] come from
        // the topic's sorted times.
        std::int64_t own_later = 0;
        for (auto g = k + 1; g < next; ++g) own_later += ev.time[static_cast<std::size_t>(found[g].event)] > t;
        out.push_back({d, phi, t, end - t, static_cast<double>(std::max<std::int64_t>(posts_in(all_topics, phi, t, end) - own_later, 0))});
        k = next;
    }
    return out;
}

std::vector<double> period_means(std::span<const post_window> windows, std::span<const double> values,
                                 std::int32_t periods) {
    if (values.size() != windows.size()) throw std::invalid_argument("period_means: one value per window");
    std::vector<double> sum(static_cast<std::size_t>(periods), 0.0), count(static_cast<std::size_t>(periods), 0.0);
    for (std::size_t k = 0; k < windows.size(); ++k) {
        if (windows[k].period < 0 || windows[k].period >= periods) continue;
        sum[static_cast<std::size_t>(windows[k].period)] += values[k];
        count[static_cast<std::size_t>(windows[k].period)] += 1.0;
    }
    for (std::size_t d = 0; d < sum.size(); ++d) sum[d] = count[d] > 0.0 ? sum[d] / count[d] : 0.0;
    return sum;
}

std::vector<double> observed_series(std::span<const post_window> windows, std::int32_t periods) {
    std::vector<double> values;
    for (const auto& w: windows) values.push_back(w.observed);
    return period_means(windows, values, periods);
}

std::vector<double> predicted_series(std::span<const post_window> windows, const spreading_table& table,
                                     std::size_t a, std::int32_t periods) {
    std::vector<double> values;
    for (const auto& w: windows) values.push_back(spreading_size(table, a, w.age));
    return period_means(windows, values, periods);
}

double posting_rate(std::span<const post_window> training_windows, const period_grid& training_grid) {
    const double length = training_grid.width * training_grid.periods;
    return length > 0.0 ? static_cast<double>(training_windows.size()) / length : 0.0;
}

std::vector<double> extrapolated_series(double rate, double mean_ds, const period_grid& grid) {
    const double value = -std::expm1(-rate * grid.width) * mean_ds;  // (1 − e^{−r w}) · mean DS
    return std::vector<double>(static_cast<std::size_t>(std::max(grid.periods, 0)), value);
}

} // namespace mic
