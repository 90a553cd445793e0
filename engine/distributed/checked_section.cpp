#include "engine/distributed/checked_section.hpp"

#include <exception>
#include <string>

#include "engine/support/error.hpp"

namespace mic {

void run_checked(const communicator& comm, const std::function<void()>& work) {
    std::string message;
    bool failed = false;
    std::int64_t exit_code = 1;
    try {
        work();
    } catch (const agreed_error& e) {  // from a nested section, or agreed on a smaller group (a cv work group): keep its code
        failed = true;
        message = e.what();
        exit_code = e.exit_code();
    } catch (const input_error& e) {
        failed = true;
        message = e.what();
        exit_code = e.exit_code();
    } catch (const std::exception& e) {  // not the user's input: a bug or the environment (bad_alloc)
        failed = true;
        message = e.what();
        exit_code = internal_error_exit_code;
    } catch (...) {
        failed = true;
        message = "unknown error";
        exit_code = internal_error_exit_code;
    }
    // Collective 1 of 2: every rank reaches it, failed or not.
    const std::int64_t first_failed = comm.min<std::int64_t>(failed ? comm.rank() : comm.size());
    if (first_failed == comm.size()) return;
    // Collectives 2 and 3: every rank knows someone failed, so every rank takes part.
    const int root = static_cast<int>(first_failed);
    comm.broadcast(message, root);
    comm.broadcast(exit_code, root);
    throw agreed_error(message, static_cast<int>(exit_code));
}

void run_checked_on_root(const communicator& comm, const std::function<void()>& work, int root) {
    run_checked(comm, [&] {
        if (comm.rank() == root) work();
    });
}

} // namespace mic
