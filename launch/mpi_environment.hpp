#pragma once
// MPI start-up and the MPI communicator. The implementation file is the only place in mic with raw
// MPI_ calls.
#include "engine/distributed/communicator.hpp"

namespace mic {

// RAII guard for MPI_Init_thread / MPI_Finalize.
//
// It does not finalise while an exception unwinds: MPI_Finalize waits for the other ranks, and a
// rank that failed alone would wait there for ranks that are still inside a collective — a hang.
// Instead main reports the error and calls `abort_all`, which ends every rank.
class mpi_guard {
public:
    mpi_guard(int& argc, char**& argv);
    ~mpi_guard();
    mpi_guard(const mpi_guard&) = delete;
    mpi_guard& operator=(const mpi_guard&) = delete;
};

// The communicator of all processes of this run (MPI_COMM_WORLD). Needs a live mpi_guard.
communicator make_world_communicator();

// Ends every rank of the run with `exit_code` (MPI_Abort): the way out when one rank fails where
// the others cannot learn of it.
[[noreturn]] void abort_all(int exit_code);

// The MPI library's version string, for `mic --version`.
std::string mpi_library_version();

} // namespace mic
