#pragma once
// Error types shared by every layer.
//
// `input_error` is a problem with what the user gave us (a file, an option, a value): its message is
// one line that names the place and says how to fix it, and the program exits non-zero without a
// stack trace. Anything else escaping to main is a bug or an environment failure.
//
// `agreed_error` is an error every rank already knows about (see `run_checked` in
// engine/distributed/checked_section.hpp): main prints it once, on rank 0, and every rank exits with
// the same code without MPI_Abort.
//
// Exit codes: 1 bad input, 2 bad command line (cli::usage_error), 3 internal error (a bug or an
// environment failure: anything that is not an input_error).
#include <stdexcept>
#include <string>

namespace mic {

inline constexpr int internal_error_exit_code = 3;

class input_error: public std::runtime_error {
public:
    explicit input_error(const std::string& message, int exit_code = 1)
        : std::runtime_error(message), exit_code_(exit_code) {}
    int exit_code() const { return exit_code_; }

private:
    int exit_code_;
};

class agreed_error: public std::runtime_error {
public:
    explicit agreed_error(const std::string& message, int exit_code = 1)
        : std::runtime_error(message), exit_code_(exit_code) {}
    int exit_code() const { return exit_code_; }

private:
    int exit_code_;
};

} // namespace mic
