#include "launch/cli/config_file.hpp"

#include <fstream>
#include <map>
#include <utility>

#include "engine/support/error.hpp"

namespace mic::cli {
namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

// Drops a comment: a whole line whose first non-blank character is '#' or ';', or a trailing `# …`
// or `; …` outside quotes, preceded by white space. A marker that begins a value is a comment too
// (`out = # later` sets nothing), unless it is the whole value — `delimiter = ;`, possibly followed by
// blanks and a comment — so a value may be, or contain, '#' and ';'.
std::string strip_comment(const std::string& s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos || s[first] == '#' || s[first] == ';') return {};
    const bool header = s[first] == '[';
    bool after_equals = false, value_started = false;
    char quote = 0;
    for (std::size_t i = first; i < s.size(); ++i) {
        const char ch = s[i];
        const bool blank = ch == ' ' || ch == '\t';
        if (quote) {
            if (ch == quote) quote = 0;
            continue;
        }
        const bool marker = ch == '#' || ch == ';';
        if (marker && value_started && (s[i - 1] == ' ' || s[i - 1] == '\t')) return s.substr(0, i);
        if (marker && after_equals && !value_started) {
            // The value's first character: the whole value only if nothing but blanks or a comment follows.
            const auto next = s.find_first_not_of(" \t", i + 1);
            if (next != std::string::npos && s[next] != '#' && s[next] != ';') return s.substr(0, i);
            return s.substr(0, i + 1);
        }
        if (ch == '"' || ch == '\'') quote = ch;
        if (header) {
            value_started = value_started || ch == ']';
        } else if (!after_equals) {
            after_equals = ch == '=';
        } else if (!blank) {
            value_started = true;
        }
    }
    return s;
}

std::string unquote(const std::string& s) {
    if (s.size() >= 2 && ((s.front() == '"' && s.back() == '"') || (s.front() == '\'' && s.back() == '\'')))
        return s.substr(1, s.size() - 2);
    return s;
}

} // namespace

std::vector<config_entry> read_config_file(const std::filesystem::path& path, std::vector<config_section>* sections) {
    std::ifstream in(path);
    if (!in) throw input_error(path.string() + ": cannot open the config file (check the path given to --config)");
    std::vector<config_entry> entries;
    std::string section, raw;
    std::map<std::pair<std::string, std::string>, int> first_line;  // (section, key) → its line
    for (int line = 1; std::getline(in, raw); ++line) {
        if (line == 1 && raw.starts_with("\xEF\xBB\xBF")) raw.erase(0, 3);  // a UTF-8 byte-order mark (Windows editors)
        const std::string text = trim(strip_comment(raw));
        if (text.empty()) continue;
        if (text.front() == '[') {
            if (text.back() != ']' || text.size() < 3)
                throw input_error(path.string() + ":" + std::to_string(line) + ": malformed section header '" + text +
                                  "'; write it as [subcommand]");
            section = trim(text.substr(1, text.size() - 2));
            if (sections) sections->push_back({section, line});
            continue;
        }
        const auto eq = text.find('=');
        if (eq == std::string::npos || trim(text.substr(0, eq)).empty())
            throw input_error(path.string() + ":" + std::to_string(line) + ": expected 'key = value', found '" + text + "'");
        std::string key = trim(text.substr(0, eq));
        while (!key.empty() && key.front() == '-') key.erase(key.begin());
        const std::string value = trim(text.substr(eq + 1));
        if (!value.empty() && (value.front() == '"' || value.front() == '\'') && (value.size() < 2 || value.back() != value.front()))
            throw input_error(path.string() + ":" + std::to_string(line) + ": the value of '" + key + "' opens a quote (" +
                              value.front() + ") that does not close at the end of the line; close it or drop it");
        // One key twice in one scope is an error whatever the subcommand run and whatever the values
        // (an empty one included): which of the two was meant cannot be told.
        if (const auto [at, fresh] = first_line.try_emplace({section, key}, line); !fresh)
            throw input_error(path.string() + ":" + std::to_string(line) + ": '" + key + "' is set again (first on line " +
                              std::to_string(at->second) + (section.empty() ? ", outside sections" : ", in [" + section + "]") +
                              "); keep one of the two");
        entries.push_back({section, key, unquote(value), line});
    }
    return entries;
}

} // namespace mic::cli
