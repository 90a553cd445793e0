// `mic import`: a CSV/TSV event log (and an edge list) → a dataset file.
#include <sstream>

#include "engine/distributed/checked_section.hpp"
#include "engine/support/text_format.hpp"
#include "launch/cli/console.hpp"
#include "launch/commands/commands.hpp"
#include "launch/options/import_options.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "import",
    "--events F --out D.h5 [--edges F | --complete-graph] [--self-loops] [options]",
    "Convert an event log (CSV/TSV) and a follower graph into a mic dataset file (HDF5).",
    "Each line of the event log is one event: who (user), on what (cascade: a hashtag, URL, topic),\n"
    "when (time). Ids may be strings or integers; they become 0-based ids, and the original names are\n"
    "stored in the file. Integer ids keep their order (ids 0..U-1 stay the same); string ids are\n"
    "sorted. Times are numbers (any unit: say which with --time-unit) or ISO-8601 timestamps such as\n"
    "2024-03-01T12:30:00Z (converted to seconds since 1970-01-01 UTC; without a zone, UTC). Names must\n"
    "be UTF-8 (convert other encodings with iconv). Lines starting with '#' before the first record are\n"
    "comments; after it, '#' starts a name (a hashtag). Events repeated exactly (same user, cascade and\n"
    "time) are kept, with a warning. The observation window is [first time, last time] unless\n"
    "--t-start/--t-end say otherwise; events at its start are scored like any other.\n\n"
    "The edge list has one edge `source,target` per line: source influences target (the model's\n"
    "in-neighbours of target). Duplicate edges are dropped with a warning. The input is streamed;\n"
    "memory grows with the number of events (16 to 28 bytes each) and of distinct names, not with\n"
    "the file size. On any error nothing is written.",
    "  mic import --events tweets.csv --edges follows.csv --out data.h5\n"
    "  mic import --events log.tsv --columns time,user,cascade --complete-graph --self-loops --out data.h5\n"
    "  mic import --config import.ini --force",
};

std::string to_text(const io::import_summary& s, const io::import_options& o) {
    std::ostringstream t;
    t << "wrote " << o.out.string() << ": " << with_thousands(s.n_users) << " users, " << with_thousands(s.n_cascades)
      << " cascades, " << with_thousands(s.n_events) << " events, " << with_thousands(s.n_edges) << " edges\n";
    return t.str();
}

nlohmann::json to_json(const io::import_summary& s, const io::import_options& o) {
    return {{"out", o.out.string()},
            {"n_users", s.n_users},
            {"n_cascades", s.n_cascades},
            {"n_events", s.n_events},
            {"n_edges", s.n_edges},
            {"duplicate_edges_dropped", s.duplicate_edges_dropped},
            {"duplicate_events", s.duplicate_events},
            {"t_start", s.t_start},
            {"t_end", s.t_end},
            {"time_unit", s.time_unit},
            {"iso_times", s.iso_times},
            {"seconds", s.seconds}};
}

int run(std::span<const std::string> args, const communicator& comm) {
    io::import_options options;
    const auto parsed = parse_on_all_ranks(help, describe_options(options), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "import");
    options.log = [&out](const std::string& line) { out.log(line); };
    options.warn = [&out](const std::string& line) { out.warn(line); };
    // Import is a single-process job: rank 0 does it, the other ranks learn the outcome.
    run_checked_on_root(comm, [&] {
        const auto summary = io::import_events(options);
        if (parsed->json) out.print_json(to_json(summary, options));
        else out.print(to_text(summary, options));
    });
    return 0;
}

} // namespace

subcommand import_command() {
    return {help, run, [] {
                 io::import_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
