#pragma once
// Stopping a long run cleanly (SLURM's time limit, Ctrl-C, `scancel --signal`): SIGTERM, SIGINT and
// SIGUSR1 only set a flag; commands look at it at safe points (after a fit iteration and its
// checkpoint, between cross-validation points, between simulated replicas), every rank agreeing
// with one reduction, and then throw `interrupted` on every rank (or, inside a fit's user step,
// between two Newton iterations of any user, in a checked section that makes every rank agree): the stack unwinds, temporaries are
// removed, nothing half-written is renamed, and mic exits with interrupted_exit_code.
//
// Under mpirun, send the signal to mpirun: it forwards SIGUSR1 (and, when it shuts the job down,
// SIGTERM) to the ranks. The sbatch templates of launch/slurm/ turn SLURM's warning signal into
// SIGUSR1 for the ranks.
#include <string>

#include "engine/distributed/communicator.hpp"
#include "engine/support/error.hpp"

namespace mic::cli {

// 75 (EX_TEMPFAIL): "interrupted; rerun with --resume to continue" — what the SLURM templates requeue on.
inline constexpr int interrupted_exit_code = 75;

// An agreed stop: every rank throws it at the same point.
class interrupted: public agreed_error {
public:
    explicit interrupted(const std::string& message): agreed_error(message, interrupted_exit_code) {}
};

// Installs the handlers (main, once).
void install_interruption_handlers();

// Collective: whether any rank has received a signal (the same answer on every rank).
bool interruption_requested(const communicator& comm);

// Local, no collective: whether this rank has received a signal. For checks inside a checked
// section (run_checked), where a rank that throws is learnt of by all at the section's end.
bool signal_pending();

} // namespace mic::cli
