#include "io/import_columns.hpp"

#include <algorithm>
#include <optional>

#include "engine/support/error.hpp"

namespace mic::io {
namespace {

constexpr column_role event_role_list[] = {
    {"user", {"user_id", "userid", "", ""}},
    {"cascade", {"cascade_id", "topic", "hashtag", ""}},
    {"time", {"timestamp", "", "", ""}},
};
constexpr column_role edge_role_list[] = {
    {"source", {"src", "from", "", ""}},
    {"target", {"dst", "to", "", ""}},
};

bool equals_lowercase(std::string_view text, std::string_view lower) {
    return text.size() == lower.size() && std::equal(text.begin(), text.end(), lower.begin(), [](char a, char b) {
               return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
           });
}

// The role that header name `field` denotes, if any.
std::optional<std::size_t> role_of(std::string_view field, std::span<const column_role> roles) {
    for (std::size_t r = 0; r < roles.size(); ++r) {
        if (equals_lowercase(field, roles[r].name)) return r;
        for (auto alias: roles[r].aliases)
            if (!alias.empty() && equals_lowercase(field, alias)) return r;
    }
    return std::nullopt;
}

std::string role_names(std::span<const column_role> roles) {
    std::string names;
    for (const auto& role: roles) {
        if (!names.empty()) names += ',';
        names += role.name;
    }
    return names;
}

std::vector<std::string_view> split_option(std::string_view text) {
    std::vector<std::string_view> parts;
    for (;;) {
        const std::size_t comma = text.find(',');
        std::string_view part = text.substr(0, comma);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
        parts.push_back(part);
        if (comma == std::string_view::npos) return parts;
        text.remove_prefix(comma + 1);
    }
}

// Layout from the --columns option: its entries name the fields in file order.
column_layout layout_from_option(const std::string& columns, std::span<const column_role> roles) {
    const auto parts = split_option(columns);
    column_layout layout;
    layout.field_of_role.assign(roles.size(), parts.size());
    for (std::size_t f = 0; f < parts.size(); ++f) {
        if (parts[f] == "_" || parts[f] == "-") continue;
        const auto r = role_of(parts[f], roles);
        if (!r)
            throw input_error("--columns '" + columns + "': unknown column '" + std::string(parts[f]) +
                              "'; name the fields " + role_names(roles) + " in file order, with _ for a field to skip");
        if (layout.field_of_role[*r] != parts.size())
            throw input_error("--columns '" + columns + "' names " + std::string(roles[*r].name) +
                              " twice; give it once");
        layout.field_of_role[*r] = f;
    }
    for (std::size_t r = 0; r < roles.size(); ++r)
        if (layout.field_of_role[r] == parts.size())
            throw input_error("--columns '" + columns + "' has no " + std::string(roles[r].name) +
                              " column; name the fields " + role_names(roles) + " in file order (e.g. --columns " +
                              role_names(roles) + ")");
    layout.n_fields = parts.size();
    layout.expected = columns;
    return layout;
}

// Layout from a header line: each role is the field carrying one of its names; other fields are ignored.
column_layout layout_from_header(std::span<const std::string_view> header, std::span<const column_role> roles,
                                 const std::string& file, std::int64_t line) {
    const std::string where = file + ":" + std::to_string(line) + ": ";
    column_layout layout;
    layout.field_of_role.assign(roles.size(), header.size());
    for (std::size_t f = 0; f < header.size(); ++f) {
        if (f > 0) layout.expected += ',';
        layout.expected += header[f];
        const auto r = role_of(header[f], roles);
        if (!r) {
            layout.ignored.emplace_back(header[f]);
            continue;
        }
        if (layout.field_of_role[*r] != header.size())
            throw input_error(where + "the header has two " + std::string(roles[*r].name) + " columns ('" +
                              std::string(header[layout.field_of_role[*r]]) + "' and '" + std::string(header[f]) +
                              "'); rename one, or choose with --columns");
        layout.field_of_role[*r] = f;
    }
    for (std::size_t r = 0; r < roles.size(); ++r)
        if (layout.field_of_role[r] == header.size())
            throw input_error(where + "the header has no " + std::string(roles[r].name) + " column (it has " +
                              layout.expected + "); name the columns " + role_names(roles) +
                              ", or give their order with --columns");
    layout.n_fields = header.size();
    layout.first_record_is_header = true;
    return layout;
}

} // namespace

std::span<const column_role> event_roles() { return event_role_list; }

bool first_column_is(const std::string& columns, std::span<const column_role> roles, std::string_view role) {
    if (columns.empty()) return false;
    const auto r = role_of(split_option(columns).front(), roles);
    return r && roles[*r].name == role;
}
std::span<const column_role> edge_roles() { return edge_role_list; }

std::string ignored_columns_note(const column_layout& layout, std::span<const column_role> roles, const std::string& file) {
    if (layout.ignored.empty()) return {};
    std::string names;
    for (const auto& n: layout.ignored) names += (names.empty() ? "'" : ", '") + n + "'";
    return file + ": ignored column" + (layout.ignored.size() == 1 ? " " : "s ") + names + " (mic reads " +
           role_names(roles) + ")";
}

header_mode parse_header_option(const std::string& value, const std::string& option_name) {
    if (value.empty() || value == "auto") return header_mode::automatic;
    if (value == "yes" || value == "true" || value == "1") return header_mode::yes;
    if (value == "no" || value == "false" || value == "0") return header_mode::no;
    throw input_error(option_name + " '" + value + "' is not auto, yes or no");
}

bool looks_like_header(std::span<const std::string_view> record, std::span<const column_role> roles) {
    return std::any_of(record.begin(), record.end(), [&](std::string_view f) { return role_of(f, roles).has_value(); });
}

column_layout decide_layout(std::span<const std::string_view> first_record, std::span<const column_role> roles,
                            header_mode mode, const std::string& columns, const std::string& file, std::int64_t line) {
    const bool header =
        mode == header_mode::yes || (mode == header_mode::automatic && looks_like_header(first_record, roles));
    if (columns.empty()) {
        if (header) return layout_from_header(first_record, roles, file, line);
        column_layout layout;
        for (std::size_t r = 0; r < roles.size(); ++r) layout.field_of_role.push_back(r);
        layout.n_fields = roles.size();
        layout.expected = role_names(roles);
        return layout;
    }
    column_layout layout = layout_from_option(columns, roles);
    layout.first_record_is_header = header;
    if (header && first_record.size() != layout.n_fields)
        throw input_error(file + ":" + std::to_string(line) + ": the header has " +
                          std::to_string(first_record.size()) + " fields but --columns '" + columns + "' names " +
                          std::to_string(layout.n_fields) + "; give one --columns entry per field (_ to skip one)");
    // A header that names the columns otherwise contradicts --columns: one of them is wrong.
    for (std::size_t r = 0; header && r < roles.size(); ++r) {
        const std::size_t f = layout.field_of_role[r];
        const auto named = role_of(first_record[f], roles);
        if (named && *named != r)
            throw input_error(file + ":" + std::to_string(line) + ": the header names field " + std::to_string(f + 1) + " '" +
                              std::string(first_record[f]) + "' but --columns '" + columns + "' takes it as the " +
                              std::string(roles[r].name) + "; drop --columns (the header gives the order) or fix it");
    }
    return layout;
}

std::string wrong_field_count(std::size_t found, const column_layout& layout, char delimiter) {
    const std::string used = delimiter == '\t' ? std::string("tab") : std::string(1, delimiter);
    return std::to_string(found) + " fields where " + std::to_string(layout.n_fields) + " were expected (" +
        layout.expected + "); check the delimiter ('" + used + "' was used) and the quoting";
}

} // namespace mic::io
