#pragma once
// Where a subcommand's words go: results on stdout, progress and warnings on stderr, and only from
// rank 0 (the other ranks stay quiet unless they fail).
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "engine/distributed/communicator.hpp"

namespace mic::cli {

class console {
public:
    console(const communicator& comm, std::string command);

    // "mic import: <message>" on stderr, rank 0 only.
    void log(const std::string& message) const;
    void warn(const std::string& message) const;
    // Result text on stdout, rank 0 only.
    void print(const std::string& text) const;
    // The single JSON object of --json on stdout, rank 0 only.
    void print_json(const nlohmann::json& summary) const;
    // Seconds since this console was made.
    double elapsed() const;

private:
    bool quiet_;
    std::string prefix_;
    std::chrono::steady_clock::time_point start_;
};

} // namespace mic::cli
