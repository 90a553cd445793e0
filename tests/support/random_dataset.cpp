#include "tests/support/random_dataset.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

namespace mic::testing {

dataset make_random_dataset(const random_dataset_spec& spec, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    dataset d;
    d.header = {spec.n_users, spec.n_cascades, spec.t_start, spec.t_end, "s"};

    // Graph: in-neighbour lists, ascending by construction.
    d.graph.in_offsets.assign(1, 0);
    for (std::int32_t u = 0; u < spec.n_users; ++u) {
        for (std::int32_t v = 0; v < spec.n_users; ++v) {
            if ((v == u && spec.self_loops) || (v != u && unit(rng) < spec.edge_probability))
                d.graph.in_source.push_back(v);
        }
        d.graph.in_offsets.push_back(d.graph.n_edges());
    }

    // Events: Poisson counts, uniform times, sorted per user.
    std::poisson_distribution<int> count(spec.mean_events_per_user);
    std::uniform_int_distribution<std::int32_t> cascade(0, spec.n_cascades - 1);
    d.events.user_offsets.assign(1, 0);
    for (std::int32_t u = 0; u < spec.n_users; ++u) {
        const int n = unit(rng) < spec.fraction_silent_users ? 0 : count(rng);
        std::vector<std::pair<double, std::int32_t>> events;
        for (int i = 0; i < n; ++i) {
            double t = spec.t_start + (spec.t_end - spec.t_start) * unit(rng);
            if (spec.integer_times) t = std::round(t);
            events.emplace_back(std::clamp(t, spec.t_start, spec.t_end), cascade(rng));
        }
        std::sort(events.begin(), events.end());
        for (auto [t, c]: events) {
            d.events.time.push_back(t);
            d.events.cascade.push_back(c);
        }
        d.events.user_offsets.push_back(d.events.n_events());
    }
    if (spec.with_names) {
        d.header.time_origin = "2024-01-01T00:00:00Z";
        for (std::int32_t u = 0; u < spec.n_users; ++u) d.user_names.push_back("user_" + std::to_string(u));
        for (std::int32_t c = 0; c < spec.n_cascades; ++c) d.cascade_names.push_back("#topic" + std::to_string(c));
    }
    return d;
}

} // namespace mic::testing
