#pragma once
// The read of a dataset file for jobs that split the topics over ranks (`mic spread`, topic c on
// rank c % size): each rank ends with the events of its topics, the header and the whole graph.
//
// Each event is read by one rank only: the users are cut into contiguous ranges of about N/size
// events, each rank reads and validates its range in blocks of whole users (as read_dataset
// validates the whole file) and sends every event to the rank of its topic. While the exchange runs
// a rank holds what it sends and what it receives (16 + 16 bytes per event of about N/size, the lists
// reserved to their exact sizes), then its share (12 bytes per event); never the whole log. One rank
// reads straight into its share. Every rank reads and checks the whole graph. A user's events are
// read by one rank, so a user with more than N/size events makes that rank's range larger.
#include <cstdint>
#include <filesystem>

#include "engine/data/event_data.hpp"
#include "engine/distributed/communicator.hpp"

namespace mic::io {

// Events are read `block_events` at a time (whole users: a user with more is one block; 1 Mi events
// are 12 MiB).
inline constexpr std::int64_t default_share_block_events = std::int64_t(1) << 20;

// COLLECTIVE over `comm`: topic_share(read_dataset(path), comm.rank(), comm.size())
// (engine/ctmp/topic_posts.hpp) without any rank holding the whole log; names are not read. When the
// file is bad, every rank throws the same mic::agreed_error: on one rank the message read_dataset
// gives, on several the first problem of the lowest rank that found one. std::invalid_argument
// (on every rank) unless block_events ≥ 1.
dataset read_topic_share(const std::filesystem::path& path, const communicator& comm,
                         std::int64_t block_events = default_share_block_events);

} // namespace mic::io
