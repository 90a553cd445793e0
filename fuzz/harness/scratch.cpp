#include <unistd.h>

#include <fstream>

#include "fuzz/harness/harnesses.hpp"

namespace mic::fuzz {

namespace {

// The directory, removed again when the process ends normally.
struct scratch_directory {
    std::filesystem::path path;
    scratch_directory() {
        std::error_code ec;
        const bool shm = std::filesystem::is_directory("/dev/shm", ec);
        path = (shm ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path()) /
               ("mic-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
    }
    ~scratch_directory() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

} // namespace

std::filesystem::path scratch_file(const std::string& name) {
    static const scratch_directory directory;
    return directory.path / name;
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

} // namespace mic::fuzz
