#include "launch/commands/commands.hpp"

namespace mic::cli {

const std::vector<subcommand>& subcommands() {
    static const std::vector<subcommand> table{import_command(), info_command()};
    return table;
}

} // namespace mic::cli
