#include "launch/options/import_options.hpp"

#include "io/time_parse.hpp"

namespace mic {
namespace {

// --t-start / --t-end: a number in the log's unit, or an ISO-8601 timestamp (for ISO logs).
cli::po::typed_value<std::string>* window_time(std::optional<double>& target, const char* option) {
    return cli::po::value<std::string>()->value_name("T")->notifier([&target, option](const std::string& text) {
        try {
            target = io::looks_like_iso8601(text) ? io::parse_iso8601_seconds(text) : io::parse_finite_number(text);
        } catch (const io::time_syntax_error& e) {
            throw cli::usage_error(std::string("--") + option + " '" + text + "': " + e.what() +
                                   "; give a number or an ISO-8601 timestamp");
        }
    });
}

} // namespace

cli::po::options_description describe_options(io::import_options& o) {
    namespace po = cli::po;
    auto d = cli::options_group("Options");
    d.add_options()
        ("events", cli::path_value(o.events)->required(),
         "event log: CSV or TSV (detected), one event per line: user, cascade, time (header optional)")
        ("out", cli::path_value(o.out)->required(), "dataset file to write (HDF5, SPEC §5)")
        ("edges", cli::path_value(o.edges),
         "follower graph: lines `source,target`, meaning source influences target (target follows source)")
        ("complete-graph", po::bool_switch(&o.complete_graph), "instead of --edges: every user influences every other user")
        ("self-loops", po::bool_switch(&o.self_loops), "add the edge u → u for every user (self-excitation)")
        ("allow-edge-only-users", po::bool_switch(&o.allow_edge_only_users),
         "accept users who appear only in the edge list (they get no events) instead of failing")
        ("columns", po::value(&o.columns)->value_name("LIST"),
         "column order of the event log, e.g. `time,user,cascade`; `_` skips a column "
         "(default: from the header, else user,cascade,time)")
        ("delimiter", po::value(&o.delimiter)->value_name("C"),
         "field separator of both files: one character, tab or space (runs of blanks). Default: detected per file "
         "from its first line — tab, else ',', else ';', else space when it holds two words")
        ("edges-delimiter", po::value(&o.edges_delimiter)->value_name("C"),
         "field separator of the edge list only (e.g. space for a SNAP list beside a CSV event log)")
        ("header", po::value(&o.header)->default_value(o.header)->value_name("auto|yes|no"),
         "whether the event log's first line names its columns; auto: it does when it names user, cascade or time")
        ("edges-header", po::value(&o.edges_header)->default_value(o.edges_header)->value_name("auto|yes|no"),
         "whether the edge list's first line names its columns; auto: it does when it names source/target or from/to")
        ("t-start", window_time(o.t_start, "t-start"),
         "start of the observation window, in the log's own times: a number in the file's unit (before any "
         "--numeric-time-unit conversion), or an ISO-8601 timestamp for ISO logs (default: first event)")
        ("t-end", window_time(o.t_end, "t-end"),
         "end of the observation window, in the log's own times like --t-start (default: last event)")
        ("time-unit", po::value(&o.time_unit)->value_name("UNIT"),
         "label of numeric times, stored in the file (e.g. s, h, d); ISO-8601 timestamps are counted in seconds "
         "since 1970 by default, or in min, h or d with this option (beta and tau are then in that unit)")
        ("numeric-time-unit", po::value(&o.numeric_time_unit)->value_name("UNIT"),
         "the unit of numeric times in the file (s, min, h or d), converted to --time-unit: e.g. epoch seconds "
         "counted in hours with --numeric-time-unit s --time-unit h")
        ("force", po::bool_switch(&o.force), "overwrite --out if it exists");
    return d;
}

} // namespace mic
