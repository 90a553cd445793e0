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

} // namespace mic::cli
