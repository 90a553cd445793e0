#pragma once
// What every test binary shares: the communicator of the run (MPI_COMM_WORLD under mpiexec, a
// world of one rank otherwise) and a scratch directory that all ranks see.
#include <filesystem>
#include <string>

#include "engine/distributed/communicator.hpp"

namespace mic::testing {

const communicator& world();

// A fresh directory, the same path on every rank (collective: every rank must call it).
std::filesystem::path scratch_directory(const std::string& test_name);

} // namespace mic::testing
