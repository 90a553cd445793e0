#pragma once
// The discrete-time Independent Cascade baseline of the IDM-CTMP paper (§5.2).
//
// Model. Time runs in steps of `step` (--ic-step, default one day). A user who posts the topic is
// newly active; in the next step it has one chance to activate each of its neighbours (its
// followers, or its successors in the influence network) with probability p_u; users activated in
// step s try their own neighbours in step s+1; active users stay active.
//
// Parameters, as the paper: for user u, the spreading size of each of u's topics in the training
// period (posts of the topic by other users after u's first post of it, up to the training cut),
// averaged over u's topics and divided by the number of training days, is DDS_u; the activation
// probability of u on each neighbour is 1/DDS_u. The paper leaves two cases open; here
// p_u = min(1, 1/DDS_u) (1/DDS > 1 when DDS < 1) and p_u = 0 when DDS_u = 0 (no observed spread).
//
// Prediction for a post of age a (the horizon DS_i(a) would use): the expected number of users
// activated, the seed excluded, within s = ⌈a/step⌉ steps — one round for any 0 < a ≤ step (with
// ⌊a/step⌋ a daily IC would predict 0 for every same-day window of the daily series). For s = 1 it
// is exact: p_u · |N(u) \ {u}|. For s ≥ 2 it is a Monte Carlo mean over `runs` cascades drawn from
// random_stream(seed, u): deterministic, and independent of ranks and of evaluation order.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/ctmp/influence_network.hpp"
#include "engine/ctmp/spreading_series.hpp"
#include "engine/data/event_data.hpp"
#include "engine/distributed/communicator.hpp"

namespace mic {

// Out-neighbour lists: the users u can activate.
struct out_adjacency {
    std::vector<std::int64_t> offsets{0};  // n_users + 1
    std::vector<std::int32_t> target;      // ascending per user

    std::int32_t n_users() const { return static_cast<std::int32_t>(offsets.size()) - 1; }
    std::span<const std::int32_t> neighbours(std::int32_t u) const {
        return std::span(target).subspan(static_cast<std::size_t>(offsets[static_cast<std::size_t>(u)]),
                                         static_cast<std::size_t>(offsets[static_cast<std::size_t>(u) + 1] - offsets[static_cast<std::size_t>(u)]));
    }
};

out_adjacency followers(const csr_graph& graph);         // u → every v with u ∈ in_neighbours(v)
out_adjacency successors(const influence_network& net);  // i → every j with m_ij > 0

struct ic_options {
    double step = 1.0;         // --ic-step, in the dataset's time unit
    std::int64_t runs = 1000;  // Monte Carlo cascades per seed user (for ≥ 2 steps)
    std::uint64_t seed = 1;
};

// DDS_u from u's training windows — post_windows(data, all_topics, u, {train_start, train_cut −
// train_start, 1}) — and the number of training days (train_cut − train_start) / day.
double daily_spreading_size(std::span<const post_window> training_windows, double n_training_days);

// Collective: DDS_u of every user, identical on every rank, from each rank's share of the topics:
// `share` holds the events of this rank's topics (topic_share, or the whole dataset on one rank) and
// `share_topics` = group_by_topic(share). Every topic must be on exactly one rank. Each rank adds
// up, for every user, the truth of its windows and their number; both are integers, so the sums
// over ranks are exact and DDS is bit-identical for any split of the topics.
std::vector<double> daily_spreading_sizes(const dataset& share, const topic_posts& share_topics, double train_start,
                                          double train_cut, double day, const communicator& comm);

struct independent_cascade {
    out_adjacency graph;
    std::vector<double> activation;  // p_u
};
independent_cascade make_independent_cascade(out_adjacency graph, std::span<const double> dds);

// ⌈age/step⌉, 0 for age ≤ 0.
std::int64_t ic_steps(double age, double step);

// Expected number of activated users (seed excluded) within `steps` steps from `user`.
double expected_activations(const independent_cascade& ic, std::int32_t user, std::int64_t steps, const ic_options& options);

// The IC prediction for each window of `user` (its age → steps), for period_means.
std::vector<double> ic_predictions(const independent_cascade& ic, std::int32_t user, std::span<const post_window> windows,
                                   const ic_options& options);

} // namespace mic
