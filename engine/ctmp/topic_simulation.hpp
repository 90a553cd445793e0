#pragma once
// Synthetic topic data with a known answer (engine part of `mic generate --kind topics`): many
// topics spreading over users as continuous-time jump chains of a known CTMC (q_i, S_ij).
//
// Topic c starts at a uniformly random user at a uniform time in [t_start, start_until]; each post
// by user i is followed, after an Exp(q_i) delay, by a post by j drawn from S_i· — so consecutive
// posts of a topic are exactly the chain's jumps and the estimator of rate_matrix.hpp recovers q_i
// and S_ij as topics grow in number. A topic ends at an absorbing user, at the first post after
// t_end (not recorded) or after max_posts_per_topic posts. Topic c draws from its own random stream
// (seed, c), so the data does not depend on the order topics are simulated in.
#include <cstdint>
#include <string>

#include "engine/ctmp/rate_matrix.hpp"
#include "engine/data/event_data.hpp"

namespace mic {

struct topic_simulation_spec {
    std::int32_t n_topics = 1000;
    double t_start = 0.0;
    double t_end = 1.0;
    double start_until = -1.0;  // topics start in [t_start, start_until]; a value < t_start means t_end
    std::int64_t max_posts_per_topic = 1'000'000;
    std::uint64_t seed = 1;
    std::string time_unit = "day";
};

// A dataset (SPEC §5 layout): events grouped by user and sorted by (time, cascade); cascades are the
// topics; the graph holds the chain's edges i → j (q_ij > 0) as in-neighbour lists, so
// --follow-graph keeps every simulated transition.
dataset simulate_topics(const ctmp_model& chain, const topic_simulation_spec& spec);

// A random sparse chain for tests and benchmarks: a fraction of users is absorbing; every other
// user has 1 .. 2·mean_out_degree − 1 distinct targets (uniform count) with jump probabilities
// proportional to uniform(0.2, 1] weights, and a log-uniform rate in [rate_min, rate_max].
struct random_chain_spec {
    std::int32_t n_users = 100;
    double mean_out_degree = 4.0;
    double rate_min = 0.5, rate_max = 5.0;
    double absorbing_fraction = 0.1;
};
ctmp_model random_ctmp_model(const random_chain_spec& spec, std::uint64_t seed);

} // namespace mic
