// The provenance checksum: published FNV-1a test vectors, files larger than the read block, and
// one-line errors for files that cannot be read.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <string_view>
#include <vector>

#include "engine/support/error.hpp"
#include "io/file_checksum.hpp"
#include "tests/io/io_test_support.hpp"

namespace mic {
namespace {

std::uint64_t fnv(std::string_view text) { return io::fnv1a_64(std::as_bytes(std::span(text.data(), text.size()))); }

void write_file(const std::filesystem::path& path, std::span<const std::byte> bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

TEST(FileChecksum, MatchesThePublishedFnv1aTestVectors) {
    EXPECT_EQ(fnv(""), 0xcbf29ce484222325ull);
    EXPECT_EQ(fnv("a"), 0xaf63dc4c8601ec8cull);
    EXPECT_EQ(fnv("foobar"), 0x85944171f73967e8ull);
    // Hashing in pieces continues the same hash.
    EXPECT_EQ(io::fnv1a_64(std::as_bytes(std::span("bar", 3)), fnv("foo")), fnv("foobar"));
}

TEST(FileChecksum, NamesTheAlgorithmAndHashesEveryByteAcrossReadBlocks) {
    testing::rank_scratch dir;
    write_file(dir / "empty", {});
    EXPECT_EQ(io::file_checksum(dir / "empty"), "fnv1a64:cbf29ce484222325");
    const std::string foobar = "foobar";
    write_file(dir / "foobar", std::as_bytes(std::span(foobar)));
    EXPECT_EQ(io::file_checksum(dir / "foobar"), "fnv1a64:85944171f73967e8");

    // 2.5 MiB: two full 1 MiB blocks and a partial one.
    std::mt19937_64 rng(11);
    std::vector<std::byte> bytes((5u << 20) / 2);
    for (auto& b: bytes) b = static_cast<std::byte>(rng());
    write_file(dir / "big", bytes);
    char expected[32];
    std::snprintf(expected, sizeof expected, "fnv1a64:%016llx", static_cast<unsigned long long>(io::fnv1a_64(bytes)));
    const std::string sum = io::file_checksum(dir / "big");
    EXPECT_EQ(sum, expected);
    // One changed byte near the end changes it.
    bytes[bytes.size() - 3] ^= std::byte{1};
    write_file(dir / "big", bytes);
    EXPECT_NE(io::file_checksum(dir / "big"), sum);
}

TEST(FileChecksum, UnreadablePathsAreOneLineErrorsNamingThem) {
    testing::rank_scratch dir;
    try {
        io::file_checksum(dir / "missing.h5");
        ADD_FAILURE() << "no error";
    } catch (const input_error& e) {
        EXPECT_EQ(std::string(e.what()), (dir / "missing.h5").string() +
                                             ": cannot read the file to checksum it (No such file or directory); "
                                             "check the path and permissions");
    }
    EXPECT_THROW(io::file_checksum(dir.path()), input_error);
}

} // namespace
} // namespace mic
