#pragma once
// Parsing one subcommand's options: command line, then `--config FILE` (the command line wins),
// with --help, --config and --json common to every subcommand. Option values are bound directly to
// the fields of the subcommand's options struct (launch/options/), so each struct is filled in one
// place.
#include <boost/program_options.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "engine/support/error.hpp"

namespace mic::cli {

namespace po = boost::program_options;

// A malformed command line (unknown option, missing value…): exit code 2, as with most tools.
class usage_error: public input_error {
public:
    explicit usage_error(const std::string& message): input_error(message, 2) {}
};

struct subcommand_help {
    std::string name;         // "import"
    std::string usage;        // "--events F --out D.h5 [--edges F | --complete-graph] [options]"
    std::string summary;      // one line, for `mic --help`
    std::string description;  // paragraphs for `mic SUB --help`
    std::string examples;     // shell lines for `mic SUB --help`
};

struct parsed_command {
    bool help_requested = false;
    std::string help_text;                       // filled when help_requested
    bool json = false;                           // --json
    bool quiet = false;                          // --quiet
    double progress_seconds = 10;                // --progress S
    std::map<std::string, std::string> settings;  // option → effective value, for logs and provenance
};

// Parses `args` (the words after the subcommand name). `options` binds values to an options struct;
// `positional` may be null. Throws usage_error for command-line problems and input_error for
// problems in the config file (naming its line).
parsed_command parse_subcommand(const subcommand_help& help, const po::options_description& options,
                                const po::positional_options_description* positional,
                                std::span<const std::string> args);

// An options group laid out for a 100-column terminal (the help text of every subcommand uses it).
po::options_description options_group(const std::string& caption);

// The long names of the options in `options` (what a config file's keys are checked against).
std::vector<std::string> option_names(const po::options_description& options);

// A po value that stores a path (accepting spaces, unlike operator>> of std::filesystem::path).
po::typed_value<std::string>* path_value(std::filesystem::path& target);
// A po value for an optional number: the target is set only when the option is given.
po::typed_value<double>* optional_value(std::optional<double>& target);

// A po value for a count (users to list, replicas, events…): an integer of at least `least`;
// anything smaller, such as `--top -1`, is a usage error naming the option.
template <class T> po::typed_value<T>* count_value(T& target, const std::string& option, T least) {
    return po::value<T>(&target)->notifier([option, least](T value) {
        if (value < least)
            throw usage_error("--" + option + " " + std::to_string(value) + ": must be at least " + std::to_string(least));
    });
}
// A po value for a seed: an integer in [0, 2^64). A sign is refused (boost reads "-1" as 2^64 − 1).
po::typed_value<std::string>* seed_value(std::uint64_t& target, const std::string& option);

} // namespace mic::cli
