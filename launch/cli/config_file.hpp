#pragma once
// INI configuration files for `--config FILE`.
//
//     # comment            ; comment
//     data = run/data.h5   # keys are option names without the leading dashes
//     [fit]                # entries under [SUB] apply only to `mic SUB`; entries before any section
//     beta = 33.37         #   apply to every subcommand that has that option; a section's entry
//                          #   overrides one outside sections, a key twice in one scope is an error
//     force = true         # switches take true/false, yes/no, on/off, 1/0
#include <filesystem>
#include <string>
#include <vector>

namespace mic::cli {

struct config_entry {
    std::string section;  // "" before the first [section]
    std::string key;
    std::string value;
    int line = 0;
};

struct config_section {
    std::string name;
    int line = 0;  // of its [name] header
};

// Reads every entry; throws input_error "FILE:LINE: …" on lines that are neither comments,
// sections nor `key = value`, and on a key set twice in one scope (two [SUB] headers of one name
// are one scope). `sections` (optional) receives every [section] header, with or
// without entries under it.
std::vector<config_entry> read_config_file(const std::filesystem::path& path, std::vector<config_section>* sections = nullptr);

} // namespace mic::cli
