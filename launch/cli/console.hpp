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

    // How chatty every console of this process is (--quiet, --progress S): set once after parsing.
    static void configure(bool quiet, double progress_seconds);

    // "mic import: <message>" on stderr, rank 0 only (not with --quiet).
    void log(const std::string& message) const;
    // "mic fit: user step 45.0 % (ETA 12 s)" at most every --progress seconds for the same `what`;
    // `fraction` in [0, 1]. The ETA extrapolates from when this run of `what` began: a new `what`, or
    // a fraction smaller than the last one (the next outer iteration's user step), starts a new run.
    void progress(const std::string& what, double fraction) const;
    void warn(const std::string& message) const;
    // Result text on stdout, rank 0 only.
    void print(const std::string& text) const;
    // The single JSON object of --json on stdout, rank 0 only.
    void print_json(const nlohmann::json& summary) const;
    // Seconds since this console was made.
    double elapsed() const;

private:
    struct progress_state {
        std::string what;
        std::chrono::steady_clock::time_point started, last;
        double fraction = 0;
    };
    bool quiet_;
    mutable progress_state progress_;
    std::string prefix_;
    std::chrono::steady_clock::time_point start_;
};

// The text of one progress line: "user step 45.0 % (ETA 12 s)", where the ETA extrapolates
// `seconds` spent on `fraction` of the work; no ETA at 0 or 1.
std::string progress_text(const std::string& what, double fraction, double seconds);

} // namespace mic::cli
