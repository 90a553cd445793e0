#pragma once
// Numbers in the words mic prints (logs, summaries, error messages).
#include <cstdint>
#include <cstddef>
#include <string>
#include <string_view>

namespace mic {

// "1234567" → "1,234,567".
std::string with_thousands(std::int64_t n);

// Shortest text that reads back as `x` ("7.5", "1709208000").
std::string shortest(double x);

// Columns `text` takes on a terminal: UTF-8 code points, not bytes (continuation bytes take none).
std::size_t display_columns(std::string_view text);

// `text` followed by blanks up to `width` columns (as printf's %-Ns, but in columns, not bytes).
std::string padded(std::string text, std::size_t width);

// `text` cut to at most `width` columns (≥ 1), the last one "…" when it was cut; UTF-8 characters are
// never split.
std::string shortened(std::string text, std::size_t width);

} // namespace mic
