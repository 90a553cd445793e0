// The `mic` executable: start MPI, run the subcommand, turn errors into one line and an exit code.
#include <iostream>
#include <string>
#include <vector>

#include "engine/support/error.hpp"
#include "launch/cli/interruption.hpp"
#include "launch/cli/subcommand.hpp"
#include "launch/mpi_environment.hpp"

int main(int argc, char** argv) {
    mic::mpi_guard guard(argc, argv);
    mic::cli::install_interruption_handlers();
    const auto world = mic::make_world_communicator();
    const std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return mic::cli::run_mic(args, world);
    } catch (const mic::agreed_error& e) {
        // Every rank knows: print once, exit together, no abort needed.
        const bool interrupted = e.exit_code() == mic::cli::interrupted_exit_code;
        const bool internal = e.exit_code() == mic::internal_error_exit_code;
        if (world.is_root())
            std::cerr << "mic: " << (interrupted ? "interrupted: " : internal ? "internal error: " : "error: ") << e.what() << std::endl;
        return e.exit_code();
    } catch (const std::exception& e) {
        // This rank failed alone, maybe while others wait in a collective: report and end them all.
        const bool input = dynamic_cast<const mic::input_error*>(&e) != nullptr;
        const std::string where = world.size() > 1 ? " (rank " + std::to_string(world.rank()) + ")" : "";
        std::cerr << "mic: " << (input ? "error" : "internal error") << where << ": " << e.what() << std::endl;
        const int code = input ? dynamic_cast<const mic::input_error&>(e).exit_code() : mic::internal_error_exit_code;
        if (world.size() > 1) mic::abort_all(code);
        return code;
    }
}
