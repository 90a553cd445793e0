#pragma once
// "No partial output" (SPEC §4): an output file is written under a temporary name in the same
// directory as its final path and renamed onto the final path only when it is complete. A run
// that fails half-way leaves nothing behind — neither a truncated final file nor the temporary.
//
//   io::atomic_output out(path, options.force);
//   write_everything(out.temp_path());
//   out.commit();
//
// The rename is atomic on POSIX file systems because the temporary lives in the same directory.
#include <filesystem>
#include <initializer_list>

namespace mic::io {

class atomic_output {
public:
    // Reserves a fresh temporary file next to `final_path` (created empty, so writers open it with
    // truncation). Throws mic::input_error when `final_path` exists and !overwrite, when it is a
    // directory, when its directory does not exist or is not writable.
    atomic_output(std::filesystem::path final_path, bool overwrite);
    ~atomic_output();  // removes the temporary file unless committed
    atomic_output(const atomic_output&) = delete;
    atomic_output& operator=(const atomic_output&) = delete;

    const std::filesystem::path& final_path() const { return final_; }
    const std::filesystem::path& temp_path() const { return temp_; }  // write here

    // Renames the temporary onto the final path (replacing it when overwriting was allowed).
    // Throws mic::input_error when the rename fails; the temporary is then removed.
    void commit();
    bool committed() const { return committed_; }
    // Removes the final file again after a commit (a later output of the same run failed).
    void retract() noexcept;

private:
    std::filesystem::path final_;
    std::filesystem::path temp_;
    bool overwrite_;
    bool committed_ = false;
};

// Commits every output in order; when one fails, those already committed are retracted, so that a
// run's files appear together or not at all (with --force, a file they replaced is gone either way).
void commit_all(std::initializer_list<atomic_output*> outputs);

} // namespace mic::io
