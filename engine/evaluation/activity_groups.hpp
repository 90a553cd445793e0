#pragma once
// The held-out log-likelihood of the most active users (the MIC paper's Table 2): users ranked by
// activity (events in the whole dataset, or in the test window), the top ⌈x·U⌉ of them for each
// fraction x, and their total held-out L and mean per user. Ties are broken by user id, so the
// groups are the same on every rank and platform.
#include <cstdint>
#include <span>
#include <vector>

namespace mic {

struct activity_group {
    double fraction = 0;
    std::int64_t n_users = 0;
    std::int64_t n_events = 0;    // their held-out events
    double loglik = 0;            // Σ of their L_u
    double mean_per_user = 0;     // loglik / n_users
};

std::vector<activity_group> top_activity_groups(std::span<const double> activity, std::span<const double> loglik,
                                                std::span<const std::int64_t> events, std::span<const double> fractions);

} // namespace mic
