#pragma once
#include <string>

namespace mic::cli {

// "0.1.0 (git 1a2b3c4)"
std::string version_string();
// `mic --version`: the version and the libraries mic was built with and runs on.
std::string version_report();

} // namespace mic::cli
