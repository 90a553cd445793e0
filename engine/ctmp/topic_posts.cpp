#include "engine/ctmp/topic_posts.hpp"

#include <algorithm>
#include <string>

#include "engine/support/error.hpp"

namespace mic {

std::int64_t topic_posts::find(std::int32_t c) const {
    if (!position.empty()) {
        if (c < 0 || !in_topic_part(c, part, n_parts)) return -1;
        const auto slot = static_cast<std::size_t>(c / n_parts);
        return slot < position.size() ? position[slot] : -1;
    }
    auto it = std::lower_bound(topic.begin(), topic.end(), c);
    return (it != topic.end() && *it == c) ? it - topic.begin() : -1;
}

topic_posts group_by_topic(const dataset& data, int part, int n_parts, double time_limit) {
    const auto& ev = data.events;
    const std::int32_t n_users = static_cast<std::int32_t>(ev.user_offsets.size()) - 1;
    const std::int32_t n_cascades = data.header.n_cascades;
    // Topic c of this part has the local slot c / n_parts.
    const std::size_t n_slots = static_cast<std::size_t>(n_cascades / n_parts + 1);
    auto mine = [&](std::int64_t e) {
        return in_topic_part(ev.cascade[e], part, n_parts) && ev.time[e] <= time_limit;
    };

    // Pass 1: validate and count the posts of every topic of this part.
    std::vector<std::int64_t> count(n_slots, 0);
    for (std::int32_t u = 0; u < n_users; ++u) {
        for (auto e = ev.user_offsets[u]; e < ev.user_offsets[u + 1]; ++e) {
            const std::int32_t c = ev.cascade[e];
            if (c < 0 || c >= n_cascades)
                throw input_error("dataset /events/cascade: event " + std::to_string(e) + " of user " +
                                  std::to_string(u) + " has cascade " + std::to_string(c) + " outside [0, " +
                                  std::to_string(n_cascades) + "); fix the cascade ids or the n_cascades attribute");
            if (mine(e)) ++count[static_cast<std::size_t>(c / n_parts)];
        }
    }
    topic_posts out;
    out.part = part;
    out.n_parts = n_parts;
    out.position.assign(n_slots, -1);
    std::vector<std::int64_t> start(n_slots, -1);
    for (std::size_t s = 0; s < n_slots; ++s) {
        if (count[s] == 0) continue;
        out.position[s] = static_cast<std::int32_t>(out.topic.size());
        start[s] = out.offsets.back();
        out.topic.push_back(static_cast<std::int32_t>(s) * n_parts + part);
        out.offsets.push_back(out.offsets.back() + count[s]);
    }

    // Pass 2: scatter (time, user) into the topic segments, then order each segment by (time, user)
    // through a buffer of one topic's posts (so the extra memory is the largest topic, not every post).
    out.user.resize(static_cast<std::size_t>(out.offsets.back()));
    out.time.resize(out.user.size());
    for (std::int32_t u = 0; u < n_users; ++u)
        for (auto e = ev.user_offsets[u]; e < ev.user_offsets[u + 1]; ++e)
            if (mine(e)) {
                const auto at = static_cast<std::size_t>(start[static_cast<std::size_t>(ev.cascade[e] / n_parts)]++);
                out.user[at] = u;
                out.time[at] = ev.time[e];
            }
    struct post {
        double time;
        std::int32_t user;
    };
    std::vector<post> topic;
    for (std::size_t k = 0; k < out.topic.size(); ++k) {
        const auto first = static_cast<std::size_t>(out.offsets[k]), last = static_cast<std::size_t>(out.offsets[k + 1]);
        topic.clear();
        for (auto p = first; p < last; ++p) topic.push_back({out.time[p], out.user[p]});
        std::sort(topic.begin(), topic.end(), [](const post& a, const post& b) { return a.time < b.time || (a.time == b.time && a.user < b.user); });
        for (auto p = first; p < last; ++p) {
            out.user[p] = topic[p - first].user;
            out.time[p] = topic[p - first].time;
        }
    }
    return out;
}

dataset topic_share(const dataset& data, int part, int n_parts) {
    for (const auto c: data.events.cascade)  // a negative id would fall in no part (c % n < 0)
        if (c < 0 || c >= data.header.n_cascades)
            throw input_error("dataset /events/cascade: cascade " + std::to_string(c) + " outside [0, " +
                              std::to_string(data.header.n_cascades) + "); fix the cascade ids or the n_cascades attribute");
    dataset out;
    out.header = data.header;
    out.graph = data.graph;
    const auto& ev = data.events;
    const std::int32_t n_users = static_cast<std::int32_t>(ev.user_offsets.size()) - 1;
    for (std::int32_t u = 0; u < n_users; ++u) {
        for (auto e = ev.user_offsets[u]; e < ev.user_offsets[u + 1]; ++e) {
            if (!in_topic_part(ev.cascade[e], part, n_parts)) continue;
            out.events.cascade.push_back(ev.cascade[e]);
            out.events.time.push_back(ev.time[e]);
        }
        out.events.user_offsets.push_back(out.events.n_events());
    }
    return out;
}

} // namespace mic
