#pragma once
// Small random datasets for tests: a directed random graph and random event times. Not a model
// simulation (that is `mic generate`): just valid data with awkward corners — users without events,
// users without in-neighbours, equal timestamps across users, events on t_start and t_end.
#include <cstdint>

#include "engine/data/event_data.hpp"

namespace mic::testing {

struct random_dataset_spec {
    std::int32_t n_users = 20;
    std::int32_t n_cascades = 3;
    double edge_probability = 0.2;        // each ordered pair v → u, v ≠ u
    bool self_loops = false;               // add u → u for every u
    double mean_events_per_user = 5.0;     // Poisson
    double fraction_silent_users = 0.2;    // users with no events at all
    double t_start = 0.0, t_end = 10.0;
    bool integer_times = false;            // round times to integers: many exact ties
    bool with_names = true;
};

dataset make_random_dataset(const random_dataset_spec& spec, std::uint64_t seed);

} // namespace mic::testing
