#pragma once
// One function per subcommand, each defined in its own file of launch/commands/.
#include "launch/cli/subcommand.hpp"

namespace mic::cli {

subcommand import_command();
subcommand info_command();
subcommand loglik_command();
subcommand evaluate_command();
subcommand cv_command();
subcommand fit_command();
subcommand generate_command();
subcommand generate_topics_command();
subcommand spread_command();
subcommand simulate_command();
subcommand expect_command();
subcommand layout_command();

} // namespace mic::cli
