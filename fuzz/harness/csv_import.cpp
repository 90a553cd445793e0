// The CSV-importer harness (see harnesses.hpp).
#include <set>

#include "engine/support/error.hpp"
#include "fuzz/harness/fuzz_bytes.hpp"
#include "fuzz/harness/harnesses.hpp"
#include "io/dataset_file.hpp"
#include "io/event_import.hpp"

namespace mic::fuzz {
namespace {

// The options of `mic import` that change how text is read, from two bytes.
io::import_options options_from(std::uint8_t a, std::uint8_t b) {
    io::import_options o;
    o.delimiter = std::initializer_list<const char*>{"", ",", "tab", ";"}.begin()[a & 3];
    o.header = std::initializer_list<const char*>{"auto", "yes", "no", "auto"}.begin()[(a >> 2) & 3];
    o.edges_header = o.header;
    o.columns = std::initializer_list<const char*>{"", "time,user,cascade", "user,_,cascade,time", "cascade,user,time"}.begin()[(a >> 4) & 3];
    o.self_loops = (a >> 6) & 1;
    o.allow_edge_only_users = (a >> 7) & 1;
    o.complete_graph = b & 1;
    if ((b >> 1) & 1) o.t_start = 0.0;
    if ((b >> 2) & 1) o.t_end = 100.0;
    o.time_unit = std::initializer_list<const char*>{"", "s", "d", "minute"}.begin()[(b >> 3) & 3];
    return o;
}

// Names survive the file: distinct, and without NUL (HDF5 stores C strings, which a NUL would cut).
void require_distinct(const std::vector<std::string>& names, const char* what) {
    if (std::set<std::string>(names.begin(), names.end()).size() != names.size())
        throw harness_failure(std::string("two ") + what + " share a name");
    for (const auto& name: names)
        if (name.find('\0') != std::string::npos) throw harness_failure(std::string("a name of ") + what + " holds a NUL byte");
}

} // namespace

void csv_import(const std::uint8_t* data, std::size_t size) {
    fuzz_bytes in(data, size);
    const std::uint8_t a = in.byte(), b = in.byte();  // in this order (argument order is unspecified)
    io::import_options options = options_from(a, b);
    // The event log, and after a line "--" the edge list.
    const std::string text = in.rest();
    const auto marker = text.find("\n--\n");
    options.events = scratch_file("events.csv");
    write_bytes(options.events, text.substr(0, marker));
    if (marker != std::string::npos && !options.complete_graph) {
        options.edges = scratch_file("edges.csv");
        write_bytes(options.edges, text.substr(marker + 4));
    }
    io::import_summary summary;
    dataset imported;
    try {
        imported = io::read_event_log(options, summary);
    } catch (const input_error&) {
        return;  // refused, with its one line
    }
    // Oracles: what the importer accepts is a valid dataset with one name per user and cascade.
    try {
        io::check_dataset(imported, {"imported", "the importer produced an invalid dataset"});
    } catch (const input_error& e) {
        throw harness_failure(e.what());
    }
    require_distinct(imported.user_names, "users");
    require_distinct(imported.cascade_names, "cascades");
    if (summary.n_events != imported.events.n_events() || summary.n_users != imported.header.n_users)
        throw harness_failure("the import summary disagrees with the dataset");
}

} // namespace mic::fuzz
