#pragma once
#include <cstdint>
#include <filesystem>

#include "engine/layout/bilayer_layout.hpp"
#include "launch/cli/option_parsing.hpp"

namespace mic {

// `mic layout`: the bi-layer picture (the MIC paper's Fig. 8) of a params file, and of its dataset.
struct layout_options {
    std::filesystem::path params, data, out;
    bilayer_options layout;
    bool force = false;
};

cli::po::options_description describe_options(layout_options& options);

// Throws usage_error when a value is out of range.
void check(const layout_options& options);

} // namespace mic
