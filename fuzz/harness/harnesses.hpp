#pragma once
// The three fuzz harnesses: each takes one input, builds the files it describes and runs the
// corresponding readers of mic on them. They are the bodies of the libFuzzer targets
// (fuzz/target.cpp) and of the regression suite over saved inputs (tests/fuzz).
//
// Outcomes: return normally when mic handled the input (read it, or refused it with its one-line
// input_error); throw harness_failure when an oracle finds mic wrong (a file read differently by
// two readers, an importer output that breaks the file rules); any other exception escaping is
// itself a finding (bad_alloc, length_error, an internal error agreed by run_checked).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "engine/support/error.hpp"

namespace mic::fuzz {

class harness_failure: public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// Runs `read`; an input_error (or an agreed one with an input's exit code) is mic refusing the
// file, which is fine. An agreed internal error means some rank hit a bug.
template <class F> bool refused(F&& read) {
    try {
        read();
        return false;
    } catch (const agreed_error& e) {
        if (e.exit_code() == internal_error_exit_code) throw harness_failure(std::string("internal error: ") + e.what());
        return true;
    } catch (const input_error&) {
        return true;
    }
}

// The CSV importer (io::read_event_log): 2 option bytes, then the event log; an edge list follows
// a line "--" when there is one.
void csv_import(const std::uint8_t* data, std::size_t size);
// The dataset readers (read_dataset, read_dataset_header, read_dataset_index, read_dataset_names,
// read_shard). The input is a recipe: a small valid dataset (tests/support's generator, written
// through io/hdf5_file) and the damage done to it (hdf5_fields.hpp). Not raw HDF5 bytes: mutating
// those exercises libhdf5's own parser, which hangs on some corrupt heaps — outside mic's reach.
void dataset_reader(const std::uint8_t* data, std::size_t size);
// The params readers (read_params, read_params_provenance, and the collective read), then what a
// valid params file is used for (simulation, spectral radius, expected events); a recipe as above.
void params_reader(const std::uint8_t* data, std::size_t size);

// A file of this process's scratch directory (in /dev/shm when there is one), created on first use.
std::filesystem::path scratch_file(const std::string& name);
// Writes `bytes` to `path` (truncating).
void write_bytes(const std::filesystem::path& path, const std::string& bytes);

} // namespace mic::fuzz
