// The event-log part of `mic import`: streams the file once, keeping 16 bytes per event and the
// distinct names.
#include <algorithm>

#include "engine/support/error.hpp"
#include "io/csv_reader.hpp"
#include "io/import_columns.hpp"
#include "io/import_detail.hpp"
#include "io/time_parse.hpp"

namespace mic::io::detail {
namespace {

// Reads and checks one time field of an event log whose format (ISO-8601 or numeric) was set by
// the first event, on line `format_line`.
class time_field {
public:
    double parse(const csv_reader& reader, std::string_view text, const std::string& hint) {
        if (format_line_ == 0) {
            iso_ = looks_like_iso8601(text);
            format_line_ = reader.line_number();
        }
        if (text.empty()) reader.fail("empty time; every event needs one" + hint);
        double t = 0.0;
        try {
            if (iso_ && !looks_like_iso8601(text) && is_number(text))
                reader.fail("time '" + std::string(text) + "' is a number, but " + format_source() +
                            " has an ISO-8601 timestamp; use one time format in a file");
            if (!iso_ && looks_like_iso8601(text))
                reader.fail("time '" + std::string(text) + "' is an ISO-8601 timestamp, but " + format_source() +
                            " has a number; use one time format in a file");
            t = iso_ ? parse_iso8601_seconds(text) : parse_finite_number(text);
        } catch (const time_syntax_error& e) {
            reader.fail(e.what() + hint);
        }
        if (t < 0.0) {
            if (iso_)
                reader.fail(
                    "time '" + std::string(text) +
                    "' is before 1970-01-01T00:00:00Z, from which ISO-8601 times are counted; times must be ≥ 0");
            reader.fail("time '" + std::string(text) +
                        "' is negative; times must be ≥ 0 (shift them, or use ISO-8601 timestamps)");
        }
        return t;
    }
    bool iso() const { return iso_; }

private:
    std::string format_source() const { return "line " + std::to_string(format_line_); }
    static bool is_number(std::string_view text) {
        try {
            parse_finite_number(text);
            return true;
        } catch (const time_syntax_error&) {
            return false;
        }
    }
    bool iso_ = false;
    std::int64_t format_line_ = 0;
};

} // namespace

event_log read_events(const import_options& options, const log_function& log) {
    const std::string name = options.events.string();
    const header_mode mode = parse_header_option(options.header, "--header");
    // A first column of hashtags (--columns cascade,…): its '#' lines are records, not comments.
    const bool hashtags_first = first_column_is(options.columns, event_roles(), "cascade");
    csv_reader reader(options.events, name, parse_delimiter_option(options.delimiter), !hashtags_first);
    if (!reader.next()) {
        if (reader.comment_lines() > 0)
            throw input_error(name + ": no events: " +
                              (reader.comment_lines() == 1 ? std::string("its one non-blank line starts")
                                                           : "each of its " + std::to_string(reader.comment_lines()) + " non-blank lines starts") +
                              " with '#' and was taken for a comment; if its first column holds "
                              "hashtags, pass --columns in the file's order (e.g. --columns cascade,user,time) or add a header line");
        throw input_error(name + ": no events (the file is empty)");
    }
    const column_layout layout =
        decide_layout(reader.fields(), event_roles(), mode, options.columns, name, reader.line_number());
    const std::int64_t first_line = reader.line_number();
    if (const auto note = ignored_columns_note(layout, event_roles(), name); !note.empty() && log) log(note);
    // Problems on the first line, taken for data, may mean it is a header we did not recognise.
    const std::string first_line_hint = !layout.first_record_is_header && mode == header_mode::automatic
        ? "; if line " + std::to_string(first_line) + " is a header, pass --header yes"
        : "";
    const std::string no_hint;
    const std::size_t user_field = layout.field_of_role[0], cascade_field = layout.field_of_role[1],
                      time_field_index = layout.field_of_role[2];

    event_log log_data;
    time_field times;
    progress_meter progress(log, name);
    bool have_record = !layout.first_record_is_header;
    for (;;) {
        if (!have_record && !reader.next()) break;
        have_record = false;
        const auto fields = reader.fields();
        const std::string& hint = reader.line_number() == first_line ? first_line_hint : no_hint;
        if (fields.size() != layout.n_fields) reader.fail(wrong_field_count(fields.size(), layout, reader.delimiter()));
        const std::string_view user = fields[user_field], cascade = fields[cascade_field];
        if (user.empty()) reader.fail("empty user id; every event needs a user");
        if (cascade.empty()) reader.fail("empty cascade id; every event needs a cascade");
        reader.require_utf8(user, "user id");
        reader.require_utf8(cascade, "cascade id");
        const double t = times.parse(reader, fields[time_field_index], hint);
        // Both in the log's own form: an ISO log's bounds as timestamps (they are seconds since 1970 here).
        const auto shown = [&](double x) { return times.iso() ? format_iso8601(x) : shortest(x); };
        if (options.t_start && t < *options.t_start)
            reader.fail("time " + shown(t) + " is before --t-start " + shown(*options.t_start) +
                        "; lower --t-start, or remove the events before it");
        if (options.t_end && t > *options.t_end)
            reader.fail("time " + shown(t) + " is after --t-end " + shown(*options.t_end) +
                        "; raise --t-end, or remove the events after it");
        log_data.events.push_back(
            raw_event{log_data.users.intern(user, "users"), log_data.cascades.intern(cascade, "cascades"), t});
        progress.line_read(reader.line_number());
    }
    if (log_data.events.empty())
        throw input_error(name + ": no events (only a header, on line " + std::to_string(first_line) + ")");
    if (const auto note = reader.comment_note(); !note.empty() && log) log(note);
    log_data.iso_times = times.iso();
    const auto [lo, hi] = std::minmax_element(log_data.events.begin(), log_data.events.end(),
                                              [](const raw_event& a, const raw_event& b) { return a.time < b.time; });
    log_data.t_min = lo->time;
    log_data.t_max = hi->time;
    return log_data;
}

} // namespace mic::io::detail
