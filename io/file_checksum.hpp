#pragma once
// A checksum of a file's bytes, for provenance: a params file records the checksum of the dataset
// it was fitted on, so that a later run can tell whether it has the same data.
//
// The algorithm is 64-bit FNV-1a (Fowler–Noll–Vo): h = 14695981039346656037; for every byte b,
// h = (h XOR b) · 1099511628211 mod 2^64. Not cryptographic — it detects changed files, not
// tampering — but simple enough to recompute anywhere (a five-line Python loop), and streamed, so
// any file size works in constant memory.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace mic::io {

inline constexpr std::uint64_t fnv1a_64_basis = 14695981039346656037ull;
inline constexpr std::uint64_t fnv1a_64_prime = 1099511628211ull;

// Continues the FNV-1a hash `state` over `bytes` (start from fnv1a_64_basis).
constexpr std::uint64_t fnv1a_64(std::span<const std::byte> bytes, std::uint64_t state = fnv1a_64_basis) {
    for (const std::byte b: bytes) state = (state ^ static_cast<std::uint64_t>(b)) * fnv1a_64_prime;
    return state;
}

// "fnv1a64:" followed by the 16 lower-case hex digits of the FNV-1a hash of the file's bytes (read
// in 1 MiB blocks). The prefix names the algorithm, so that a future change is visible in old files.
// Throws mic::input_error (one line naming the file) when the file cannot be read.
std::string file_checksum(const std::filesystem::path& path);

} // namespace mic::io
