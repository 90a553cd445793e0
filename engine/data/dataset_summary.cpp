#include "engine/data/dataset_summary.hpp"

#include <algorithm>
#include <limits>

namespace mic {

dataset_summary summarise(const dataset& data, std::int32_t top) {
    dataset_summary s;
    const auto& h = data.header;
    s.n_users = h.n_users;
    s.n_cascades = h.n_cascades;
    s.n_events = data.events.n_events();
    s.n_edges = data.graph.n_edges();
    s.t_start = h.t_start;
    s.t_end = h.t_end;

    s.events_per_cascade.assign(static_cast<std::size_t>(h.n_cascades), 0);
    for (std::int32_t c: data.events.cascade) ++s.events_per_cascade[static_cast<std::size_t>(c)];

    s.first_event = std::numeric_limits<double>::infinity();
    s.last_event = -std::numeric_limits<double>::infinity();
    std::vector<dataset_summary::active_user> users;
    for (std::int32_t u = 0; u < h.n_users; ++u) {
        const auto first = data.events.user_offsets[u], last = data.events.user_offsets[u + 1];
        if (last > first) {
            ++s.users_with_events;
            users.push_back({u, last - first});
            // Times are sorted within a user: the extremes are at the ends.
            s.first_event = std::min(s.first_event, data.events.time[static_cast<std::size_t>(first)]);
            s.last_event = std::max(s.last_event, data.events.time[static_cast<std::size_t>(last - 1)]);
        }
        const auto in = data.graph.in_neighbours(u);
        if (in.empty()) ++s.users_without_in_neighbours;
        s.max_in_degree = std::max<std::int64_t>(s.max_in_degree, static_cast<std::int64_t>(in.size()));
        s.self_loops += std::binary_search(in.begin(), in.end(), u) ? 1 : 0;
    }
    if (s.n_events == 0) s.first_event = s.last_event = 0;

    const auto keep = std::min<std::size_t>(users.size(), static_cast<std::size_t>(std::max(top, 0)));
    std::partial_sort(users.begin(), users.begin() + static_cast<std::ptrdiff_t>(keep), users.end(),
                      [](const auto& a, const auto& b) { return a.events != b.events ? a.events > b.events : a.user < b.user; });
    s.most_active.assign(users.begin(), users.begin() + static_cast<std::ptrdiff_t>(keep));
    return s;
}

} // namespace mic
