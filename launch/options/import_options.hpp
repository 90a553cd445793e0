#pragma once
#include "io/event_import.hpp"
#include "launch/cli/option_parsing.hpp"

namespace mic {

// `mic import` fills io::import_options (defined beside the importer, so the two cannot drift).
cli::po::options_description describe_options(io::import_options& options);

} // namespace mic
