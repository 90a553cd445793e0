#include "launch/cli/console.hpp"

#include <cstdio>
#include <iostream>

namespace mic::cli {

console::console(const communicator& comm, std::string command)
    : quiet_(!comm.is_root()), prefix_("mic " + std::move(command) + ": "), start_(std::chrono::steady_clock::now()) {}

void console::log(const std::string& message) const {
    if (!quiet_) std::cerr << prefix_ << message << std::endl;
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

std::string with_commas(long long value) {
    std::string digits = std::to_string(value < 0 ? -value : value), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return value < 0 ? "-" + out : out;
}

} // namespace mic::cli
