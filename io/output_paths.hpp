#pragma once
// Outputs never overwrite an input of the same run, nor each other (SPEC §4: "never an input
// overwritten"): paths are compared after resolving symbolic links and `..`, so `./d.h5`,
// `dir/../d.h5` and a link to d.h5 are all the same file.
#include <filesystem>
#include <initializer_list>
#include <utility>

namespace mic::io {

using named_path = std::pair<const char*, std::filesystem::path>;  // option name, path (empty: not given)

// Throws mic::input_error naming both options when an output is the same file as an input or as
// another output.
void check_outputs_apart(std::initializer_list<named_path> outputs, std::initializer_list<named_path> inputs);

} // namespace mic::io
