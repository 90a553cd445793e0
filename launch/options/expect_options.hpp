#pragma once
// `mic expect`: closed-form expectations of a params file (Sec. 6).
#include <filesystem>
#include <vector>

#include "launch/cli/option_parsing.hpp"

namespace mic {

struct expect_options {
    std::filesystem::path params;
    std::vector<double> times;  // from --times a:b:step (or a single time)
};

cli::po::options_description describe_options(expect_options& options);

// "a:b:step" → a, a + step, …, up to b (inclusive, to 1e-9 relative); "t" → {t}. Throws usage_error.
std::vector<double> parse_time_grid(const std::string& text);

} // namespace mic
