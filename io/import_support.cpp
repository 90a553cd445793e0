// Small helpers of `mic import`: progress lines.
#include <cstdio>

#include "io/import_detail.hpp"

namespace mic::io::detail {

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

} // namespace mic::io::detail
