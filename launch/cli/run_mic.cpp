#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>

#include "engine/distributed/checked_section.hpp"
#include "engine/support/error.hpp"
#include "launch/cli/console.hpp"
#include "launch/cli/subcommand.hpp"
#include "launch/cli/version.hpp"

namespace mic::cli {
namespace {

std::string top_level_help() {
    std::ostringstream text;
    text << "mic " << version_string() << " — MPI-parallel inference for models of social-network activity\n\n"
         << "Usage: mic SUBCOMMAND [options]            (one process)\n"
         << "       mpirun -n N mic SUBCOMMAND [options] (N ranks; users are sharded across them)\n\n"
         << "Subcommands:\n";
    std::size_t width = 0;
    for (const auto& sub: subcommands()) width = std::max(width, sub.help.name.size());
    for (const auto& sub: subcommands()) {
        std::string name = "  " + sub.help.name;
        name.resize(width + 4, ' ');
        text << name << sub.help.summary << "\n";
    }
    text << "\nEvery subcommand takes --help (what it does, its options, examples), --config FILE (options\n"
            "from an INI file; the command line wins) and --json (one JSON summary object on stdout).\n\n"
            "Other options:\n  --help       this text\n  --version    version and the libraries mic was built with\n\n"
            "Start with: mic import --help     (your CSV event log → a dataset file)\n";
    return text.str();
}

} // namespace

int run_mic(std::span<const std::string> args, const communicator& comm) {
    console out(comm, "");
    if (args.empty()) {
        out.print(top_level_help());
        return 2;
    }
    const std::string& first = args.front();
    if (first == "--help" || first == "-h" || first == "help") {
        out.print(top_level_help());
        return 0;
    }
    if (first == "--version" || first == "-V") {
        out.print(version_report());
        return 0;
    }
    for (const auto& sub: subcommands()) {
        if (sub.help.name != first) continue;
        const bool help = std::find_if(args.begin() + 1, args.end(), [](const std::string& a) { return a == "--help" || a == "-h"; }) !=
                          args.end();
        const console run(comm, first);
        const int code = sub.run(args.subspan(1), comm);
        // The closing summary line of a run (stderr, rank 0, not with --quiet).
        char line[96];
        std::snprintf(line, sizeof line, "finished in %.2f s on %d rank%s", run.elapsed(), comm.size(), comm.size() == 1 ? "" : "s");
        if (code == 0 && !help) run.log(line);
        return code;
    }
    // Every rank sees the same words, so every rank throws this: it is already agreed.
    throw agreed_error("mic: unknown subcommand '" + first + "'; `mic --help` lists them", 2);
}

std::optional<parsed_command> parse_on_all_ranks(const subcommand_help& help, const po::options_description& options,
                                                 const po::positional_options_description* positional,
                                                 std::span<const std::string> args, const communicator& comm) {
    parsed_command parsed;
    // Every rank parses the same words (and reads the same config file); the checked section makes
    // sure that a rank which cannot read the config file does not leave the others behind.
    run_checked(comm, [&] { parsed = parse_subcommand(help, options, positional, args); });
    console::configure(parsed.quiet, parsed.progress_seconds);
    if (parsed.help_requested) {
        if (comm.is_root()) std::cout << parsed.help_text;
        return std::nullopt;
    }
    return parsed;
}

} // namespace mic::cli
