#pragma once
#include <cstdint>
#include <filesystem>

#include "launch/cli/option_parsing.hpp"

namespace mic {

// `mic info`: what a dataset file holds.
struct info_options {
    std::filesystem::path data;
    std::int32_t top = 10;  // how many of the most active users to list
};

cli::po::options_description describe_options(info_options& options);

} // namespace mic
