#include "io/topic_share_read.hpp"

#include <algorithm>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "engine/ctmp/topic_posts.hpp"
#include "engine/distributed/checked_section.hpp"
#include "engine/distributed/partition.hpp"
#include "io/dataset_file.hpp"

namespace mic::io {
namespace {

// One event on its way to the rank of its topic.
struct post_record {
    std::int32_t user;
    std::int32_t cascade;
    double time;
};

// Where the events of a rank's reading range go: straight into its own share on one rank, otherwise
// into one list per destination rank, each reserved to its exact size (counted in a first pass over
// the cascade column) so that no list grows by doubling.
struct event_sink {
    event_table* own = nullptr;                       // one rank: the result itself
    std::vector<std::vector<post_record>>* by_part = nullptr;
    int n_parts = 1;

    void add(std::int32_t user, std::int32_t cascade, double time) const {
        if (own) {
            own->cascade.push_back(cascade);
            own->time.push_back(time);
        } else {
            (*by_part)[static_cast<std::size_t>(cascade % n_parts)].push_back({user, cascade, time});
        }
    }
    void end_user() const {
        if (own) own->user_offsets.push_back(own->n_events());
    }
};

// Reserves each destination's list for the events [first, last) of the cascade column. Ids outside
// [0, n_cascades) are not counted: the validating pass rejects them.
void reserve_by_destination(const hdf5_array& cascade_column, std::int64_t first, std::int64_t last,
                            std::int64_t block_events, std::int32_t n_cascades, std::vector<std::vector<post_record>>& by_part) {
    std::vector<std::int64_t> count(by_part.size(), 0);
    std::vector<std::int32_t> cascade(static_cast<std::size_t>(std::clamp<std::int64_t>(last - first, 0, block_events)));
    for (std::int64_t at = first; at < last; at += block_events) {
        const auto part = std::span(cascade).first(static_cast<std::size_t>(std::min(block_events, last - at)));
        cascade_column.read(at, part);
        for (const auto c: part)
            if (c >= 0 && c < n_cascades) ++count[static_cast<std::size_t>(c) % by_part.size()];
    }
    for (std::size_t r = 0; r < by_part.size(); ++r) by_part[r].reserve(static_cast<std::size_t>(count[r]));
}

// Reads and validates the events of users [first_user, last_user) in blocks of whole users (each
// user's events checked before any is passed on) and passes them to `sink` in (user, time) order.
void read_user_range(const dataset_arrays& a, const dataset_header& h, std::span<const std::int64_t> offsets,
                     std::int32_t first_user, std::int32_t last_user, std::int64_t block_events,
                     const problem_context& where, const event_sink& sink) {
    std::vector<std::int32_t> cascade;
    std::vector<double> time;
    for (std::int32_t u = first_user; u < last_user;) {
        // Users [u, last): as many whole users as fit in one block, at least one.
        std::int32_t last = u + 1;
        while (last < last_user && offsets[last + 1] - offsets[u] <= block_events) ++last;
        const std::int64_t first_event = offsets[u], count = offsets[last] - first_event;
        cascade.resize(static_cast<std::size_t>(count));
        time.resize(static_cast<std::size_t>(count));
        a.cascade.read(first_event, std::span(cascade));
        a.time.read(first_event, std::span(time));
        for (std::int32_t v = u; v < last; ++v) {
            const auto begin = static_cast<std::size_t>(offsets[v] - first_event);
            const auto n = static_cast<std::size_t>(offsets[v + 1] - offsets[v]);
            check_user_events(v, offsets[v], std::span(cascade).subspan(begin, n), std::span(time).subspan(begin, n), h, where);
            for (auto k = begin; k < begin + n; ++k) sink.add(v, cascade[k], time[k]);
            sink.end_user();
        }
        u = last;
    }
}

} // namespace

// Why no collective can hang here: the sequence of read_shard (io/shard_read.cpp) — the root
// validates header and shapes; the collective open inside run_checked; per-rank reading in
// run_checked sections with no communication inside; the collective close — and then the exchange,
// which every rank reaches because each section before it either returned on all ranks or threw on
// all. The reading is cut into sections in read_dataset's order (offsets, events, /events/user,
// graph), so that the problem reported, the lowest failing rank's, is the one read_dataset reports
// first: ranks read ascending user ranges.
dataset read_topic_share(const std::filesystem::path& path, const communicator& comm, std::int64_t block_events) {
    if (block_events < 1) throw std::invalid_argument("read_topic_share: an empty block");
    run_checked_on_root(comm, [&] { read_dataset_header(path); });
    std::optional<hdf5_file> file;
    run_checked(comm, [&] { file.emplace(hdf5_file::open_read(path, comm)); });

    dataset d;
    const problem_context where = reading_context(path);
    std::vector<std::int64_t> offsets;
    std::optional<dataset_arrays> arrays;  // outlives the sections: closed on every rank after agreement
    std::int32_t first_user = 0, last_user = 0;
    run_checked(comm, [&] {
        d.header = read_header(*file);
        arrays.emplace(open_dataset_arrays(*file, d.header));
        offsets = arrays->user_offsets.read_all<std::int64_t>();
        check_offsets(offsets, d.header.n_users, arrays->time.size(), arrays->user_offsets.name(), arrays->time.name(), where);
        // This rank reads the users whose events are about its 1/size of the log.
        std::vector<double> events_of(static_cast<std::size_t>(d.header.n_users));
        for (std::size_t u = 0; u < events_of.size(); ++u) events_of[u] = static_cast<double>(offsets[u + 1] - offsets[u]);
        const auto reading = range_partition::balanced(events_of, comm.size());
        first_user = static_cast<std::int32_t>(reading.begin(comm.rank()));
        last_user = static_cast<std::int32_t>(reading.end(comm.rank()));
    });
    const dataset_arrays& a = *arrays;
    std::vector<std::vector<post_record>> by_part;
    event_sink sink;
    if (comm.size() == 1) {
        sink.own = &d.events;
        d.events.cascade.reserve(static_cast<std::size_t>(a.time.size()));
        d.events.time.reserve(static_cast<std::size_t>(a.time.size()));
        d.events.user_offsets.reserve(offsets.size());
    } else {
        by_part.resize(static_cast<std::size_t>(comm.size()));
        sink.by_part = &by_part;
        sink.n_parts = comm.size();
    }
    run_checked(comm, [&] {
        if (!sink.own) reserve_by_destination(a.cascade, offsets[first_user], offsets[last_user], block_events, d.header.n_cascades, by_part);
        read_user_range(a, d.header, offsets, first_user, last_user, block_events, where, sink);
    });
    run_checked(comm, [&] { check_user_column_in_blocks(a.user, offsets, offsets[first_user], offsets[last_user], where); });
    run_checked(comm, [&] { d.graph = read_whole_graph(a, d.header, where); });
    arrays.reset();
    file.reset();  // collective close
    if (sink.own) return d;

    // Sources hold ascending user ranges and send in (user, time) order, so what arrives, in source
    // order, is grouped by user in time order: one counting pass gives the offsets.
    const auto received = comm.exchange(by_part);
    by_part = {};
    d.events.user_offsets.assign(offsets.size(), 0);
    d.events.cascade.reserve(received.size());
    d.events.time.reserve(received.size());
    for (const auto& r: received) {
        ++d.events.user_offsets[static_cast<std::size_t>(r.user) + 1];
        d.events.cascade.push_back(r.cascade);
        d.events.time.push_back(r.time);
    }
    for (std::size_t u = 1; u < d.events.user_offsets.size(); ++u) d.events.user_offsets[u] += d.events.user_offsets[u - 1];
    return d;
}

} // namespace mic::io
