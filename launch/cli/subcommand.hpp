#pragma once
// The table of subcommands: each one has its help and a function that parses its words and runs it
// on every rank of `comm`, returning the exit code (the same on every rank).
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/distributed/communicator.hpp"
#include "launch/cli/option_parsing.hpp"

namespace mic::cli {

struct subcommand {
    subcommand_help help;
    std::function<int(std::span<const std::string> args, const communicator& comm)> run;
    // The long names of its options: a config file's shared (unsectioned) key must be one of some
    // subcommand's, or it is a typo.
    std::function<std::vector<std::string>()> option_names;
};

// In the order `mic --help` lists them.
const std::vector<subcommand>& subcommands();

// `mic ARGS…`: dispatches to a subcommand, or handles --help / --version. Collective.
int run_mic(std::span<const std::string> args, const communicator& comm);

} // namespace mic::cli

namespace mic::cli {

// Parses a subcommand's words on every rank (collective). Returns nothing when --help was asked
// for (the help has then been printed by rank 0). Throws agreed_error on bad options.
std::optional<parsed_command> parse_on_all_ranks(const subcommand_help& help, const po::options_description& options,
                                                 const po::positional_options_description* positional,
                                                 std::span<const std::string> args, const communicator& comm);

} // namespace mic::cli
