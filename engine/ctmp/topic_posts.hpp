#pragma once
// Posts grouped by topic (a cascade: hashtag, URL), each topic's posts in time order: the view of an
// event log that the temporal influence network and the ground truth of IDM-CTMP need (SPEC §3).
// The dataset stores events grouped by user; this regroups them in one counting pass.
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "engine/data/event_data.hpp"

namespace mic {

struct topic_posts {
    std::vector<std::int32_t> topic;       // topic ids present, ascending
    std::vector<std::int64_t> offsets{0};  // topic.size() + 1: posts of topic[k] are [offsets[k], offsets[k+1])
    std::vector<std::int32_t> user;        // who posted
    std::vector<double> time;              // ascending within a topic; equal times ordered by user
    // Filled by group_by_topic for its part: position[c / n_parts] = the index of topic c in `topic`,
    // or −1 (4 bytes per cascade id of the part), so that find() is one look-up. Empty: find() searches.
    int part = 0, n_parts = 1;
    std::vector<std::int32_t> position;

    std::size_t n_topics() const { return topic.size(); }
    std::span<const std::int32_t> users(std::size_t k) const {
        return std::span(user).subspan(static_cast<std::size_t>(offsets[k]),
                                       static_cast<std::size_t>(offsets[k + 1] - offsets[k]));
    }
    std::span<const double> times(std::size_t k) const {
        return std::span(time).subspan(static_cast<std::size_t>(offsets[k]),
                                       static_cast<std::size_t>(offsets[k + 1] - offsets[k]));
    }
    // Position of topic id `c` in `topic`, or -1 when it has no posts here.
    std::int64_t find(std::int32_t c) const;
};

// The topics c with c % n_parts == part (rank `part`'s share of the topics when n_parts ranks split
// them), keeping the posts with time ≤ time_limit. Throws input_error for a cascade id outside
// [0, n_cascades).
topic_posts group_by_topic(const dataset& data, int part = 0, int n_parts = 1,
                           double time_limit = std::numeric_limits<double>::infinity());

// True when topic c (≥ 0) is in part `part` of `n_parts` (the split of topics over ranks used here).
inline bool in_topic_part(std::int32_t c, int part, int n_parts) { return c % n_parts == part; }

// Part `part` of `n_parts` of a dataset for jobs that split the topics over ranks (`mic spread`):
// the events of the topics c with in_topic_part(c, part, n_parts), still grouped by user in time
// order; the header and the graph whole; no names. The in-memory equivalent of
// io::read_topic_share, and its oracle in the tests. Throws input_error for a cascade id outside
// [0, n_cascades) (it would belong to no part).
dataset topic_share(const dataset& data, int part, int n_parts);

} // namespace mic
