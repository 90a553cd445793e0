#include "engine/ctmp/influence_network.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <string>

#include "engine/ctmp/exact_sum.hpp"
#include "engine/distributed/checked_section.hpp"
#include "engine/distributed/partition.hpp"
#include "engine/support/error.hpp"

namespace mic {
namespace {

// The unit of the merge: m transitions source → target whose delays sum to `delay` · 2^-e.
struct transition_record {
    std::int32_t source;
    std::int32_t target;
    std::int64_t count;
    int128 delay;
};

bool key_less(const transition_record& a, const transition_record& b) {
    return a.source != b.source ? a.source < b.source : a.target < b.target;
}

// Checks this rank's topics and returns bounds for the fixed-point scale: no delay exceeds the
// longest time span of a topic (or min_delay), and no sum has more terms than there are posts.
std::pair<double, std::int64_t> check_and_bound(const topic_posts& topics, std::int32_t n_users, const csr_graph* follow,
                                                const network_options& options) {
    if (options.follow_graph && (follow == nullptr || follow->n_users() != n_users))
        throw input_error("dataset /graph: --follow-graph needs a graph of the dataset's " + std::to_string(n_users) +
                          " users; import the dataset with --edges, or drop --follow-graph");
    if (!(options.min_delay >= 0.0) || !std::isfinite(options.min_delay))
        throw input_error("ctmp: --min-delay must be finite and ≥ 0");
    double span = options.min_delay;
    for (std::size_t k = 0; k < topics.n_topics(); ++k) {
        const auto times = topics.times(k);
        const auto users = topics.users(k);
        for (std::size_t p = 0; p < users.size(); ++p) {
            if (users[p] < 0 || users[p] >= n_users)
                throw input_error("dataset /events: topic " + std::to_string(topics.topic[k]) + " has a post by user " +
                                  std::to_string(users[p]) + " outside [0, " + std::to_string(n_users) + "); fix the user ids or n_users");
            if (!std::isfinite(times[p]) || (p > 0 && !(times[p] >= times[p - 1])))
                throw input_error("dataset /events/time: topic " + std::to_string(topics.topic[k]) +
                                  " has a non-finite time or posts out of time order; fix the times");
        }
        if (!times.empty()) span = std::max(span, times.back() - times.front());
    }
    return {span, static_cast<std::int64_t>(topics.user.size())};
}

// Merges equal adjacent keys of sorted records, adding counts and fixed-point delays exactly.
void combine_sorted(std::vector<transition_record>& rows) {
    std::size_t write = 0;
    for (std::size_t read = 0; read < rows.size(); ++read) {  // write ≤ read: compaction in place
        if (write > 0 && rows[write - 1].source == rows[read].source && rows[write - 1].target == rows[read].target) {
            rows[write - 1].count += rows[read].count;
            rows[write - 1].delay += rows[read].delay;
        } else {
            rows[write++] = rows[read];
        }
    }
    rows.resize(write);
}

// Records kept sorted by (source, target) with one record per key, taking new records in batches:
// a batch is sorted and merged into the rest when it reaches the size of the rest plus a fixed
// minimum. Memory stays O(distinct pairs + batch), not O(transitions) (real topics repeat the same
// pairs many times), and the work O(T log T) when every pair is new. Counts and fixed-point delays
// add exactly, so the result does not depend on the batches.
class transition_accumulator {
public:
    void add(const transition_record& r) {
        rows_.push_back(r);
        if (rows_.size() - combined_ >= combined_ + min_batch) combine();
    }
    std::vector<transition_record> take() {
        combine();
        return std::move(rows_);
    }

private:
    static constexpr std::size_t min_batch = std::size_t(1) << 18;  // 8 MiB of records
    void combine() {
        const auto middle = rows_.begin() + std::ptrdiff_t(combined_);
        std::sort(middle, rows_.end(), key_less);
        std::inplace_merge(rows_.begin(), middle, rows_.end(), key_less);
        combine_sorted(rows_);
        combined_ = rows_.size();
    }
    std::vector<transition_record> rows_;
    std::size_t combined_ = 0;  // rows_[0, combined_) sorted with one record per key
};

// One pass over this rank's topics: every consecutive pair of posts (i at t_i, j at t_j), i ≠ j,
// and under follow_graph i ∈ in_neighbours(j), is a transition i → j with delay max(t_j − t_i, min_delay).
// Returned sorted by (source, target), one record per pair.
std::vector<transition_record> collect(const topic_posts& topics, const csr_graph* follow, const network_options& options,
                                       const fixed_point_scale& scale) {
    transition_accumulator out;
    for (std::size_t k = 0; k < topics.n_topics(); ++k) {
        const auto users = topics.users(k);
        const auto times = topics.times(k);
        for (std::size_t p = 1; p < users.size(); ++p) {
            const std::int32_t i = users[p - 1], j = users[p];
            if (i == j) continue;
            if (options.follow_graph) {
                const auto in = follow->in_neighbours(j);
                if (!std::binary_search(in.begin(), in.end(), i)) continue;
            }
            out.add({i, j, 1, scale.to_fixed(std::max(times[p] - times[p - 1], options.min_delay))});
        }
    }
    return out.take();
}

// Merges sorted runs (run r is [bounds[r], bounds[r+1])) pairwise, then combines equal keys. The
// sums are exact integers, so the result does not depend on the runs or the merge order.
void merge_runs(std::vector<transition_record>& rows, std::vector<std::int64_t> bounds) {
    while (bounds.size() > 2) {
        std::vector<std::int64_t> next{0};
        for (std::size_t r = 0; r + 1 < bounds.size(); r += 2) {
            const auto last = bounds[std::min(r + 2, bounds.size() - 1)];
            std::inplace_merge(rows.begin() + bounds[r], rows.begin() + bounds[r + 1], rows.begin() + last, key_less);
            next.push_back(last);
        }
        bounds = std::move(next);
    }
    combine_sorted(rows);
}

} // namespace

std::int64_t influence_network::n_transitions() const {
    return std::accumulate(count.begin(), count.end(), std::int64_t{0});
}

influence_network build_influence_network(const topic_posts& my_topics, std::int32_t n_users, const csr_graph* follow,
                                          const network_options& options, const communicator& comm) {
    std::pair<double, std::int64_t> bound;
    // Local checks, no collectives inside: run_checked makes every rank agree on success or on one error.
    run_checked(comm, [&] { bound = check_and_bound(my_topics, n_users, follow, options); });
    // Every rank reaches the same collectives in the same order (max, sum, exchange, allgatherv).
    const double max_delay = comm.max(bound.first);
    const std::int64_t max_terms = comm.sum(bound.second);
    const auto scale = fixed_point_scale::for_sum(max_delay, max_terms);
    // This rank's pairs, sorted by (source, target) and combined.
    auto local = collect(my_topics, follow, options, scale);
    // Reduce by source: rank r combines every rank's pairs whose source is in its range of
    // range_partition::even(n_users, size) (each rank sends its sorted records in order, so what
    // arrives is one sorted run per source rank), then every rank gathers the combined ranges in rank
    // order, which is (source, target) order. No rank holds all ranks' records at once, only its
    // own, the pairs of its sources, and the merged network (which every rank needs).
    const auto sources = range_partition::even(n_users, comm.size());
    std::vector<std::vector<transition_record>> by_owner(static_cast<std::size_t>(comm.size()));
    {
        int owner = 0;
        for (const auto& r: local) {  // sources ascend, so the owner only moves forward
            while (r.source >= sources.end(owner)) ++owner;
            by_owner[static_cast<std::size_t>(owner)].push_back(r);
        }
    }
    local = {};
    std::vector<std::int64_t> counts;
    auto mine = comm.exchange(by_owner, &counts);
    by_owner = {};
    std::vector<std::int64_t> bounds{0};
    for (auto c: counts) bounds.push_back(bounds.back() + c);
    merge_runs(mine, std::move(bounds));
    auto merged = comm.allgatherv(std::span<const transition_record>(mine));
    mine = {};

    influence_network net;
    net.n_users = n_users;
    net.offsets.assign(static_cast<std::size_t>(n_users) + 1, 0);
    net.out_delay_sum.assign(static_cast<std::size_t>(n_users), 0.0);
    net.target.reserve(merged.size());
    net.count.reserve(merged.size());
    net.delay_sum.reserve(merged.size());
    std::vector<int128> row_sum(static_cast<std::size_t>(n_users), 0);
    for (const auto& r: merged) {
        ++net.offsets[static_cast<std::size_t>(r.source) + 1];
        net.target.push_back(r.target);
        net.count.push_back(r.count);
        net.delay_sum.push_back(scale.to_double(r.delay));
        row_sum[static_cast<std::size_t>(r.source)] += r.delay;
    }
    std::partial_sum(net.offsets.begin(), net.offsets.end(), net.offsets.begin());
    for (std::size_t i = 0; i < row_sum.size(); ++i) net.out_delay_sum[i] = scale.to_double(row_sum[i]);
    return net;
}

influence_network build_influence_network(const dataset& data, const network_options& options, const communicator& comm,
                                          double time_limit) {
    topic_posts mine;
    run_checked(comm, [&] { mine = group_by_topic(data, comm.rank(), comm.size(), time_limit); });
    const auto n_users = static_cast<std::int32_t>(data.events.user_offsets.size()) - 1;
    return build_influence_network(mine, n_users, &data.graph, options, comm);
}

} // namespace mic
