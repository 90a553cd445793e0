#include "launch/cli/interruption.hpp"

#include <csignal>

namespace mic::cli {
namespace {

volatile std::sig_atomic_t signal_received = 0;

extern "C" void remember_signal(int number) { signal_received = number; }

} // namespace

void install_interruption_handlers() {
    for (const int number : {SIGTERM, SIGINT, SIGUSR1}) std::signal(number, remember_signal);
}

bool signal_pending() { return signal_received != 0; }

bool interruption_requested(const communicator& comm) {
    return comm.max<std::int64_t>(signal_received != 0 ? 1 : 0) != 0;
}

} // namespace mic::cli
