#pragma once
// The dataset file, format 1 (SPEC §5): event log and in-neighbour graph in HDF5.
//
//   /events/user          int32   N   user of each event (implied by user_offsets; stored for h5py users)
//   /events/cascade       int32   N   in [0, n_cascades)
//   /events/time          float64 N   finite, in [t_start, t_end], sorted by time within each user
//   /events/user_offsets  int64   U+1 user u's events are [offsets[u], offsets[u+1])
//   /graph/in_offsets     int64   U+1 CSR of in-neighbours (edges v → u)
//   /graph/in_source      int32   E   in [0, U), strictly ascending within each user's row
//   /names/users          vlen UTF-8 strings, U (optional)
//   /names/cascades       vlen UTF-8 strings, C (optional)
//   root attributes: mic_format = 1, n_users, n_cascades, t_start, t_end, time_unit, and optionally
//   time_origin (ISO-8601 instant of time 0, written by imports of ISO timestamps)
//
// All arrays are chunked (16 Ki elements, see dataset_file.cpp), shuffled and deflated (level 1).
// Every problem found on open is one mic::input_error line naming the file, the dataset, the first
// offending index or user, and what to do.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "engine/data/event_data.hpp"
#include "io/atomic_output.hpp"
#include "io/hdf5_file.hpp"

namespace mic::io {

inline constexpr std::int64_t dataset_format_version = 1;

// Writes `data` to `path` atomically (temporary + rename; nothing is left behind on failure).
// `data` is validated first, with the same checks as reading, so a bug in the caller cannot
// produce a file that mic refuses to read. Throws mic::input_error.
void write_dataset(const std::filesystem::path& path, const dataset& data, bool overwrite);
// The same into an output reserved earlier (its temporary file); the caller commits it. For runs
// that write several files and must leave all of them or none.
void write_dataset(const atomic_output& output, const dataset& data);

// The whole file, fully validated.
dataset read_dataset(const std::filesystem::path& path);

// The root attributes, validated; also checks that every dataset exists with consistent lengths
// (shapes only, no array contents are read).
dataset_header read_dataset_header(const std::filesystem::path& path);

// The optional names of users (when `users`) and cascades: empty, or one per user / cascade. The
// header and shapes are validated first, like every reader here.
struct dataset_names {
    std::vector<std::string> users, cascades;
};
dataset_names read_dataset_names(const std::filesystem::path& path, bool users);

// What a job's plan needs on rank 0 before the collective read: the header, the event offsets and the
// whole graph, validated (offsets, every in-neighbour row) before anyone uses them; with `with_times`
// also every event time (finite, inside [t_start, t_end]), e.g. for the training cut. The events'
// cascades and their order within users are checked where they are read (read_shard).
struct dataset_index {
    dataset_header header;
    std::vector<std::int64_t> user_offsets, in_offsets;
    std::vector<std::int32_t> in_source;
    std::vector<double> time;  // with_times only, in file order
};
dataset_index read_dataset_index(const std::filesystem::path& path, bool with_times);

// ---- Building blocks shared with io/shard_read.cpp --------------------------------------------

// Where a problem was found and what the user should do. fail() throws mic::input_error
// "<where>: <object>: <problem>; <hint>".
struct problem_context {
    std::string where;  // "data.h5", or "cannot write data.h5"
    std::string hint;   // "the file is corrupt — re-create it with `mic import`"
    [[noreturn]] void fail(const std::string& object, const std::string& problem) const;
};
problem_context reading_context(const std::filesystem::path& path);

// The datasets of an open dataset file, their lengths checked against each other and the header.
struct dataset_arrays {
    hdf5_array user, cascade, time, user_offsets, in_offsets, in_source;
};
// Reads and validates the root attributes (format version first).
dataset_header read_header(hdf5_file& file);
// Opens the six arrays and checks their lengths (and the optional names' counts).
dataset_arrays open_dataset_arrays(const hdf5_file& file, const dataset_header& header);

// offsets has n_users + 1 elements, starts at 0, never decreases, ends at `total`.
void check_offsets(std::span<const std::int64_t> offsets, std::int32_t n_users, std::int64_t total,
                   const std::string& name, const std::string& total_name, const problem_context& where);
// User u's events, stored from global event index `first`: cascade ids in [0, C), times finite,
// sorted, inside [t_start, t_end].
void check_user_events(std::int32_t u, std::int64_t first, std::span<const std::int32_t> cascade,
                       std::span<const double> time, const dataset_header& header, const problem_context& where);
// /events/user elements [first, first + user.size()) agree with the (already checked) offsets.
void check_user_column(std::int64_t first, std::span<const std::int32_t> user,
                       std::span<const std::int64_t> user_offsets, const problem_context& where);
// Elements [first, last) of /events/user, read in blocks (never materialised whole), agree with the
// checked offsets.
void check_user_column_in_blocks(const hdf5_array& user_column, std::span<const std::int64_t> user_offsets,
                                 std::int64_t first, std::int64_t last, const problem_context& where);
// The whole in-neighbour graph, every row checked.
csr_graph read_whole_graph(const dataset_arrays& arrays, const dataset_header& header, const problem_context& where);
// Every rule of the file applied to data in memory (header values, offsets, every user's events,
// the graph, the names' counts): what the writer checks, and what an importer's output must pass.
void check_dataset(const dataset& data, const problem_context& where);
// User u's in-neighbours, stored from global edge index `first`: in [0, U), strictly ascending.
void check_in_row(std::int32_t u, std::int64_t first, std::span<const std::int32_t> row, std::int32_t n_users,
                  const problem_context& where);

} // namespace mic::io
