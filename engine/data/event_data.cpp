#include "engine/data/event_data.hpp"

namespace mic {

std::vector<std::int32_t> needed_users(std::span<const std::int32_t> owned,
                                       std::span<const std::int32_t> in_source_of_owned) {
    std::vector<std::int32_t> users(owned.begin(), owned.end());
    users.insert(users.end(), in_source_of_owned.begin(), in_source_of_owned.end());
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    return users;
}

shard make_shard(const dataset& data, std::span<const std::int32_t> owned) {
    shard s;
    s.header = data.header;
    s.owned.assign(owned.begin(), owned.end());
    for (std::int32_t u: owned) {
        auto in = data.graph.in_neighbours(u);
        s.in_source.insert(s.in_source.end(), in.begin(), in.end());
        s.in_offsets.push_back(static_cast<std::int64_t>(s.in_source.size()));
    }
    s.events.users = needed_users(owned, s.in_source);
    for (std::int32_t u: s.events.users) {
        const auto first = data.events.user_offsets[u], last = data.events.user_offsets[u + 1];
        s.events.cascade.insert(s.events.cascade.end(), data.events.cascade.begin() + first,
                                data.events.cascade.begin() + last);
        s.events.time.insert(s.events.time.end(), data.events.time.begin() + first, data.events.time.begin() + last);
        s.events.offsets.push_back(static_cast<std::int64_t>(s.events.time.size()));
    }
    return s;
}

} // namespace mic
