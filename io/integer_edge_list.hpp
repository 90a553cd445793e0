#pragma once
// Edge lists of 0-based integer ids, as `mic generate --graph FILE` takes them: one edge
// `source,target` per line (source influences target), comma, tab or ';' separated (detected, as
// in `mic import`), '#' comment lines, an optional header line. For edge lists with names, use
// `mic import --edges`.
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace mic::io {

struct integer_edge_list {
    std::vector<std::pair<std::int32_t, std::int32_t>> edges;  // (source, target)
    std::int32_t largest_id = -1;
    std::string header;  // the first line when it was taken for a header (two fields, not both integers), as `a,b`
};

// Throws input_error "FILE:LINE: what; how to fix" for unreadable files, malformed lines and ids
// that are negative or do not fit an int32.
integer_edge_list read_integer_edge_list(const std::filesystem::path& path);

} // namespace mic::io
