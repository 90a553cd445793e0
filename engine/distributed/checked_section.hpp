#pragma once
// Making every rank agree on failure, without hangs.
//
// `run_checked(comm, work)` runs `work` on every rank, then meets the other ranks in one reduction.
// If any rank threw, the message of the lowest failing rank is broadcast and every rank throws the
// same `agreed_error` (with the exit code of that rank's input_error or agreed_error, else 3: an
// internal error), so main prints it once and all ranks exit with the same code.
//
// Why this cannot hang: `work` must not itself call collectives (a rank that throws half-way would
// leave the others waiting inside one). Each rank therefore reaches the same collectives here — the
// min-reduction and, only when someone failed (which all ranks then know), two broadcasts.
#include <functional>

#include "engine/distributed/communicator.hpp"

namespace mic {

void run_checked(const communicator& comm, const std::function<void()>& work);

// Like run_checked, but only `root` runs `work` (file writes, single-process tools); the other
// ranks wait and learn the outcome.
void run_checked_on_root(const communicator& comm, const std::function<void()>& work, int root = 0);

} // namespace mic
