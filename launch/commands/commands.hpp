#pragma once
// One function per subcommand, each defined in its own file of launch/commands/.
#include "launch/cli/subcommand.hpp"

namespace mic::cli {

subcommand import_command();
subcommand info_command();

} // namespace mic::cli
