#pragma once
// Numbers in the words mic prints (logs, summaries, error messages).
#include <cstdint>
#include <string>

namespace mic {

// "1234567" → "1,234,567".
std::string with_thousands(std::int64_t n);

// Shortest text that reads back as `x` ("7.5", "1709208000").
std::string shortest(double x);

} // namespace mic
