#include "io/file_checksum.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "engine/support/error.hpp"

namespace mic::io {

std::string file_checksum(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw input_error(path.string() + " is a directory; a checksum needs a file");
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file)
        throw input_error(path.string() + ": cannot read the file to checksum it (" + std::strerror(errno) +
                          "); check the path and permissions");
    std::vector<std::byte> block(std::size_t(1) << 20);
    std::uint64_t hash = fnv1a_64_basis;
    for (;;) {
        const std::size_t n = std::fread(block.data(), 1, block.size(), file.get());
        hash = fnv1a_64(std::span<const std::byte>(block.data(), n), hash);
        if (n < block.size()) break;
    }
    if (std::ferror(file.get()))
        throw input_error(path.string() + ": read error while computing its checksum; check the file system");
    char text[32];
    std::snprintf(text, sizeof text, "fnv1a64:%016llx", static_cast<unsigned long long>(hash));
    return text;
}

} // namespace mic::io
