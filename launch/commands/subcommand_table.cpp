#include "launch/commands/commands.hpp"

namespace mic::cli {

const std::vector<subcommand>& subcommands() {
    static const std::vector<subcommand> table{import_command(), info_command(), generate_command(), generate_topics_command(), fit_command(), loglik_command(), evaluate_command(), cv_command(), simulate_command(), expect_command(), spread_command(), layout_command()};
    return table;
}

} // namespace mic::cli
