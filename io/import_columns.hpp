#pragma once
// Where the user, cascade and time (or source and target) fields are in a delimited file: from a
// header line, from the --columns option, or the default order.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mic::io {

// One field the importer needs, with the header names that denote it (lower case).
struct column_role {
    std::string_view name;                    // as in --columns and messages: "user"
    std::array<std::string_view, 4> aliases;  // more accepted header names (empty = none)
};

// user, cascade, time — in their default order.
std::span<const column_role> event_roles();
// source, target — in their default order. An edge source → target means source influences target.
std::span<const column_role> edge_roles();

enum class header_mode { automatic, yes, no };

// "auto", "yes" or "no" (also "true"/"false", "1"/"0"); throws input_error otherwise.
header_mode parse_header_option(const std::string& value, const std::string& option_name);

// True when some field of `record` is (case-insensitively) a header name of one of `roles`.
bool looks_like_header(std::span<const std::string_view> record, std::span<const column_role> roles);

struct column_layout {
    std::vector<std::size_t> field_of_role;  // parallel to the roles
    std::size_t n_fields = 0;                // every data record must have exactly this many
    bool first_record_is_header = false;
    std::string expected;  // what the fields are, for messages: "user,cascade,time"
    std::vector<std::string> ignored;  // header names of the fields no role reads (a header layout only)
};

// "FILE: ignored columns 'weight', 'text' (mic reads source,target)", or "" when none is ignored: what an
// importer logs, so that a column the user may have meant to count (an edge weight) is not dropped unseen.
std::string ignored_columns_note(const column_layout& layout, std::span<const column_role> roles, const std::string& file);

// Decides the layout from the first record of `file` (on line `line`). `columns` is the --columns
// option ("" = from the header, else the roles in default order); in it "_" or "-" skips a field.
// Throws input_error naming the option, or the file and line, when a role is missing or repeated.
column_layout decide_layout(std::span<const std::string_view> first_record, std::span<const column_role> roles,
                            header_mode mode, const std::string& columns, const std::string& file, std::int64_t line);

// Whether the --columns option `columns` names `role` (e.g. "cascade") as the first field.
bool first_column_is(const std::string& columns, std::span<const column_role> roles, std::string_view role);

// "4 fields where 3 were expected (user,cascade,time); check the delimiter (',' was used) and the quoting"
std::string wrong_field_count(std::size_t found, const column_layout& layout, char delimiter);

} // namespace mic::io
