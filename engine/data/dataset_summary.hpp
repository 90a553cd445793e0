#pragma once
// The numbers `mic info` prints about a dataset.
#include <cstdint>
#include <vector>

#include "engine/data/event_data.hpp"

namespace mic {

struct dataset_summary {
    std::int32_t n_users = 0, n_cascades = 0;
    std::int64_t n_events = 0, n_edges = 0;
    double t_start = 0, t_end = 0;
    double first_event = 0, last_event = 0;     // meaningful when n_events > 0
    std::int32_t users_with_events = 0;
    std::int32_t users_without_in_neighbours = 0;
    std::int64_t max_in_degree = 0;
    std::int64_t self_loops = 0;
    std::vector<std::int64_t> events_per_cascade;  // n_cascades
    struct active_user {
        std::int32_t user;
        std::int64_t events;
    };
    std::vector<active_user> most_active;  // at most `top` users, most events first, ties by id
};

dataset_summary summarise(const dataset& data, std::int32_t top);

} // namespace mic
