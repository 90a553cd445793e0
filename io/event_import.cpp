#include "io/event_import.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <system_error>
#include <tuple>
#include <utility>

#include "engine/support/error.hpp"
#include "io/atomic_output.hpp"
#include "io/dataset_file.hpp"
#include "io/time_parse.hpp"
#include "io/import_detail.hpp"

namespace mic::io {
namespace {

using detail::raw_event;
using detail::shortest;
using detail::with_thousands;

// final_id_of[provisional] for the order `order` (final → provisional).
std::vector<std::int32_t> invert(const std::vector<std::int32_t>& order) {
    std::vector<std::int32_t> final_id_of(order.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        final_id_of[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
    return final_id_of;
}

std::vector<std::string> names_in_order(const id_table& table, const std::vector<std::int32_t>& order) {
    std::vector<std::string> names;
    names.reserve(order.size());
    for (std::int32_t id: order) names.emplace_back(table.name(id));
    return names;
}

// Groups the events by final user id (a stable counting sort: ties keep input order), then sorts
// each user's events by time (stable again, so equal times stay in input order). Empties `events`
// block by block as it goes, so the peak is about 16 + 12 bytes per event.
event_table group_by_user(std::deque<raw_event>& events, const std::vector<std::int32_t>& user_id,
                          const std::vector<std::int32_t>& cascade_id, std::int32_t n_users) {
    const auto final_user = [&](const raw_event& e) {
        return static_cast<std::size_t>(user_id[static_cast<std::size_t>(e.user)]);
    };
    event_table table;
    table.user_offsets.assign(static_cast<std::size_t>(n_users) + 1, 0);
    for (const raw_event& e: events) ++table.user_offsets[final_user(e) + 1];
    for (std::size_t u = 0; u < static_cast<std::size_t>(n_users); ++u)
        table.user_offsets[u + 1] += table.user_offsets[u];

    table.time.resize(events.size());
    table.cascade.resize(events.size());
    std::vector<std::int64_t> next(table.user_offsets.begin(), table.user_offsets.end() - 1);
    for (; !events.empty(); events.pop_front()) {
        const raw_event& e = events.front();
        const auto slot = static_cast<std::size_t>(next[final_user(e)]++);
        table.time[slot] = e.time;
        table.cascade[slot] = cascade_id[static_cast<std::size_t>(e.cascade)];
    }
    events.shrink_to_fit();

    std::vector<std::pair<double, std::int32_t>> user_events;  // one user's (time, cascade), to sort
    const auto by_time = [](const auto& a, const auto& b) { return a.first < b.first; };
    for (std::size_t u = 0; u < static_cast<std::size_t>(n_users); ++u) {
        const auto first = static_cast<std::size_t>(table.user_offsets[u]),
                   last = static_cast<std::size_t>(table.user_offsets[u + 1]);
        if (std::is_sorted(table.time.begin() + first, table.time.begin() + last)) continue;
        user_events.clear();
        for (std::size_t i = first; i < last; ++i) user_events.emplace_back(table.time[i], table.cascade[i]);
        std::stable_sort(user_events.begin(), user_events.end(), by_time);
        for (std::size_t i = first; i < last; ++i) std::tie(table.time[i], table.cascade[i]) = user_events[i - first];
    }
    return table;
}

// Events equal to an earlier event of the same user (same cascade and time). Each user's events are
// sorted by time, so equal times are adjacent; within such a run the cascades are compared sorted.
std::int64_t count_duplicate_events(const event_table& table) {
    std::int64_t duplicates = 0;
    std::vector<std::int32_t> run;
    for (std::size_t u = 0; u + 1 < table.user_offsets.size(); ++u) {
        const auto last = static_cast<std::size_t>(table.user_offsets[u + 1]);
        for (auto i = static_cast<std::size_t>(table.user_offsets[u]); i < last;) {
            std::size_t j = i + 1;
            while (j < last && table.time[j] == table.time[i]) ++j;
            if (j - i > 1) {
                run.assign(table.cascade.begin() + std::ptrdiff_t(i), table.cascade.begin() + std::ptrdiff_t(j));
                std::sort(run.begin(), run.end());
                duplicates += std::int64_t(run.size()) - std::int64_t(std::unique(run.begin(), run.end()) - run.begin());
            }
            i = j;
        }
    }
    return duplicates;
}

void check_options(const import_options& options) {
    if (options.events.empty()) throw input_error("no event log given; pass --events FILE");
    if (options.complete_graph && !options.edges.empty())
        throw input_error("--edges and --complete-graph exclude each other; give one of them");
    if (options.t_start && options.t_end && *options.t_start > *options.t_end)
        throw input_error("--t-start " + shortest(*options.t_start) + " is after --t-end " + shortest(*options.t_end) +
                          "; the observation window must not be empty");
    for (const auto& t: {options.t_start, options.t_end})
        if (t && !std::isfinite(*t)) throw input_error("--t-start and --t-end must be finite numbers");
    // Checked before the log is read (a typo should not cost a pass over a large file); exit code 2:
    // a bad command line.
    if (!options.numeric_time_unit.empty() &&
        (seconds_per_time_unit(options.numeric_time_unit) == 0 || seconds_per_time_unit(options.time_unit) == 0))
        throw input_error("--numeric-time-unit " + options.numeric_time_unit + " --time-unit " +
                              (options.time_unit.empty() ? "(none)" : options.time_unit) +
                              ": both must be s, min, h or d to convert, e.g. --numeric-time-unit s --time-unit h",
                          2);
}

} // namespace

dataset read_event_log(const import_options& options, import_summary& summary) {
    const auto start = std::chrono::steady_clock::now();
    check_options(options);
    const detail::log_function& log = options.log;
    const detail::log_function& warn = options.warn ? options.warn : options.log;
    detail::event_log events = detail::read_events(options, log);
    // ISO-8601 timestamps count seconds since the epoch by default, or --time-unit min, h or d: β and
    // τ are in the dataset's unit, and β·ν (ν in events per unit) is what sets how sharp the mixing is.
    double seconds_per_unit = 1;  // the divisor that turns the file's times into the dataset's unit
    if (events.iso_times && !options.time_unit.empty()) {
        seconds_per_unit = seconds_per_time_unit(options.time_unit);
        if (seconds_per_unit == 0)
            throw input_error("--time-unit " + options.time_unit + ": " + options.events.string() +
                              " has ISO-8601 timestamps, which can be counted in s, min, h or d; choose one of those");
    }
    if (!options.numeric_time_unit.empty()) {
        // Numeric times written in one unit, counted in another: t / (seconds per --time-unit / seconds per file unit).
        if (events.iso_times)
            throw input_error("--numeric-time-unit " + options.numeric_time_unit + ": " + options.events.string() +
                              " has ISO-8601 timestamps, not numbers; drop the option (--time-unit alone chooses their unit)");
        seconds_per_unit = seconds_per_time_unit(options.time_unit) / seconds_per_time_unit(options.numeric_time_unit);
    }
    if (!events.iso_times && options.time_unit.empty() && log)
        log("note: numeric times and no --time-unit; the dataset's time_unit is left empty");

    std::vector<detail::raw_edge> edges;
    if (!options.edges.empty()) edges = detail::read_edge_list(options, events.users, log);

    dataset data;
    const std::vector<std::int32_t> user_order = events.users.final_order(),
                                    cascade_order = events.cascades.final_order();
    const std::vector<std::int32_t> user_id = invert(user_order), cascade_id = invert(cascade_order);
    const std::int32_t n_users = events.users.size();
    data.header.n_users = n_users;
    data.header.n_cascades = events.cascades.size();
    data.header.t_start = options.t_start.value_or(events.t_min) / seconds_per_unit;
    data.header.t_end = options.t_end.value_or(events.t_max) / seconds_per_unit;
    data.header.time_unit = events.iso_times && options.time_unit.empty() ? "s" : options.time_unit;
    if (events.iso_times) data.header.time_origin = unix_epoch_iso8601;
    data.user_names = names_in_order(events.users, user_order);
    data.cascade_names = names_in_order(events.cascades, cascade_order);
    data.events = group_by_user(events.events, user_id, cascade_id, n_users);
    if (seconds_per_unit != 1)
        for (double& t: data.events.time) t /= seconds_per_unit;  // the same division as t_start and t_end (file units)

    summary = import_summary{};
    if (options.complete_graph) {
        data.graph = detail::complete_graph(n_users, options.self_loops);
    } else {
        if (options.edges.empty() && log)
            log("note: no --edges or --complete-graph given; the dataset has no edges between users");
        data.graph = detail::build_graph(std::move(edges), user_id, n_users, options.self_loops, options.edges.string(),
                                         warn, summary.duplicate_edges_dropped);
    }
    // The models hold Σ as a dense C×C matrix (mic fit refuses what the machine cannot hold): say so
    // here, before the dataset is used, when one copy alone takes a gigabyte.
    if (const double sigma_bytes = 8.0 * double(data.header.n_cascades) * double(data.header.n_cascades); sigma_bytes >= 1e9 && warn)
        warn(options.events.string() + ": " + with_thousands(data.header.n_cascades) + " cascades; the models hold Sigma as a dense " +
             "cascades x cascades matrix, " + shortest(std::round(sigma_bytes / 1e8) / 10) + " GB per copy and several at once: "
             "merge rare cascades (e.g. keep the largest few thousand and map the rest to one 'other' cascade) before fitting");
    if (!(data.header.t_end > data.header.t_start) && warn)
        warn(options.events.string() + ": the observation window [" + shortest(data.header.t_start) + ", " +
             shortest(data.header.t_end) + "] has zero width (every event at one time): no model can be fitted to it; "
             "give --t-start and --t-end around the events");
    summary.duplicate_events = count_duplicate_events(data.events);
    if (summary.duplicate_events > 0 && warn)
        warn(options.events.string() + ": " + with_thousands(summary.duplicate_events) + " event" +
             (summary.duplicate_events == 1 ? " repeats" : "s repeat") +
             " an earlier event exactly (same user, cascade and time); kept as distinct events at one instant — "
             "remove duplicate rows first if the log counts an event twice");

    summary.n_users = data.header.n_users;
    summary.n_cascades = data.header.n_cascades;
    summary.n_events = data.events.n_events();
    summary.n_edges = data.graph.n_edges();
    summary.t_start = data.header.t_start;
    summary.t_end = data.header.t_end;
    summary.time_unit = data.header.time_unit;
    summary.iso_times = events.iso_times;
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (log)
        log(options.events.string() + ": " + with_thousands(summary.n_events) + " events of " +
            with_thousands(summary.n_users) + " users in " + with_thousands(summary.n_cascades) + " cascades, times " +
            shortest(summary.t_start) + " to " + shortest(summary.t_end) +
            (summary.time_unit.empty() ? "" : " " + summary.time_unit) + "; " + with_thousands(summary.n_edges) +
            " edges");
    return data;
}

import_summary import_events(const import_options& options) {
    const auto start = std::chrono::steady_clock::now();
    check_options(options);
    if (options.out.empty()) throw input_error("no output file given; pass --out FILE");
    for (const auto& input: {options.events, options.edges}) {
        std::error_code ec;  // equivalent() needs both files to exist; when one does not, they differ
        if (!input.empty() && std::filesystem::equivalent(input, options.out, ec))
            throw input_error(options.out.string() + " is also an input (" + input.string() +
                              "); write the dataset to another file");
    }
    // Check the output first (an existing file without --force, a missing or read-only directory),
    // not after minutes of reading. The probe's empty temporary file is removed at once.
    { const atomic_output probe(options.out, options.force); }
    import_summary summary;
    const dataset data = read_event_log(options, summary);
    write_dataset(options.out, data, options.force);  // atomic: temporary file, then rename
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.log) {
        char elapsed[32];
        std::snprintf(elapsed, sizeof elapsed, "%.1f s", summary.seconds);
        options.log("wrote " + options.out.string() + " in " + elapsed);
    }
    return summary;
}

} // namespace mic::io
