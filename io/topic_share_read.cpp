#include "io/topic_share_read.hpp"

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

// Reads and validates the events of users [first_user, last_user) in blocks of whole users and files
// each under the rank of its topic; checks /events/user over the same range.
void read_user_range(const dataset_arrays& a, const dataset_header& h, std::span<const std::int64_t> offsets,
                     std::int32_t first_user, std::int32_t last_user, std::int64_t block_events, int n_parts,
                     const problem_context& where, std::vector<std::vector<post_record>>& by_part) {
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
            for (auto k = begin; k < begin + n; ++k)
                by_part[static_cast<std::size_t>(cascade[k] % n_parts)].push_back({v, cascade[k], time[k]});
        }
        u = last;
    }
    check_user_column_in_blocks(a.user, offsets, offsets[first_user], offsets[last_user], where);
}

} // namespace

// Why no collective can hang here: the same sequence as read_shard (io/shard_read.cpp) — the root
// validates header and shapes; the collective open inside run_checked; all per-rank reading inside
// one run_checked (no communication in it); the collective close — and then the exchange, which every
// rank reaches because each section before it either returned on all ranks or threw on all.
dataset read_topic_share(const std::filesystem::path& path, const communicator& comm, std::int64_t block_events) {
    if (block_events < 1) throw std::invalid_argument("read_topic_share: an empty block");
    run_checked_on_root(comm, [&] { read_dataset_header(path); });
    std::optional<hdf5_file> file;
    run_checked(comm, [&] { file.emplace(hdf5_file::open_read(path, comm)); });

    dataset d;
    std::vector<std::vector<post_record>> by_part(static_cast<std::size_t>(comm.size()));
    std::vector<std::int64_t> offsets;
    std::optional<dataset_arrays> arrays;  // outlives the section: closed on every rank after agreement
    run_checked(comm, [&] {
        const problem_context where = reading_context(path);
        d.header = read_header(*file);
        arrays.emplace(open_dataset_arrays(*file, d.header));
        const dataset_arrays& a = *arrays;
        offsets = a.user_offsets.read_all<std::int64_t>();
        check_offsets(offsets, d.header.n_users, a.time.size(), a.user_offsets.name(), a.time.name(), where);
        // This rank reads the users whose events are about its 1/size of the log.
        std::vector<double> events_of(static_cast<std::size_t>(d.header.n_users));
        for (std::size_t u = 0; u < events_of.size(); ++u) events_of[u] = static_cast<double>(offsets[u + 1] - offsets[u]);
        const auto reading = range_partition::balanced(events_of, comm.size());
        read_user_range(a, d.header, offsets, static_cast<std::int32_t>(reading.begin(comm.rank())),
                        static_cast<std::int32_t>(reading.end(comm.rank())), block_events, comm.size(), where, by_part);
        d.graph = read_whole_graph(a, d.header, where);
    });
    arrays.reset();
    file.reset();  // collective close

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
