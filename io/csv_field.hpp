#pragma once
// One field of a CSV file we write (RFC 4180): a field with a comma, a quote or a line break is
// quoted, its quotes doubled; any other text is written as it is. Names from real logs ("Smith, J.",
// "#tag") go through here.
#include <string>

namespace mic::io {

inline std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c: text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

} // namespace mic::io
