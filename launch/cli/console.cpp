#include "launch/cli/console.hpp"

#include <cstdio>
#include <iostream>

namespace mic::cli {
namespace {

bool quiet_logs = false;
double progress_interval = 10;  // seconds; 0: none

} // namespace

void console::configure(bool quiet, double progress_seconds) {
    quiet_logs = quiet;
    progress_interval = progress_seconds;
}

void console::progress(const std::string& what, double fraction) const {
    if (quiet_ || quiet_logs || !(progress_interval > 0)) return;
    const auto now = std::chrono::steady_clock::now();
    // A new run of the work: extrapolating from the previous run's start would give an ETA of
    // (time since then) / (tiny fraction).
    if (progress_.what != what || fraction < progress_.fraction) progress_ = {what, now, now, fraction};
    progress_.fraction = fraction;
    if (std::chrono::duration<double>(now - progress_.last).count() < progress_interval) return;
    progress_.last = now;
    std::cerr << prefix_ << progress_text(what, fraction, std::chrono::duration<double>(now - progress_.started).count())
              << std::endl;
}

std::string progress_text(const std::string& what, double fraction, double seconds) {
    char line[64];
    if (fraction > 0 && fraction < 1)
        std::snprintf(line, sizeof line, " %.1f %% (ETA %.0f s)", 100 * fraction, seconds * (1 - fraction) / fraction);
    else
        std::snprintf(line, sizeof line, " %.1f %%", 100 * fraction);
    return what + line;
}

console::console(const communicator& comm, std::string command)
    : quiet_(!comm.is_root()), prefix_("mic " + std::move(command) + ": "), start_(std::chrono::steady_clock::now()) {}

void console::log(const std::string& message) const {
    if (!quiet_ && !quiet_logs) std::cerr << prefix_ << message << std::endl;
}

void console::warn(const std::string& message) const {
    if (!quiet_) std::cerr << prefix_ << "warning: " << message << std::endl;
}

void console::print(const std::string& text) const {
    if (!quiet_) std::cout << text << std::flush;
}

void console::print_json(const nlohmann::json& summary) const {
    if (!quiet_) std::cout << summary.dump(2) << std::endl;
}

double console::elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

} // namespace mic::cli
