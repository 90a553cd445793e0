// The graph part of `mic import`: an edge list "source,target" (source influences target), or the
// complete graph, into in-neighbour CSR form.
#include <algorithm>
#include <limits>

#include "engine/support/error.hpp"
#include "io/csv_reader.hpp"
#include "io/import_columns.hpp"
#include "io/import_detail.hpp"

namespace mic::io::detail {

std::vector<raw_edge> read_edge_list(const import_options& options, id_table& users, const log_function& log) {
    const std::string name = options.edges.string();
    const header_mode mode = parse_header_option(options.edges_header, "--edges-header");
    csv_reader reader(options.edges, name,
                      parse_delimiter_option(options.edges_delimiter.empty() ? options.delimiter : options.edges_delimiter));
    if (!reader.next())
        throw input_error(name + ": no edges (the file is empty); omit --edges for a dataset without a graph");
    const column_layout layout = decide_layout(reader.fields(), edge_roles(), mode, "", name, reader.line_number());
    const std::int64_t header_line = layout.first_record_is_header ? reader.line_number() : 0;
    // The graph says who may influence whom; the weights are what the fit learns, so a weight column
    // is read by no one: said once, not dropped unseen.
    if (const auto note = ignored_columns_note(layout, edge_roles(), name); !note.empty() && log) {
        const bool weights = std::any_of(layout.ignored.begin(), layout.ignored.end(), [](const std::string& column) {
            std::string lower(column);
            for (char& ch: lower) ch = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
            return lower.find("weight") != std::string::npos;
        });
        log(weights ? note + "; the influence weights are what `mic fit` estimates" : note);
    }
    // A first line that was taken for data but names no known user may be an unrecognised header.
    const bool may_be_header = !layout.first_record_is_header && mode == header_mode::automatic;
    const std::int64_t first_line = reader.line_number();
    const std::string events_name = options.events.string();

    std::vector<raw_edge> edges;
    progress_meter progress(log, name);
    bool have_record = !layout.first_record_is_header;
    std::int32_t added_users = 0;
    for (;;) {
        if (!have_record && !reader.next()) break;
        have_record = false;
        const auto fields = reader.fields();
        if (fields.size() != layout.n_fields) reader.fail(wrong_field_count(fields.size(), layout, reader.delimiter()));
        std::int32_t ends[2];
        for (int k = 0; k < 2; ++k) {
            const std::string_view user = fields[layout.field_of_role[static_cast<std::size_t>(k)]];
            if (user.empty())
                reader.fail(std::string("empty ") + (k == 0 ? "source" : "target") + " user; every edge needs both");
            reader.require_utf8(user, k == 0 ? "source user id" : "target user id");
            ends[k] = users.find(user);
            if (ends[k] >= 0) continue;
            if (!options.allow_edge_only_users) {
                std::string hint;
                if (may_be_header && reader.line_number() == first_line)
                    hint = " (if this line is a header, name its columns source,target, or pass --edges-header yes)";
                reader.fail("user '" + std::string(user) + "' has no events in " + events_name + hint +
                            "; remove the edge, or pass --allow-edge-only-users to add users without events");
            }
            ends[k] = users.intern(user, "users");
            ++added_users;
        }
        edges.push_back(raw_edge{ends[0], ends[1], reader.line_number()});
        progress.line_read(reader.line_number());
    }
    if (edges.empty())
        throw input_error(name + ": no edges (only a header, on line " + std::to_string(header_line) +
                          "); omit --edges for a dataset without a graph");
    if (const auto note = reader.comment_note(); !note.empty() && log) log(note);
    if (added_users > 0 && log)
        log(name + ": added " + with_thousands(added_users) + " users that have no events (--allow-edge-only-users)");
    return edges;
}

csr_graph build_graph(std::vector<raw_edge> edges, const std::vector<std::int32_t>& final_id_of, std::int32_t n_users,
                      bool self_loops, const std::string& edges_name, const log_function& log,
                      std::int64_t& duplicates_dropped) {
    for (raw_edge& e: edges) {
        e.source = final_id_of[static_cast<std::size_t>(e.source)];
        e.target = final_id_of[static_cast<std::size_t>(e.target)];
    }
    if (self_loops)
        for (std::int32_t u = 0; u < n_users; ++u) edges.push_back(raw_edge{u, u, -1});
    // Sorted by (target, source, line), copies of one edge are adjacent, an added self-loop (line -1)
    // first and the file's copies in line order.
    std::sort(edges.begin(), edges.end(), [](const raw_edge& a, const raw_edge& b) {
        if (a.target != b.target) return a.target < b.target;
        if (a.source != b.source) return a.source < b.source;
        return a.line < b.line;
    });
    csr_graph graph;
    graph.in_offsets.assign(static_cast<std::size_t>(n_users) + 1, 0);
    graph.in_source.reserve(edges.size());
    duplicates_dropped = 0;
    std::int64_t first_duplicate_line = std::numeric_limits<std::int64_t>::max();
    std::int64_t loops_from_file = 0, first_loop_line = 0;  // u → u written in the file (without --self-loops)
    for (std::size_t i = 0; i < edges.size();) {
        std::size_t j = i + 1;
        while (j < edges.size() && edges[j].target == edges[i].target && edges[j].source == edges[i].source) ++j;
        // Copies read from the file beyond the first are duplicates (an added loop duplicates nothing).
        const std::size_t first_read = edges[i].line < 0 ? i + 1 : i;
        if (j - first_read > 1) {
            duplicates_dropped += static_cast<std::int64_t>(j - first_read - 1);
            first_duplicate_line = std::min(first_duplicate_line, edges[first_read + 1].line);
        }
        if (!self_loops && edges[i].source == edges[i].target && loops_from_file++ == 0) first_loop_line = edges[i].line;
        graph.in_source.push_back(edges[i].source);
        ++graph.in_offsets[static_cast<std::size_t>(edges[i].target) + 1];
        i = j;
    }
    for (std::size_t u = 0; u < static_cast<std::size_t>(n_users); ++u) graph.in_offsets[u + 1] += graph.in_offsets[u];
    if (duplicates_dropped > 0 && log)
        log(edges_name + ": dropped " + with_thousands(duplicates_dropped) + " duplicate edge" +
            (duplicates_dropped == 1 ? "" : "s") + " (first at line " + std::to_string(first_duplicate_line) + ")");
    if (loops_from_file > 0 && log)
        log(edges_name + ": kept " + with_thousands(loops_from_file) + " self-loop" + (loops_from_file == 1 ? "" : "s") +
            " u -> u written in the file (e.g. line " + std::to_string(first_loop_line) +
            "): those users excite themselves; remove them if the graph should have none");
    return graph;
}

csr_graph complete_graph(std::int32_t n_users, bool self_loops) {
    constexpr std::int64_t limit = 200'000'000;
    const std::int64_t n = n_users;
    const std::int64_t n_edges = n * (n - 1) + (self_loops ? n : 0);
    if (n_edges > limit)
        throw input_error("--complete-graph: " + with_thousands(n) + " users make " + with_thousands(n_edges) +
                          " edges, more than the limit of " + with_thousands(limit) +
                          "; give the graph as an edge list with --edges");
    csr_graph graph;
    graph.in_offsets.reserve(static_cast<std::size_t>(n) + 1);
    graph.in_source.reserve(static_cast<std::size_t>(n_edges));
    for (std::int32_t u = 0; u < n_users; ++u) {
        for (std::int32_t v = 0; v < n_users; ++v)
            if (v != u || self_loops) graph.in_source.push_back(v);
        graph.in_offsets.push_back(static_cast<std::int64_t>(graph.in_source.size()));
    }
    return graph;
}

} // namespace mic::io::detail
