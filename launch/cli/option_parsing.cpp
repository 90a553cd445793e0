#include "launch/cli/option_parsing.hpp"

#include <cmath>

#include <algorithm>
#include <map>
#include <charconv>
#include <sstream>
#include <vector>

#include "engine/support/error.hpp"
#include "launch/cli/config_file.hpp"
#include "launch/cli/subcommand.hpp"

namespace mic::cli {
namespace {

po::options_description common_options(bool& help, parsed_command& result, std::string& config) {
    auto common = options_group("Common options");
    common.add_options()
        ("help,h", po::bool_switch(&help), "show this help and exit")
        ("config", po::value<std::string>(&config)->value_name("FILE"),
         "read options from an INI file (key = value; a [subcommand] section overrides keys outside sections); the command line wins")
        ("json", po::bool_switch(&result.json), "print one JSON object summarising the result on stdout (rank 0)")
        ("quiet", po::bool_switch(&result.quiet), "no progress or log lines on stderr (warnings and errors still)")
        ("progress", po::value(&result.progress_seconds)->default_value(result.progress_seconds)->value_name("S"),
         "a progress line (percent done, ETA) every S seconds of long work, rank 0 only (0: none)");
    return common;
}

bool is_switch(const po::options_description& all, const std::string& key) {
    const auto* option = all.find_nothrow(key, false);
    return option && option->semantic()->max_tokens() == 0;
}

bool truthy(const std::string& value, const std::string& where) {
    std::string v = value;
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
    if (v == "false" || v == "no" || v == "off" || v == "0") return false;
    throw input_error(where + ": '" + value + "' is not a switch value; write true or false");
}

// The config entries that apply to `name` as parsed options, each checked against the option table.
std::vector<po::option> config_options(const std::string& path, const std::string& name, const po::options_description& all) {
    std::vector<po::option> out;
    std::vector<config_section> sections;
    const auto entries = read_config_file(path, &sections);
    // Which entry set each option so far: a [name] entry overrides a shared one (the section is the
    // more specific); one key twice in one scope was refused by read_config_file.
    struct setter {
        std::size_t first = 0, count = 0;  // its tokens in `out`
        bool in_section = false;
    };
    std::map<std::string, setter> set_by;
    // A section for another subcommand is skipped; one that names none is a typo, not a choice.
    const auto& table = subcommands();
    for (const auto& section: sections) {
        if (section.name == name ||
            std::any_of(table.begin(), table.end(), [&](const subcommand& s) { return s.help.name == section.name; }))
            continue;
        std::string names;
        for (const auto& s: table) names += (names.empty() ? "" : ", ") + s.help.name;
        throw input_error(path + ":" + std::to_string(section.line) + ": section [" + section.name +
                          "] names no subcommand; name it after one of " + names);
    }
    for (const auto& entry: entries) {
        const std::string where = path + ":" + std::to_string(entry.line);
        if (!entry.section.empty() && entry.section != name) continue;
        if (entry.value.empty()) continue;  // `key =` or `key = # later`: sets nothing, the default or command line stands
        if (entry.key == "config" || entry.key == "help")
            throw input_error(where + ": '" + entry.key + "' cannot be set in a config file");
        if (!all.find_nothrow(entry.key, false)) {
            if (entry.section.empty()) {
                // A shared entry for other subcommands — if one of them has it; else a typo.
                const bool someones = std::any_of(table.begin(), table.end(), [&](const subcommand& s) {
                    if (!s.option_names) return false;
                    const auto names = s.option_names();
                    return std::find(names.begin(), names.end(), entry.key) != names.end();
                });
                if (someones) continue;
                throw input_error(where + ": no subcommand has an option '" + entry.key + "'; see `mic " + name +
                                  " --help` (and `mic --help` for the others)");
            }
            throw input_error(where + ": `mic " + name + "` has no option '" + entry.key + "'; see `mic " + name + " --help`");
        }
        std::vector<std::string> tokens;
        if (is_switch(all, entry.key)) {
            if (truthy(entry.value, where)) tokens = {"--" + entry.key};  // `false`: nothing, but it overrides
        } else {
            tokens = {"--" + entry.key + "=" + entry.value};
        }
        po::parsed_options parsed(&all);
        try {
            if (!tokens.empty()) parsed = po::command_line_parser(tokens).options(all).run();
            po::variables_map scratch;  // converts the value now, so a bad one is reported with its line
            po::store(parsed, scratch);
        } catch (const po::error& e) {
            throw input_error(where + ": " + e.what());
        }
        const std::string& option = entry.key;  // the exact long name (find_nothrow above: no abbreviations)
        const bool in_section = !entry.section.empty();
        if (const auto previous = set_by.find(option); previous != set_by.end()) {
            if (!in_section) continue;  // the section's entry, read earlier, stands
            for (std::size_t i = 0; i < previous->second.count; ++i) out[previous->second.first + i].string_key.clear();
        }
        set_by[option] = {out.size(), parsed.options.size(), in_section};
        out.insert(out.end(), parsed.options.begin(), parsed.options.end());
    }
    std::erase_if(out, [](const po::option& o) { return o.string_key.empty(); });  // overridden shared entries
    return out;
}

std::string help_text(const subcommand_help& help, const po::options_description& all) {
    std::ostringstream text;
    text << "Usage: mic " << help.name << " " << help.usage << "\n       mpirun -n N mic " << help.name << " ...\n\n"
         << help.summary << "\n\n";
    if (!help.description.empty()) text << help.description << "\n\n";
    text << all;
    if (!help.examples.empty()) text << "\nExamples:\n" << help.examples << "\n";
    return text.str();
}

} // namespace

std::vector<std::string> option_names(const po::options_description& options) {
    std::vector<std::string> names;
    for (const auto& option: options.options()) names.push_back(option->long_name());
    return names;
}

parsed_command parse_subcommand(const subcommand_help& help, const po::options_description& options,
                                const po::positional_options_description* positional,
                                std::span<const std::string> args) {
    parsed_command result;
    bool help_flag = false;
    std::string config;
    po::options_description all(100, 50);
    all.add(options).add(common_options(help_flag, result, config));

    // A help request wins over every other problem on the line.
    if (std::find_if(args.begin(), args.end(), [](const std::string& a) { return a == "--help" || a == "-h"; }) !=
        args.end()) {
        result.help_requested = true;
        result.help_text = help_text(help, all);
        return result;
    }

    po::variables_map vm;
    std::vector<po::option> given;
    try {
        po::command_line_parser parser(std::vector<std::string>(args.begin(), args.end()));
        parser.options(all);
        if (positional) parser.positional(*positional);
        auto cli = parser.run();
        po::store(cli, vm);
        given = cli.options;
        if (vm.count("config")) {
            po::parsed_options from_file(&all);
            try {
                from_file.options = config_options(vm["config"].as<std::string>(), help.name, all);
            } catch (const input_error& e) {
                throw usage_error(e.what());  // the config file is part of the command line: exit 2
            }
            po::store(from_file, vm);  // store() keeps values already set: the command line wins
            for (auto& option: from_file.options) {
                const bool on_command_line = std::any_of(given.begin(), given.end(),
                                                         [&](const po::option& o) { return o.string_key == option.string_key; });
                if (!on_command_line) given.push_back(option);
            }
        }
        po::notify(vm);
    } catch (const po::error& e) {
        throw usage_error(std::string(e.what()) + "; see `mic " + help.name + " --help`");
    }
    if (!(result.progress_seconds >= 0) || !std::isfinite(result.progress_seconds))
        throw usage_error("--progress must be a number of seconds >= 0 (0: no progress lines)");
    for (const auto& option: given) {
        std::string value;
        for (const auto& v: option.value) value += (value.empty() ? "" : " ") + v;
        result.settings[option.string_key] = option.value.empty() ? "true" : value;
    }
    return result;
}

po::options_description options_group(const std::string& caption) { return po::options_description(caption, 100, 50); }

po::typed_value<std::string>* path_value(std::filesystem::path& target) {
    return po::value<std::string>()->value_name("FILE")->notifier([&target](const std::string& s) { target = s; });
}

po::typed_value<double>* optional_value(std::optional<double>& target) {
    return po::value<double>()->notifier([&target](double v) { target = v; });
}

po::typed_value<std::string>* seed_value(std::uint64_t& target, const std::string& option) {
    return po::value<std::string>()->value_name("S")->notifier([&target, option](const std::string& text) {
        std::uint64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || error != std::errc() || end != text.data() + text.size())
            throw usage_error("--" + option + " '" + text + "': a seed is a whole number from 0 to 18446744073709551615");
        target = value;
    });
}

} // namespace mic::cli
