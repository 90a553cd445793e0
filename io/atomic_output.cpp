#include "io/atomic_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <system_error>

#include "engine/support/error.hpp"

namespace mic::io {
namespace {

std::string quoted(const std::filesystem::path& p) { return p.string(); }

// A name no other writer uses: ".<final name>.tmp-<random hex>" in the same directory, so that the
// final rename is atomic and a leftover (after a crash) is visibly a temporary.
std::filesystem::path candidate_name(const std::filesystem::path& directory, const std::filesystem::path& final_name) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    char suffix[17];
    std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(rng()));
    std::string name = ".";  // built by appending: `"." + string` trips a GCC 12 -Wrestrict false positive
    name.append(final_name.string()).append(".tmp-").append(suffix);
    return directory / name;
}

} // namespace

atomic_output::atomic_output(std::filesystem::path final_path, bool overwrite)
    : final_(std::move(final_path)), overwrite_(overwrite) {
    namespace fs = std::filesystem;
    if (final_.filename().empty())
        throw input_error(quoted(final_) + ": not a file name; give the output a file name, e.g. out.h5");
    std::error_code ec;
    const auto status = fs::status(final_, ec);
    if (fs::is_directory(status))
        throw input_error(quoted(final_) + " is a directory; give the output a file name inside it, e.g. " +
                          (final_ / "out.h5").string());
    if (fs::exists(status) && !overwrite_)
        throw input_error(quoted(final_) + " already exists; pass --force to overwrite it");

    const fs::path directory = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
    const auto dir_status = fs::status(directory, ec);
    if (!fs::exists(dir_status))
        throw input_error(quoted(final_) + ": directory " + quoted(directory) +
                          " does not exist; create it first or choose another output path");
    if (!fs::is_directory(dir_status))
        throw input_error(quoted(final_) + ": " + quoted(directory) + " is not a directory; choose another output path");

    // O_EXCL makes the name ours alone; mode 0666 lets the umask decide the final permissions, as
    // for any file the user creates (mkstemp would force 0600).
    for (int attempt = 0;; ++attempt) {
        fs::path candidate = candidate_name(directory, final_.filename());
        const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            ::close(fd);
            temp_ = std::move(candidate);
            return;
        }
        if (errno != EEXIST || attempt == 100)
            throw input_error(quoted(final_) + ": cannot create a file in " + quoted(directory) + " (" +
                              std::strerror(errno) + "); choose a directory you can write to");
    }
}

atomic_output::~atomic_output() {
    if (committed_ || temp_.empty()) return;
    std::error_code ignored;  // a destructor must not throw; a leftover temporary is harmless
    std::filesystem::remove(temp_, ignored);
}

void atomic_output::commit() {
    if (committed_) return;
    std::error_code ec;
    // The constructor checked this already; check again in case the file appeared meanwhile.
    if (!overwrite_ && std::filesystem::exists(final_, ec))
        throw input_error(quoted(final_) + " already exists; pass --force to overwrite it");
    std::filesystem::rename(temp_, final_, ec);
    if (ec)
        throw input_error(quoted(final_) + ": cannot move the finished output into place (" + ec.message() +
                          "); the output was not written");
    committed_ = true;
}

void atomic_output::retract() noexcept {
    if (!committed_) return;
    std::error_code ignored;  // noexcept: called while another error is on its way to the user
    std::filesystem::remove(final_, ignored);
    committed_ = false;
}

void commit_all(std::initializer_list<atomic_output*> outputs) {
    try {
        for (atomic_output* output: outputs) output->commit();
    } catch (...) {
        for (atomic_output* output: outputs) output->retract();
        throw;
    }
}

} // namespace mic::io
