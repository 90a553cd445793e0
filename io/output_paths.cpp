#include "io/output_paths.hpp"

#include <string>
#include <vector>

#include "engine/support/error.hpp"

namespace mic::io {
namespace {

// The path with links and dot segments resolved as far as it exists (its file need not exist).
std::filesystem::path resolved(const std::filesystem::path& p) {
    std::error_code ignored;
    const auto r = std::filesystem::weakly_canonical(std::filesystem::absolute(p), ignored);
    return r.empty() ? std::filesystem::absolute(p).lexically_normal() : r;
}

// Both exist and are one file (hard links too).
bool same_existing_file(const std::filesystem::path& a, const std::filesystem::path& b) {
    std::error_code error;
    return std::filesystem::equivalent(a, b, error) && !error;
}

} // namespace

void check_outputs_apart(std::initializer_list<named_path> outputs, std::initializer_list<named_path> inputs) {
    std::vector<named_path> seen;
    for (const auto& [name, path] : inputs)
        if (!path.empty()) seen.emplace_back(name, resolved(path));
    for (const auto& [name, path] : outputs) {
        if (path.empty()) continue;
        const auto r = resolved(path);
        for (const auto& [other, q] : seen)
            if (q == r || same_existing_file(q, r))
                throw input_error(std::string(name) + " " + path.string() + " is the same file as " + other +
                                  "; writing it would destroy that file; choose another name for " + name);
        seen.emplace_back(name, r);
    }
}

} // namespace mic::io
