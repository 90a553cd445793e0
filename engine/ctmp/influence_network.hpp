#pragma once
// The temporal influence network of IDM-CTMP (SPEC §3; paper Definition 1): for each topic, its
// posts in time order; each pair of consecutive posts by different users i then j is a transition
// i → j with delay t_j − t_i. With `follow_graph`, the pair counts only when j follows i
// (i ∈ in_neighbours(j)); a pair that fails the test is dropped (it does not bridge to later posts).
//
// Each rank runs one pass over its own topics (topic c belongs to rank c % size), then the ranks
// merge: each combines every rank's pairs of its range of sources, and all gather the result (per
// rank: its own pairs, its sources' pairs from every rank, and the merged network; 32 bytes per pair
// while merging). The merge is exact: counts m_ij are integers and delay sums are added in 128-bit
// fixed point (exact_sum.hpp), so the network — and the rate matrix estimated from it — is
// bit-identical on any number of ranks and for any split of the topics.
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/ctmp/topic_posts.hpp"
#include "engine/data/event_data.hpp"
#include "engine/distributed/communicator.hpp"

namespace mic {

struct network_options {
    bool follow_graph = false;  // keep i → j only when j follows i (needs the dataset's graph)
    double min_delay = 0.0;     // delays below this count as min_delay: the time resolution of the data
};

// The merged network, identical on every rank: transitions out of i are rows of a CSR.
struct influence_network {
    std::int32_t n_users = 0;
    std::vector<std::int64_t> offsets{0};  // n_users + 1
    std::vector<std::int32_t> target;      // j, strictly ascending within a row; never i itself
    std::vector<std::int64_t> count;       // m_ij ≥ 1
    std::vector<double> delay_sum;         // Σ of the delays of the transitions i → j
    std::vector<double> out_delay_sum;     // n_users: Σ of all delays out of i (exact sum, rounded once)

    std::int64_t n_edges() const { return static_cast<std::int64_t>(target.size()); }
    std::int64_t n_transitions() const;  // Σ m_ij
};

// Collective. `my_topics` are this rank's topics (any split of the topics over ranks works; every
// topic on exactly one rank); `follow` is required when options.follow_graph is set. Throws
// input_error (on every rank alike) for a user id outside [0, n_users) or a graph of the wrong size.
influence_network build_influence_network(const topic_posts& my_topics, std::int32_t n_users,
                                          const csr_graph* follow, const network_options& options,
                                          const communicator& comm);

// Collective convenience: the topics c % size == rank of `data`, posts with time ≤ time_limit
// (the training cut), and the dataset's graph for options.follow_graph.
influence_network build_influence_network(const dataset& data, const network_options& options,
                                          const communicator& comm,
                                          double time_limit = std::numeric_limits<double>::infinity());

} // namespace mic
