#pragma once
// The read of a dataset file for jobs that split the topics over ranks (`mic spread`, topic c on
// rank c % size): the events of one part of the topics, the header and the whole graph.
//
// Each rank streams the whole event log in blocks of whole users and keeps only its topics, so it
// holds O(its events + one block + the graph), never the whole log, and the file is validated exactly
// as read_dataset validates it (every rank sees every event, so every rank finds the same first
// problem).
#include <cstdint>
#include <filesystem>

#include "engine/data/event_data.hpp"

namespace mic::io {

// topic_share(read_dataset(path), part, n_parts) (engine/ctmp/topic_posts.hpp) without holding the
// whole log; names are not read. Events are read `block_events` at a time (whole users: a user with
// more is one block; 1 Mi events are 12 MiB). Throws mic::input_error like read_dataset (the same
// message for the same file), std::invalid_argument unless 0 ≤ part < n_parts and block_events ≥ 1.
inline constexpr std::int64_t default_share_block_events = std::int64_t(1) << 20;
dataset read_topic_share(const std::filesystem::path& path, int part, int n_parts,
                         std::int64_t block_events = default_share_block_events);

} // namespace mic::io
