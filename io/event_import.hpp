#pragma once
// `mic import`: a CSV/TSV event log (and optionally an edge list) → a dataset file (SPEC §5).
//
// The input is streamed: only the parsed events (16 B each), the edges and the distinct names are
// kept, never the text. Ids: every distinct user and cascade name gets a 0-based id — in numeric
// order when all names of that kind are integers (so ids 0..n-1 keep their values), else in byte
// order — and the names are stored. Times are numbers in the user's unit, or ISO-8601 timestamps
// converted to seconds since 1970-01-01T00:00:00Z (one format per file, detected from the first
// event). An edge `source,target` means that source influences target: source becomes an
// in-neighbour of target.
//
// Every problem with the input throws mic::input_error with one line "FILE:LINE: what; how to fix",
// and no output file (nor its temporary) is left behind.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "engine/data/event_data.hpp"

namespace mic::io {

struct import_options {
    std::filesystem::path events;  // the event log (required)
    std::filesystem::path out;     // the dataset file to write (import_events only)
    std::filesystem::path edges;   // edge list "source,target" (optional)
    bool complete_graph = false;   // instead of an edge list: every ordered pair u ≠ v
    bool self_loops = false;       // add u → u for every user (a user's own past excites it)
    bool allow_edge_only_users = false;  // users named only in the edge list become users without events
    bool force = false;                  // overwrite an existing output file
    // The events file's fields in file order, e.g. "time,user,cascade"; "_" or "-" skips a field.
    // Empty = from the header, or user,cascade,time without one.
    std::string columns;
    // "" = detected per file from its first line (csv_reader.hpp: tab, ',', ';', else runs of blanks);
    // else one character, "tab" or "space".
    std::string delimiter;        // of the event log, and of the edge list unless edges_delimiter
    std::string edges_delimiter;  // of the edge list ("" = as delimiter)
    // auto|yes|no. auto = the first line is a header when a field is a column name (user, cascade,
    // time — or source, target / from, to for the edge list), case-insensitively.
    std::string header = "auto";
    std::string edges_header = "auto";
    std::optional<double> t_start, t_end;  // observation window; default: first and last event time
    std::string time_unit;  // label of numeric times (e.g. "s", "h", "d"); ISO-8601 times count s (default), min, h or d
    // The unit numeric times are written in (s, min, h, d), converted to time_unit (which must then be
    // one of those too); empty: numeric times are taken as they are, in time_unit.
    std::string numeric_time_unit;
    std::function<void(const std::string&)> log;   // progress and notes; one line each (may be empty)
    std::function<void(const std::string&)> warn;  // warnings (shown even when quiet); empty: to `log`
};

struct import_summary {
    std::int32_t n_users = 0, n_cascades = 0;
    std::int64_t n_events = 0, n_edges = 0, duplicate_edges_dropped = 0;
    std::int64_t duplicate_events = 0;  // events equal to an earlier one (user, cascade, time): kept
    double t_start = 0.0, t_end = 0.0;
    std::string time_unit;
    bool iso_times = false;
    double seconds = 0.0;  // wall time of the whole import
};

// Reads the event log (and edge list) into memory: the dataset import_events writes. Ignores
// options.out and options.force.
dataset read_event_log(const import_options& options, import_summary& summary);

// The whole `mic import`: refuses an existing output file without `force` before reading any input,
// then reads, then writes the dataset atomically (temporary file, then rename).
import_summary import_events(const import_options& options);

} // namespace mic::io
