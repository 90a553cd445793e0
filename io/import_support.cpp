// Small helpers of `mic import`: number formatting and progress lines.
#include <charconv>
#include <cstdio>

#include "io/import_detail.hpp"

namespace mic::io::detail {

std::string with_thousands(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return n < 0 ? "-" + out : out;
}

progress_meter::progress_meter(const log_function& log, std::string name)
    : log_(log), name_(std::move(name)), start_(std::chrono::steady_clock::now()), last_(start_) {}

void progress_meter::check(std::int64_t line_number) {
    const auto now = std::chrono::steady_clock::now();
    if (!log_ || now - last_ < std::chrono::seconds(5)) return;
    last_ = now;
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.0f s", std::chrono::duration<double>(now - start_).count());
    log_(name_ + ": " + with_thousands(line_number) + " lines read (" + elapsed + ")");
}

// Shortest text that reads back as `x`.
std::string shortest(double x) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, x);
    return std::string(text, result.ptr);
}

} // namespace mic::io::detail
