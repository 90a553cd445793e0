#pragma once
// In-memory event histories and user graphs, as the models see them (no file format here).
//
// Conventions (SPEC §5): ids are 0-based; events are grouped by user and sorted by time inside each
// user; the graph is stored as in-neighbour lists: the sources v of the edges v → u ("v influences
// u") are in_source[in_offsets[u] .. in_offsets[u+1]), strictly ascending.
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mic {

struct dataset_header {
    std::int32_t n_users = 0;
    std::int32_t n_cascades = 0;
    double t_start = 0.0;  // observation window [t_start, t_end]
    double t_end = 0.0;
    std::string time_unit;
    // The instant that time 0 stands for, as ISO-8601 ("1970-01-01T00:00:00Z" after importing
    // ISO timestamps), or "" when the times have no calendar meaning.
    std::string time_origin;
};

// In-neighbour lists in CSR form.
struct csr_graph {
    std::vector<std::int64_t> in_offsets{0};  // n_users + 1
    std::vector<std::int32_t> in_source;

    std::int32_t n_users() const { return static_cast<std::int32_t>(in_offsets.size()) - 1; }
    std::int64_t n_edges() const { return static_cast<std::int64_t>(in_source.size()); }
    std::span<const std::int32_t> in_neighbours(std::int32_t u) const {
        return std::span(in_source).subspan(static_cast<std::size_t>(in_offsets[u]),
                                            static_cast<std::size_t>(in_offsets[u + 1] - in_offsets[u]));
    }
};

// The events of every user: user u's events are [user_offsets[u], user_offsets[u+1]).
struct event_table {
    std::vector<std::int64_t> user_offsets{0};  // n_users + 1
    std::vector<std::int32_t> cascade;
    std::vector<double> time;

    std::int64_t n_events() const { return static_cast<std::int64_t>(time.size()); }
};

// A whole dataset file in memory.
struct dataset {
    dataset_header header;
    event_table events;
    csr_graph graph;
    std::vector<std::string> user_names;     // empty, or n_users names
    std::vector<std::string> cascade_names;  // empty, or n_cascades names
};

// The events of a subset of users (ascending global ids), grouped by user like event_table.
struct user_events {
    std::vector<std::int32_t> users;       // ascending global ids
    std::vector<std::int64_t> offsets{0};  // users.size() + 1
    std::vector<std::int32_t> cascade;
    std::vector<double> time;

    // Position of global user `u` in `users`, or -1 when its events were not loaded.
    std::int32_t local_index(std::int32_t u) const {
        auto it = std::lower_bound(users.begin(), users.end(), u);
        return (it != users.end() && *it == u) ? static_cast<std::int32_t>(it - users.begin()) : -1;
    }
    std::span<const double> times(std::int32_t local) const {
        return std::span(time).subspan(static_cast<std::size_t>(offsets[local]),
                                       static_cast<std::size_t>(offsets[local + 1] - offsets[local]));
    }
    std::span<const std::int32_t> cascades(std::int32_t local) const {
        return std::span(cascade).subspan(static_cast<std::size_t>(offsets[local]),
                                          static_cast<std::size_t>(offsets[local + 1] - offsets[local]));
    }
};

// What one rank needs to evaluate its users' likelihood terms: the users it owns, their
// in-neighbour lists, and the events of the owned users and of all their in-neighbours.
struct shard {
    dataset_header header;
    std::vector<std::int32_t> owned;         // ascending global ids
    std::vector<std::int64_t> in_offsets{0};  // owned.size() + 1
    std::vector<std::int32_t> in_source;     // global ids, ascending within each owned user
    user_events events;                      // users = owned ∪ in-neighbours, ascending

    std::span<const std::int32_t> in_neighbours(std::size_t owned_index) const {
        return std::span(in_source).subspan(static_cast<std::size_t>(in_offsets[owned_index]),
                                            static_cast<std::size_t>(in_offsets[owned_index + 1] - in_offsets[owned_index]));
    }
};

// The shard of `data` for the users `owned` (ascending): the in-memory equivalent of the sharded
// file read, used as its oracle and by single-process tools.
shard make_shard(const dataset& data, std::span<const std::int32_t> owned);

// Users whose events a shard needs: `owned` ∪ the in-neighbours of owned users, ascending.
std::vector<std::int32_t> needed_users(std::span<const std::int32_t> owned,
                                       std::span<const std::int32_t> in_source_of_owned);

} // namespace mic
