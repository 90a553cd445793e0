#include "io/shard_read.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "engine/distributed/checked_section.hpp"
#include "io/dataset_file.hpp"
#include "io/hdf5_file.hpp"

namespace mic::io {
namespace {

// Largest gap (in elements) worth reading through instead of starting a new range. With a chunked
// array of chunk size K, two ranges separated by fewer than K elements have their facing ends in
// the same or in adjacent chunks, so every chunk the gap touches is read (and inflated) anyway:
// merging costs no extra I/O. Conversely, ranges left apart (gap >= K) never share a chunk, so each
// chunk is inflated by exactly one read call, without relying on HDF5's chunk cache.
// Contiguous (unchunked) arrays: merge gaps below one default chunk, cheaper than another request.
std::int64_t merge_gap(std::initializer_list<const hdf5_array*> arrays) {
    std::int64_t chunk = 0;
    for (const hdf5_array* a: arrays) chunk = std::max(chunk, a->chunk_size());
    return (chunk > 0 ? chunk : default_chunk_elements) - 1;
}

void check_owned(std::span<const std::int32_t> owned, std::int32_t n_users) {
    for (std::size_t i = 0; i < owned.size(); ++i)
        if (owned[i] < 0 || owned[i] >= n_users || (i > 0 && owned[i] <= owned[i - 1]))
            throw std::invalid_argument("read_shard: owned users must be distinct, ascending and in [0, " +
                                        std::to_string(n_users) + "); position " + std::to_string(i) + " holds " +
                                        std::to_string(owned[i]));
}

// Reads the owned users' in-neighbour lists into s.in_offsets / s.in_source.
void read_in_neighbours(const dataset_arrays& a, std::span<const std::int64_t> in_offsets, shard& s,
                        const problem_context& where, shard_read_stats& stats) {
    std::vector<std::int32_t> buffer;
    std::size_t k = 0;  // next owned user
    for (const user_run run: plan_runs(s.owned, in_offsets, merge_gap({&a.in_source}))) {
        const std::int64_t first = in_offsets[run.first], count = in_offsets[run.last] - first;
        buffer.resize(static_cast<std::size_t>(count));
        if (count > 0) {
            a.in_source.read(first, std::span<std::int32_t>(buffer));
            stats.edges_read += count;
            ++stats.edge_reads;
        }
        for (std::int32_t u = run.first; u < run.last; ++u) {
            const auto row = std::span<const std::int32_t>(buffer).subspan(
                static_cast<std::size_t>(in_offsets[u] - first), static_cast<std::size_t>(in_offsets[u + 1] - in_offsets[u]));
            check_in_row(u, in_offsets[u], row, s.header.n_users, where);  // every row read is checked, gaps too
            if (k < s.owned.size() && s.owned[k] == u) {
                s.in_source.insert(s.in_source.end(), row.begin(), row.end());
                s.in_offsets.push_back(static_cast<std::int64_t>(s.in_source.size()));
                ++k;
            }
        }
    }
}

// Reads the events of s.events.users. Each run's range is read straight onto the end of the
// shard's columns; the events of users in merged gaps are then squeezed out in place.
void read_events(const dataset_arrays& a, std::span<const std::int64_t> user_offsets, double keep_until, shard& s,
                 const problem_context& where, shard_read_stats& stats) {
    user_events& e = s.events;
    const std::vector<std::int32_t>& users = e.users;
    std::vector<std::int32_t> user_column;
    constexpr std::int64_t user_block = 64 * default_chunk_elements;  // /events/user is only checked: stream it
    std::size_t k = 0;  // next needed user
    for (const user_run run: plan_runs(users, user_offsets, merge_gap({&a.user, &a.cascade, &a.time}))) {
        const std::int64_t first = user_offsets[run.first], count = user_offsets[run.last] - first;
        const std::size_t base = e.time.size();
        e.cascade.resize(base + static_cast<std::size_t>(count));
        e.time.resize(base + static_cast<std::size_t>(count));
        if (count > 0) {
            a.cascade.read(first, std::span(e.cascade).subspan(base));
            a.time.read(first, std::span(e.time).subspan(base));
            for (std::int64_t p = first; p < first + count; p += user_block) {
                user_column.resize(static_cast<std::size_t>(std::min(user_block, first + count - p)));
                a.user.read(p, std::span<std::int32_t>(user_column));
                check_user_column(p, user_column, user_offsets, where);
            }
            stats.events_read += count;
            ++stats.event_reads;
        }
        std::size_t kept = base;  // write cursor of the in-place compaction
        for (std::int32_t u = run.first; u < run.last; ++u) {
            const auto from = base + static_cast<std::size_t>(user_offsets[u] - first);
            const auto n = static_cast<std::size_t>(user_offsets[u + 1] - user_offsets[u]);
            check_user_events(u, user_offsets[u], std::span(e.cascade).subspan(from, n), std::span(e.time).subspan(from, n),
                              s.header, where);
            if (k < users.size() && users[k] == u) {
                // The user's events are sorted by time (checked above): keep those with t ≤ keep_until.
                const auto times = std::span(e.time).subspan(from, n);
                const auto n_kept = static_cast<std::size_t>(std::upper_bound(times.begin(), times.end(), keep_until) - times.begin());
                if (kept != from) {  // kept < from: a forward copy within the vector is safe
                    std::copy_n(e.cascade.begin() + from, n_kept, e.cascade.begin() + kept);
                    std::copy_n(e.time.begin() + from, n_kept, e.time.begin() + kept);
                }
                kept += n_kept;
                e.offsets.push_back(static_cast<std::int64_t>(kept));
                ++k;
            }
        }
        e.cascade.resize(kept);
        e.time.resize(kept);
    }
    if (keep_until < std::numeric_limits<double>::infinity()) {  // give back what the cut dropped
        e.cascade.shrink_to_fit();
        e.time.shrink_to_fit();
    }
    stats.events_needed = static_cast<std::int64_t>(e.time.size());
}

} // namespace

std::vector<user_run> plan_runs(std::span<const std::int32_t> users, std::span<const std::int64_t> offsets,
                                std::int64_t max_gap) {
    std::vector<user_run> runs;
    for (const std::int32_t u: users) {
        // Elements between the end of the current run and user u: those of users last .. u-1.
        if (!runs.empty() && offsets[u] - offsets[runs.back().last] <= max_gap) {
            runs.back().last = u + 1;
        } else {
            runs.push_back({u, u + 1});
        }
    }
    return runs;
}

// Why no collective can hang here. The collectives, in order, on every rank:
//  1. run_checked_on_root (one reduction, plus a broadcast only if the root failed): the root
//     validates the header and shapes serially, so a missing or foreign file fails on every rank
//     with the same message before anything collective touches the file;
//  2. the collective H5Fopen (MPI_File_open), inside run_checked: nothing before it in that section
//     can throw, so every rank reaches it; all ranks read the same bytes, so it succeeds or fails
//     alike (the one residual risk is a file system that shows ranks different contents);
//  3. run_checked around all per-rank work: attribute reads, dataset opens and independent reads
//     (H5P_DEFAULT transfer = independent MPI-IO; metadata reads independent) — no communication,
//     so a rank that throws half-way leaves no one waiting; the section then agrees on the outcome;
//  4. the collective H5Fclose when `file` is destroyed: reached by every rank, since step 3 either
//     returned on all ranks or threw the same agreed_error on all ranks (datasets close first).
shard read_shard(const std::filesystem::path& path, std::span<const std::int32_t> owned, const communicator& comm,
                 shard_read_stats* stats, double keep_until) {
    run_checked_on_root(comm, [&] { read_dataset_header(path); });

    std::optional<hdf5_file> file;
    run_checked(comm, [&] { file.emplace(hdf5_file::open_read(path, comm)); });

    shard s;
    shard_read_stats counted;
    std::optional<dataset_arrays> arrays;  // outlives the section: closed on every rank after agreement
    run_checked(comm, [&] {
        const problem_context where = reading_context(path);
        s.header = read_header(*file);
        arrays.emplace(open_dataset_arrays(*file, s.header));
        const dataset_arrays& a = *arrays;
        check_owned(owned, s.header.n_users);
        s.owned.assign(owned.begin(), owned.end());
        // The two offset arrays (U + 1 each) are read whole by every rank; all else by range.
        const auto user_offsets = a.user_offsets.read_all<std::int64_t>();
        check_offsets(user_offsets, s.header.n_users, a.time.size(), a.user_offsets.name(), a.time.name(), where);
        const auto in_offsets = a.in_offsets.read_all<std::int64_t>();
        check_offsets(in_offsets, s.header.n_users, a.in_source.size(), a.in_offsets.name(), a.in_source.name(), where);
        read_in_neighbours(a, in_offsets, s, where, counted);
        s.events.users = needed_users(s.owned, s.in_source);
        read_events(a, user_offsets, keep_until, s, where, counted);
    });
    arrays.reset();
    file.reset();  // collective close (see above)
    if (stats) *stats = counted;
    return s;
}

} // namespace mic::io
