// `mic info`: the dataset summary (the demo prints it).
#include <cstdio>
#include <sstream>

#include "engine/data/dataset_summary.hpp"
#include "engine/distributed/checked_section.hpp"
#include "io/dataset_file.hpp"
#include "io/time_parse.hpp"
#include "engine/support/text_format.hpp"
#include "launch/cli/console.hpp"
#include "launch/commands/commands.hpp"
#include "launch/options/info_options.hpp"
#include "launch/options/time_bound.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "info",
    "--data D.h5 [--top K] [--json]",
    "Summarise a dataset file: users, cascades, events, edges, time window, events per cascade, most active users.",
    "Reads and validates the whole file (format version, offsets, sorted times, ids in range, graph),\n"
    "so it doubles as a check of a dataset before a long run.",
    "  mic info --data run/data.h5\n  mic info --data run/data.h5 --top 20 --json | python3 -m json.tool",
};

std::string name_or_id(const std::vector<std::string>& names, std::int32_t id) {
    return names.empty() ? std::to_string(id) : names[static_cast<std::size_t>(id)];
}

nlohmann::json to_json(const dataset_summary& s, const dataset& d) {
    nlohmann::json j;
    j["n_users"] = s.n_users;
    j["n_cascades"] = s.n_cascades;
    j["n_events"] = s.n_events;
    j["n_edges"] = s.n_edges;
    j["t_start"] = s.t_start;
    j["t_end"] = s.t_end;
    j["time_unit"] = d.header.time_unit;
    j["time_origin"] = d.header.time_origin;
    j["first_event"] = s.first_event;
    j["last_event"] = s.last_event;
    j["users_with_events"] = s.users_with_events;
    j["users_without_in_neighbours"] = s.users_without_in_neighbours;
    j["max_in_degree"] = s.max_in_degree;
    j["mean_in_degree"] = s.n_users ? double(s.n_edges) / s.n_users : 0.0;
    j["self_loops"] = s.self_loops;
    auto& per = j["events_per_cascade"] = nlohmann::json::array();
    for (std::int32_t c = 0; c < s.n_cascades; ++c)
        per.push_back({{"cascade", c}, {"name", name_or_id(d.cascade_names, c)},
                       {"n_events", s.events_per_cascade[static_cast<std::size_t>(c)]}});
    auto& top = j["most_active_users"] = nlohmann::json::array();
    for (const auto& a: s.most_active)
        top.push_back({{"user", a.user}, {"name", name_or_id(d.user_names, a.user)}, {"n_events", a.events}});
    return j;
}

std::string to_text(const dataset_summary& s, const dataset& d, const std::string& path) {
    std::ostringstream t;
    t << "dataset            " << path << "\n"
      << "users              " << with_thousands(s.n_users) << " (" << with_thousands(s.users_with_events) << " with events)\n"
      << "cascades           " << with_thousands(s.n_cascades) << "\n"
      << "events             " << with_thousands(s.n_events) << "\n"
      << "edges              " << with_thousands(s.n_edges) << " (mean in-degree "
      << (s.n_users ? double(s.n_edges) / s.n_users : 0.0) << ", max " << s.max_in_degree << ", "
      << with_thousands(s.self_loops) << " self-loops)\n"
      << "window             " << readable_time(s.t_start, d.header) << " to " << readable_time(s.t_end, d.header) << "\n";
    if (s.n_events > 0)
        t << "event times        " << readable_time(s.first_event, d.header) << " to "
          << readable_time(s.last_event, d.header) << "\n";
    t << "\nevents per cascade\n";
    for (std::int32_t c = 0; c < s.n_cascades; ++c) {
        char line[256];
        std::snprintf(line, sizeof line, "  %s %12s\n", padded(name_or_id(d.cascade_names, c), 24).c_str(),
                      with_thousands(s.events_per_cascade[static_cast<std::size_t>(c)]).c_str());
        t << line;
    }
    t << "\nmost active users\n";
    for (const auto& a: s.most_active) {
        char line[256];
        std::snprintf(line, sizeof line, "  %s %12s\n", padded(name_or_id(d.user_names, a.user), 24).c_str(),
                      with_thousands(a.events).c_str());
        t << line;
    }
    return t.str();
}

int run(std::span<const std::string> args, const communicator& comm) {
    info_options options;
    const auto parsed = parse_on_all_ranks(help, describe_options(options), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "info");
    // Rank 0 reads and summarises; the others only learn whether it worked.
    run_checked_on_root(comm, [&] {
        const dataset data = io::read_dataset(options.data);
        const auto summary = summarise(data, options.top);
        if (parsed->json) out.print_json(to_json(summary, data));
        else out.print(to_text(summary, data, options.data.string()));
    });
    return 0;
}

} // namespace

subcommand info_command() {
    return {help, run, [] {
                 info_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
