#pragma once
// Pieces of `mic import` shared by its source files (io/event_import.cpp, event_log_reader.cpp,
// edge_import.cpp, import_support.cpp); not a public API.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "engine/data/event_data.hpp"
#include "engine/support/text_format.hpp"
#include "io/event_import.hpp"
#include "io/id_table.hpp"

namespace mic::io::detail {

using log_function = std::function<void(const std::string&)>;

using mic::shortest;
using mic::with_thousands;

// Logs "NAME: N lines read (T s)" about every 5 seconds of a long read.
class progress_meter {
public:
    progress_meter(const log_function& log, std::string name);
    void line_read(std::int64_t line_number) {
        if ((++records_ & 0xffff) == 0) check(line_number);  // the clock is read every 65536 records
    }

private:
    void check(std::int64_t line_number);
    const log_function& log_;
    std::string name_;
    std::int64_t records_ = 0;
    std::chrono::steady_clock::time_point start_, last_;
};


// One event as read: provisional ids (order of first appearance) and the time. 16 bytes.
struct raw_event {
    std::int32_t user, cascade;
    double time;
};

// The event log as read, before ids are final.
struct event_log {
    std::deque<raw_event> events;  // grows block by block: no copies, no over-allocation
    id_table users, cascades;
    bool iso_times = false;
    double t_min = 0.0, t_max = 0.0;  // of the events
};

// Streams options.events once. Every bad line throws input_error naming file and line.
event_log read_events(const import_options& options, const log_function& log);

// One edge as read from the edge list: provisional user ids, and its line (-1 = added, not read).
struct raw_edge {
    std::int32_t source, target;
    std::int64_t line;
};

// Reads options.edges. Endpoints are looked up in `users` (provisional ids); unknown names are an
// error, or new users when options.allow_edge_only_users.
std::vector<raw_edge> read_edge_list(const import_options& options, id_table& users, const log_function& log);

// The in-neighbour CSR of `edges` (endpoints renumbered by `final_id_of`, provisional → final),
// plus u → u for every user when `self_loops`. Duplicate edges are dropped and counted, with a
// warning through `log`.
csr_graph build_graph(std::vector<raw_edge> edges, const std::vector<std::int32_t>& final_id_of, std::int32_t n_users,
                      bool self_loops, const std::string& edges_name, const log_function& log,
                      std::int64_t& duplicates_dropped);

// Every ordered pair v → u with v ≠ u (and u → u when `self_loops`). Throws input_error when that
// is more than 2e8 edges.
csr_graph complete_graph(std::int32_t n_users, bool self_loops);

} // namespace mic::io::detail
