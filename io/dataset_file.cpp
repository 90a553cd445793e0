#include "io/dataset_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "engine/support/error.hpp"
#include "io/atomic_output.hpp"

namespace mic::io {
namespace {

// Chunk size of every array, in elements. A chunk is HDF5's unit of I/O and of decompression:
// reading one event costs reading and inflating its whole chunk. 16 Ki elements is 64 KiB of int32
// or 128 KiB of float64 before compression:
// - large enough that whole-file and block-partition reads make few, large requests (10 M events:
//   611 chunks per array) and that shuffle + deflate see enough data to compress well;
// - small enough that a rank needing one scattered user (typically tens to hundreds of events)
//   inflates at most two chunks for it, and that a chunk fits HDF5's default 1 MiB chunk cache;
// - io/shard_read.cpp merges needed ranges separated by less than one chunk: such a gap lies in
//   chunks that are read anyway, so merging costs no extra I/O and saves read calls.
constexpr std::int64_t chunk_elements = default_chunk_elements;

// /events/user is validated and written in blocks of this many elements (a multiple of the chunk
// size, so each chunk is inflated once), instead of materialising N user ids at once.
constexpr std::int64_t user_block_elements = 64 * chunk_elements;

// Per-cascade tables (counts, U×C baselines) are sized by n_cascades, so the file must back it with
// data: cascade names, or events (a cascade nobody posted in is possible, but not more of them than
// events, beyond a small allowance).
constexpr std::int64_t max_cascades_without_names = 1024;
std::int64_t max_cascades_backed(std::int64_t n_events) { return std::max(max_cascades_without_names, n_events); }

constexpr const char* reading_hint = "the file is corrupt — re-create it with `mic import`";
constexpr const char* missing_hint = "is this a mic dataset? Create one with `mic import`";

std::string num(double x) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, x).ptr;
    return std::string(text, end);
}
std::string num(std::int64_t x) { return std::to_string(x); }

// Values of the header, from the attributes or from the writer's data.
void check_header_values(std::int64_t n_users, std::int64_t n_cascades, double t_start, double t_end,
                         const problem_context& where) {
    constexpr std::int64_t largest = std::numeric_limits<std::int32_t>::max();
    if (n_users < 0 || n_users > largest)
        where.fail("attribute n_users", "is " + num(n_users) + "; it must be between 0 and " + num(largest));
    if (n_cascades < 0 || n_cascades > largest)
        where.fail("attribute n_cascades", "is " + num(n_cascades) + "; it must be between 0 and " + num(largest));
    if (!std::isfinite(t_start)) where.fail("attribute t_start", "is " + num(t_start) + "; the observation window must be finite");
    if (!std::isfinite(t_end)) where.fail("attribute t_end", "is " + num(t_end) + "; the observation window must be finite");
    if (t_start > t_end)
        where.fail("attributes t_start, t_end", "t_start (" + num(t_start) + ") is after t_end (" + num(t_end) + ")");
}

void check_names_count(std::int64_t count, std::int64_t expected, const std::string& name, const char* expected_name,
                       const problem_context& where) {
    if (count != expected)
        where.fail(name, "has " + num(count) + " names but " + expected_name + " is " + num(expected));
}

// "0", "1", …: the names of cascades known only by their ids.
std::vector<std::string> id_names(std::int32_t n) {
    std::vector<std::string> names(static_cast<std::size_t>(n));
    for (std::int32_t i = 0; i < n; ++i) names[static_cast<std::size_t>(i)] = std::to_string(i);
    return names;
}

std::int64_t block_size_for(const hdf5_array& array) {
    const std::int64_t chunk = array.chunk_size() > 0 ? array.chunk_size() : chunk_elements;
    return std::max<std::int64_t>(1, user_block_elements / chunk) * chunk;
}

} // namespace

void problem_context::fail(const std::string& object, const std::string& problem) const {
    throw input_error(where + ": " + object + ": " + problem + "; " + hint);
}

problem_context reading_context(const std::filesystem::path& path) { return {path.string(), reading_hint}; }

// ---- checks ------------------------------------------------------------------------------------

void check_offsets(std::span<const std::int64_t> offsets, std::int32_t n_users, std::int64_t total,
                   const std::string& name, const std::string& total_name, const problem_context& where) {
    const auto expected = static_cast<std::int64_t>(n_users) + 1;
    if (static_cast<std::int64_t>(offsets.size()) != expected)
        where.fail(name, "has " + num(std::int64_t(offsets.size())) + " elements; expected n_users + 1 = " + num(expected));
    if (offsets[0] != 0) where.fail(name, "starts at " + num(offsets[0]) + "; it must start at 0");
    for (std::int32_t u = 0; u < n_users; ++u)
        if (offsets[u + 1] < offsets[u])
            where.fail(name, "decreases at user " + num(std::int64_t(u)) + " (" + num(offsets[u + 1]) + " after " +
                                 num(offsets[u]) + ")");
    if (offsets.back() != total)
        where.fail(name, "ends at " + num(offsets.back()) + " but " + total_name + " has " + num(total) + " elements");
}

void check_user_events(std::int32_t u, std::int64_t first, std::span<const std::int32_t> cascade,
                       std::span<const double> time, const dataset_header& header, const problem_context& where) {
    // Messages are built only on failure: this loop runs once per event of the file.
    auto event = [&](std::size_t i) {
        return "event " + num(first + std::int64_t(i)) + " (user " + num(std::int64_t(u)) + ")";
    };
    for (std::size_t i = 0; i < time.size(); ++i) {
        if (cascade[i] < 0 || cascade[i] >= header.n_cascades)
            where.fail("/events/cascade", event(i) + " has cascade " + num(std::int64_t(cascade[i])) +
                                              ", outside [0, n_cascades) = [0, " + num(std::int64_t(header.n_cascades)) + ")");
        const double t = time[i];
        if (!std::isfinite(t)) where.fail("/events/time", event(i) + " has time " + num(t) + "; times must be finite");
        if (t < header.t_start || t > header.t_end)
            where.fail("/events/time", event(i) + " at " + num(t) + " lies outside the observation window [t_start, t_end] = [" +
                                           num(header.t_start) + ", " + num(header.t_end) + "]");
        if (i > 0 && t < time[i - 1])
            where.fail("/events/time", "user " + num(std::int64_t(u)) + "'s events are not sorted by time (event " +
                                           num(first + std::int64_t(i)) + " at " + num(t) + " after " + num(time[i - 1]) + ")");
    }
}

void check_user_column(std::int64_t first, std::span<const std::int32_t> user,
                       std::span<const std::int64_t> user_offsets, const problem_context& where) {
    if (user.empty()) return;
    // The owner of event p is the last user u with offsets[u] <= p (users without events have
    // empty ranges and own nothing).
    auto owner = static_cast<std::int32_t>(std::upper_bound(user_offsets.begin(), user_offsets.end(), first) -
                                           user_offsets.begin() - 1);
    for (std::size_t i = 0; i < user.size(); ++i) {
        const std::int64_t p = first + std::int64_t(i);
        while (user_offsets[owner + 1] <= p) ++owner;
        if (user[i] != owner)
            where.fail("/events/user", "event " + num(p) + " is marked user " + num(std::int64_t(user[i])) +
                                           " but /events/user_offsets puts it in user " + num(std::int64_t(owner)) + "'s range");
    }
}

void check_in_row(std::int32_t u, std::int64_t first, std::span<const std::int32_t> row, std::int32_t n_users,
                  const problem_context& where) {
    auto entry = [&](std::size_t i) { return "entry " + num(first + std::int64_t(i)); };  // built only on failure
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i] < 0 || row[i] >= n_users)
            where.fail("/graph/in_source", entry(i) + " (an in-neighbour of user " + num(std::int64_t(u)) + ") is " +
                                               num(std::int64_t(row[i])) + ", outside [0, n_users) = [0, " +
                                               num(std::int64_t(n_users)) + ")");
        if (i > 0 && row[i] <= row[i - 1])
            where.fail("/graph/in_source", "user " + num(std::int64_t(u)) + "'s in-neighbours are not strictly ascending (" +
                                               entry(i) + " is " + num(std::int64_t(row[i])) + " after " +
                                               num(std::int64_t(row[i - 1])) + ")");
    }
}

void check_dataset(const dataset& data, const problem_context& where) {
    const dataset_header& h = data.header;
    check_header_values(h.n_users, h.n_cascades, h.t_start, h.t_end, where);
    const event_table& events = data.events;
    if (events.cascade.size() != events.time.size())
        where.fail("/events/cascade", "has " + num(std::int64_t(events.cascade.size())) + " elements but /events/time has " +
                                          num(events.n_events()) + "; every /events array holds one element per event");
    check_offsets(events.user_offsets, h.n_users, events.n_events(), "/events/user_offsets", "/events/time", where);
    const std::span<const std::int32_t> cascade(events.cascade);
    const std::span<const double> time(events.time);
    for (std::int32_t u = 0; u < h.n_users; ++u) {
        const auto first = events.user_offsets[u], count = events.user_offsets[u + 1] - first;
        check_user_events(u, first, cascade.subspan(first, count), time.subspan(first, count), h, where);
    }
    check_offsets(data.graph.in_offsets, h.n_users, data.graph.n_edges(), "/graph/in_offsets", "/graph/in_source", where);
    for (std::int32_t u = 0; u < h.n_users; ++u)
        check_in_row(u, data.graph.in_offsets[u], data.graph.in_neighbours(u), h.n_users, where);
    if (!data.user_names.empty())
        check_names_count(std::int64_t(data.user_names.size()), h.n_users, "/names/users", "n_users", where);
    if (!data.cascade_names.empty())
        check_names_count(std::int64_t(data.cascade_names.size()), h.n_cascades, "/names/cascades", "n_cascades", where);
}

// ---- header and shapes -------------------------------------------------------------------------

dataset_header read_header(hdf5_file& file) {
    file.set_missing_hint(missing_hint);
    const std::string& path = file.display_name();
    if (!file.has_attribute("mic_format"))
        throw input_error(path + ": no mic_format attribute at the root — this is not a mic dataset; create one with `mic import`");
    const std::int64_t version = file.read_int_attribute("mic_format");
    if (version != dataset_format_version)
        throw input_error(path + ": mic_format is " + num(version) + ", but this build of mic reads dataset format " +
                          num(dataset_format_version) + " only; use the mic that wrote the file, or re-create it with `mic import`");
    const std::int64_t n_users = file.read_int_attribute("n_users");
    const std::int64_t n_cascades = file.read_int_attribute("n_cascades");
    const double t_start = file.read_double_attribute("t_start");
    const double t_end = file.read_double_attribute("t_end");
    check_header_values(n_users, n_cascades, t_start, t_end, {path, reading_hint});
    return {static_cast<std::int32_t>(n_users), static_cast<std::int32_t>(n_cascades), t_start, t_end,
            file.read_string_attribute("time_unit"),
            file.has_attribute("time_origin") ? file.read_string_attribute("time_origin") : std::string()};
}

dataset_arrays open_dataset_arrays(const hdf5_file& file, const dataset_header& header) {
    const problem_context where{file.display_name(), reading_hint};
    // Braced initialisation runs left to right: every rank opens the datasets in the same order.
    dataset_arrays a{file.open_array("/events/user"),         file.open_array("/events/cascade"),
                     file.open_array("/events/time"),         file.open_array("/events/user_offsets"),
                     file.open_array("/graph/in_offsets"),    file.open_array("/graph/in_source")};
    const std::int64_t expected_offsets = std::int64_t(header.n_users) + 1;
    for (const hdf5_array* offsets: {&a.user_offsets, &a.in_offsets})
        if (offsets->size() != expected_offsets)
            where.fail(offsets->name(), "has " + num(offsets->size()) + " elements; expected n_users + 1 = " + num(expected_offsets));
    for (const hdf5_array* column: {&a.user, &a.cascade})
        if (column->size() != a.time.size())
            where.fail(column->name(), "has " + num(column->size()) + " elements but /events/time has " + num(a.time.size()) +
                                           "; every /events array holds one element per event");
    if (file.contains("/names/users"))
        check_names_count(file.open_array("/names/users").size(), header.n_users, "/names/users", "n_users", where);
    const bool named = file.contains("/names/cascades");
    if (named)
        check_names_count(file.open_array("/names/cascades").size(), header.n_cascades, "/names/cascades", "n_cascades", where);
    // n_users is backed by the offsets (checked above); n_cascades only by names or events.
    else if (header.n_cascades > max_cascades_backed(a.time.size()))
        where.fail("attribute n_cascades", "is " + num(std::int64_t(header.n_cascades)) + " but the file holds " + num(a.time.size()) +
                                               " events and no /names/cascades; a dataset without names has at most max(" +
                                               num(max_cascades_without_names) + ", events) cascades");
    return a;
}

// ---- public API --------------------------------------------------------------------------------

dataset_header read_dataset_header(const std::filesystem::path& path) {
    hdf5_file file = hdf5_file::open_read(path);
    const dataset_header header = read_header(file);
    open_dataset_arrays(file, header);
    return header;
}

dataset_names read_dataset_names(const std::filesystem::path& path, bool users) {
    hdf5_file file = hdf5_file::open_read(path);
    open_dataset_arrays(file, read_header(file));
    dataset_names names;
    if (users && file.contains("/names/users")) names.users = file.open_array("/names/users").read_strings();
    if (file.contains("/names/cascades")) names.cascades = file.open_array("/names/cascades").read_strings();
    return names;
}

dataset_index read_dataset_index(const std::filesystem::path& path, bool with_times) {
    hdf5_file file = hdf5_file::open_read(path);
    const problem_context where = reading_context(path);
    dataset_index d;
    d.header = read_header(file);
    const dataset_header& h = d.header;
    const dataset_arrays a = open_dataset_arrays(file, h);
    d.user_offsets = a.user_offsets.read_all<std::int64_t>();
    check_offsets(d.user_offsets, h.n_users, a.time.size(), a.user_offsets.name(), a.time.name(), where);
    d.in_offsets = a.in_offsets.read_all<std::int64_t>();
    check_offsets(d.in_offsets, h.n_users, a.in_source.size(), a.in_offsets.name(), a.in_source.name(), where);
    d.in_source = a.in_source.read_all<std::int32_t>();
    for (std::int32_t u = 0; u < h.n_users; ++u)
        check_in_row(u, d.in_offsets[u], std::span(d.in_source).subspan(std::size_t(d.in_offsets[u]), std::size_t(d.in_offsets[u + 1] - d.in_offsets[u])),
                     h.n_users, where);
    if (with_times) {
        d.time = a.time.read_all<double>();
        for (std::size_t i = 0; i < d.time.size(); ++i)
            if (!(d.time[i] >= h.t_start && d.time[i] <= h.t_end))
                where.fail("/events/time", "element " + num(std::int64_t(i)) + " is " + num(d.time[i]) +
                                               ", outside the observation window [t_start, t_end]");
    }
    return d;
}

void check_user_column_in_blocks(const hdf5_array& user_column, std::span<const std::int64_t> user_offsets,
                                 std::int64_t first, std::int64_t last, const problem_context& where) {
    const std::int64_t block = block_size_for(user_column);
    std::vector<std::int32_t> user(static_cast<std::size_t>(std::clamp<std::int64_t>(last - first, 0, block)));
    for (std::int64_t at = first; at < last; at += block) {
        const auto part = std::span(user).first(static_cast<std::size_t>(std::min(block, last - at)));
        user_column.read(at, part);
        check_user_column(at, part, user_offsets, where);
    }
}

csr_graph read_whole_graph(const dataset_arrays& arrays, const dataset_header& header, const problem_context& where) {
    csr_graph g;
    g.in_offsets = arrays.in_offsets.read_all<std::int64_t>();
    check_offsets(g.in_offsets, header.n_users, arrays.in_source.size(), arrays.in_offsets.name(), arrays.in_source.name(), where);
    g.in_source = arrays.in_source.read_all<std::int32_t>();
    for (std::int32_t u = 0; u < header.n_users; ++u) check_in_row(u, g.in_offsets[u], g.in_neighbours(u), header.n_users, where);
    return g;
}

dataset read_dataset(const std::filesystem::path& path) {
    hdf5_file file = hdf5_file::open_read(path);
    const problem_context where = reading_context(path);
    dataset d;
    d.header = read_header(file);
    const dataset_header& h = d.header;
    {
        const dataset_arrays a = open_dataset_arrays(file, h);
        // Events: offsets first, then the columns straight into their final vectors.
        d.events.user_offsets = a.user_offsets.read_all<std::int64_t>();
        check_offsets(d.events.user_offsets, h.n_users, a.time.size(), a.user_offsets.name(), a.time.name(), where);
        d.events.cascade = a.cascade.read_all<std::int32_t>();
        d.events.time = a.time.read_all<double>();
        const std::span<const std::int32_t> cascade(d.events.cascade);
        const std::span<const double> time(d.events.time);
        for (std::int32_t u = 0; u < h.n_users; ++u) {
            const auto first = d.events.user_offsets[u], count = d.events.user_offsets[u + 1] - first;
            check_user_events(u, first, cascade.subspan(first, count), time.subspan(first, count), h, where);
        }
        check_user_column_in_blocks(a.user, d.events.user_offsets, 0, a.user.size(), where);
        d.graph = read_whole_graph(a, h, where);
    }
    if (file.contains("/names/users")) d.user_names = file.open_array("/names/users").read_strings();
    if (file.contains("/names/cascades")) d.cascade_names = file.open_array("/names/cascades").read_strings();
    return d;
}

void write_dataset(const std::filesystem::path& path, const dataset& data, bool overwrite) {
    atomic_output output(path, overwrite);
    write_dataset(output, data);
    output.commit();
}

void write_dataset(const atomic_output& output, const dataset& data) {
    const std::filesystem::path& path = output.final_path();
    check_dataset(data, {"cannot write " + path.string(),
                         "the data given to the writer is invalid (a bug in the program that produced it)"});
    {
        hdf5_file file = hdf5_file::create(output.temp_path(), path.string());
        const dataset_header& h = data.header;
        file.write_int_attribute("mic_format", dataset_format_version);
        file.write_int_attribute("n_users", h.n_users);
        file.write_int_attribute("n_cascades", h.n_cascades);
        file.write_double_attribute("t_start", h.t_start);
        file.write_double_attribute("t_end", h.t_end);
        file.write_string_attribute("time_unit", h.time_unit);
        if (!h.time_origin.empty()) file.write_string_attribute("time_origin", h.time_origin);  // optional

        {   // /events/user: expanded from the offsets block by block (user u on [offsets[u], offsets[u+1])).
            // Scoped so the dataset is closed before file.close(), which then reports any write error.
            const std::int64_t n = data.events.n_events();
            hdf5_array user = file.create_array("/events/user", element_type::int32, n, chunk_elements);
            std::vector<std::int32_t> block;
            std::int32_t owner = 0;
            for (std::int64_t first = 0; first < n; first += user_block_elements) {
                block.resize(static_cast<std::size_t>(std::min(user_block_elements, n - first)));
                for (std::size_t i = 0; i < block.size(); ++i) {
                    while (data.events.user_offsets[owner + 1] <= first + std::int64_t(i)) ++owner;
                    block[i] = owner;
                }
                user.write(first, std::span<const std::int32_t>(block));
            }
        }
        file.write_array<std::int32_t>("/events/cascade", data.events.cascade, chunk_elements);
        file.write_array<double>("/events/time", data.events.time, chunk_elements);
        file.write_array<std::int64_t>("/events/user_offsets", data.events.user_offsets, chunk_elements);
        file.write_array<std::int64_t>("/graph/in_offsets", data.graph.in_offsets, chunk_elements);
        file.write_array<std::int32_t>("/graph/in_source", data.graph.in_source, chunk_elements);
        if (!data.user_names.empty()) file.write_strings("/names/users", data.user_names);
        if (!data.cascade_names.empty()) file.write_strings("/names/cascades", data.cascade_names);
        else if (h.n_cascades > max_cascades_backed(data.events.n_events()))
            file.write_strings("/names/cascades", id_names(h.n_cascades));  // what readers need to trust n_cascades
        file.close();
    }
}

} // namespace mic::io
