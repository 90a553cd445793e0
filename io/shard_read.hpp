#pragma once
// The sharded read of a dataset file (SPEC §5: "each rank reads only what its users need, through
// parallel HDF5"): the events of the owned users and of their in-neighbours, and the owned users'
// in-neighbour lists — not the whole file.
#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <vector>

#include "engine/data/event_data.hpp"
#include "engine/distributed/communicator.hpp"

namespace mic::io {

// What one rank's read touched (for tests and tuning). Counts are elements per array.
struct shard_read_stats {
    std::int64_t events_needed = 0;  // events of owned ∪ in-neighbours
    std::int64_t events_read = 0;    // elements read from each /events array (needed + merged gaps)
    std::int64_t event_reads = 0;    // ranges read from each /events array
    std::int64_t edges_read = 0;     // elements read from /graph/in_source
    std::int64_t edge_reads = 0;     // ranges read from /graph/in_source
};

// COLLECTIVE over `comm`: every rank calls it, each with its own owned users (ascending, distinct,
// in [0, n_users); may be empty). Returns what make_shard(read_dataset(path), owned) returns,
// reading only the needed ranges; everything read is validated like read_dataset does. When the
// file is bad, every rank throws the same mic::agreed_error (the message of the lowest failing rank).
// With `keep_until` finite, the events with t > keep_until are validated and then dropped (a fit
// reads nothing after its training window, so it does not keep the held-out events in memory).
shard read_shard(const std::filesystem::path& path, std::span<const std::int32_t> owned, const communicator& comm,
                 shard_read_stats* stats = nullptr, double keep_until = std::numeric_limits<double>::infinity());

// A run of consecutive users [first, last), read as the single range [offsets[first], offsets[last]).
struct user_run {
    std::int32_t first = 0, last = 0;
    friend bool operator==(const user_run&, const user_run&) = default;
};

// The read plan for ascending `users`: consecutive users form one run, and two runs merge (taking
// the users between them along) when at most `max_gap` elements separate their ranges.
std::vector<user_run> plan_runs(std::span<const std::int32_t> users, std::span<const std::int64_t> offsets,
                                std::int64_t max_gap);

} // namespace mic::io
