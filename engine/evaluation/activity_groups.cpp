#include "engine/evaluation/activity_groups.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mic {

std::vector<activity_group> top_activity_groups(std::span<const double> activity, std::span<const double> loglik,
                                                std::span<const std::int64_t> events, std::span<const double> fractions) {
    std::vector<std::int32_t> order(activity.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return activity[std::size_t(a)] > activity[std::size_t(b)]; });
    std::vector<activity_group> groups;
    for (const double x : fractions) {
        activity_group g;
        g.fraction = x;
        g.n_users = std::min<std::int64_t>(std::int64_t(order.size()), std::int64_t(std::ceil(x * double(order.size()))));
        for (std::int64_t k = 0; k < g.n_users; ++k) {
            const auto u = std::size_t(order[std::size_t(k)]);
            g.loglik += loglik[u];
            g.n_events += events[u];
        }
        g.mean_per_user = g.n_users > 0 ? g.loglik / double(g.n_users) : 0.0;
        groups.push_back(g);
    }
    return groups;
}

} // namespace mic
