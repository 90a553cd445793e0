// Options of a subcommand: from the command line and from an INI file, the command line winning;
// clear errors naming the option or the config file line.
#include <gtest/gtest.h>

#include <fstream>

#include "launch/cli/config_file.hpp"
#include "launch/cli/option_parsing.hpp"

namespace mic::cli {
namespace {

struct toy_options {
    std::filesystem::path data;
    double beta = 1.0;
    int iterations = 10;
    bool force = false;
    std::optional<double> t_end;
};

po::options_description describe(toy_options& o) {
    po::options_description d("Options");
    d.add_options()("data", path_value(o.data)->required(), "data file")("beta", po::value(&o.beta), "beta")(
        "iterations", po::value(&o.iterations), "iterations")("force", po::bool_switch(&o.force), "force")(
        "t-end", optional_value(o.t_end), "end");
    return d;
}

const subcommand_help toy_help{"toy", "--data F", "A toy subcommand.", "Longer text.", "  mic toy --data x"};

std::filesystem::path write_file(const std::string& name, const std::string& text) {
    auto path = std::filesystem::temp_directory_path() / name;
    std::ofstream(path) << text;
    return path;
}

parsed_command parse(toy_options& o, std::vector<std::string> args) {
    return parse_subcommand(toy_help, describe(o), nullptr, args);
}

TEST(ParseSubcommand, FillsTheOptionsStructFromTheCommandLine) {
    toy_options o;
    auto parsed = parse(o, {"--data", "my file.h5", "--beta", "33.37", "--force", "--json"});
    EXPECT_EQ(o.data, "my file.h5");
    EXPECT_DOUBLE_EQ(o.beta, 33.37);
    EXPECT_TRUE(o.force);
    EXPECT_TRUE(parsed.json);
    EXPECT_FALSE(o.t_end.has_value());
    EXPECT_EQ(parsed.settings.at("beta"), "33.37");
}

TEST(ParseSubcommand, ConfigFileFillsWhatTheCommandLineLeavesAndTheCommandLineWins) {
    auto ini = write_file("mic-toy-config.ini",
                          "# shared entries apply to every subcommand that has the option\n"
                          "beta = 2.5\nreplicas = 1\n"  // replicas: an option of mic evaluate, not of toy
                          "[fit]\nwhatever = 3\n"
                          "[toy]\ndata = from_config.h5   # a comment\niterations = 7\nforce = yes\nt-end = 99\n");
    toy_options o;
    auto parsed = parse(o, {"--config", ini.string(), "--iterations", "3"});
    EXPECT_EQ(o.data, "from_config.h5");
    EXPECT_DOUBLE_EQ(o.beta, 2.5);
    EXPECT_EQ(o.iterations, 3);  // command line wins
    EXPECT_TRUE(o.force);
    ASSERT_TRUE(o.t_end.has_value());
    EXPECT_DOUBLE_EQ(*o.t_end, 99.0);
    EXPECT_EQ(parsed.settings.at("iterations"), "3");
    EXPECT_EQ(parsed.settings.at("data"), "from_config.h5");
}

TEST(ParseSubcommand, HelpWinsOverMissingRequiredOptionsAndTeaches) {
    toy_options o;
    auto parsed = parse(o, {"--beta", "oops", "--help"});
    EXPECT_TRUE(parsed.help_requested);
    EXPECT_NE(parsed.help_text.find("Usage: mic toy --data F"), std::string::npos);
    EXPECT_NE(parsed.help_text.find("--config"), std::string::npos);
    EXPECT_NE(parsed.help_text.find("Examples:"), std::string::npos);
}

TEST(ParseSubcommand, UnknownOrMalformedOptionsAreUsageErrorsWithExitCodeTwo) {
    toy_options o;
    try {
        parse(o, {"--data", "x", "--betta", "1"});
        FAIL();
    } catch (const usage_error& e) {
        EXPECT_EQ(e.exit_code(), 2);
        EXPECT_NE(std::string(e.what()).find("betta"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("mic toy --help"), std::string::npos);
    }
    EXPECT_THROW(parse(o, {"--data", "x", "--beta", "abc"}), usage_error);
    EXPECT_THROW(parse(o, {"--beta", "1"}), usage_error);  // --data is required
}

TEST(ParseSubcommand, BadConfigLinesNameTheFileAndLine) {
    toy_options o;
    auto unknown = write_file("mic-toy-unknown.ini", "[toy]\ndata = x\nbetta = 3\n");
    try {
        parse(o, {"--config", unknown.string()});
        FAIL();
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("mic-toy-unknown.ini:3"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("betta"), std::string::npos);
    }
    auto bad_value = write_file("mic-toy-value.ini", "data = x\nbeta = fast\n");
    try {
        parse(o, {"--config", bad_value.string()});
        FAIL();
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("mic-toy-value.ini:2"), std::string::npos) << e.what();
    }
    auto bad_switch = write_file("mic-toy-switch.ini", "data = x\nforce = maybe\n");
    EXPECT_THROW(parse(o, {"--config", bad_switch.string()}), usage_error);
    EXPECT_THROW(parse(o, {"--config", "/nonexistent/mic.ini"}), usage_error);
}

TEST(ParseSubcommand, ASharedConfigKeyThatNoSubcommandHasIsAnErrorNamingTheLine) {
    toy_options o;
    auto typo = write_file("mic-toy-shared.ini", "data = x\nfeature-memroy = 64\n");
    try {
        parse(o, {"--config", typo.string()});
        FAIL();
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("mic-toy-shared.ini:2: no subcommand has an option 'feature-memroy'"),
                  std::string::npos)
            << e.what();
    }
}

TEST(ParseSubcommand, AConfigSectionThatNamesNoSubcommandIsAnErrorNamingTheLine) {
    toy_options o;
    auto typo = write_file("mic-toy-section.ini", "data = x\n[fitt]\n# nothing under it yet\n");
    try {
        parse(o, {"--config", typo.string()});
        FAIL();
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("mic-toy-section.ini:2"), std::string::npos) << e.what();  // the header's line
        EXPECT_NE(std::string(e.what()).find("[fitt]"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("fit, "), std::string::npos) << e.what();
    }
}

TEST(ReadConfigFile, AValueThatIsACommentCharacterStaysAValue) {
    auto path = write_file("mic-toy-delimiter.ini",
                           "; a comment\n  # another\n[toy] ; header comment\ndelimiter = ;\nmark = #  # trailing\nx = a;b # c\n"
                           "out = # not decided yet\ny=#\n");
    const auto entries = read_config_file(path);
    ASSERT_EQ(entries.size(), 5u);
    EXPECT_EQ(entries[0].section, "toy");
    EXPECT_EQ(entries[0].value, ";");
    EXPECT_EQ(entries[1].value, "#");
    EXPECT_EQ(entries[2].value, "a;b");
    EXPECT_EQ(entries[3].key, "out");
    EXPECT_EQ(entries[3].value, "");  // a commented-out value sets nothing, not a file named "# not decided yet"
    EXPECT_EQ(entries[4].value, "#");
}

TEST(ParseSubcommand, ACommentedOutConfigValueSetsNothing) {
    toy_options o;
    auto ini = write_file("mic-toy-later.ini", "[toy]\ndata = # later\niterations = # later\n");
    parse(o, {"--config", ini.string(), "--data", "given.h5"});
    EXPECT_EQ(o.data, "given.h5");
    EXPECT_EQ(o.iterations, 10);  // the default
}

TEST(ParseSubcommand, ASubcommandsSectionOverridesASharedConfigEntry) {
    toy_options o;
    auto ini = write_file("mic-toy-override.ini", "beta = 2.5\nforce = true\niterations = 5\n[toy]\ndata = x\nbeta = 4\nforce = false\n");
    const auto parsed = parse(o, {"--config", ini.string()});
    EXPECT_DOUBLE_EQ(o.beta, 4.0);
    EXPECT_FALSE(o.force);  // `false` in the section overrides the shared `true`
    EXPECT_EQ(o.iterations, 5);
    EXPECT_EQ(parsed.settings.at("beta"), "4");
    EXPECT_EQ(parsed.settings.count("force"), 0u);
    toy_options again;
    parse(again, {"--config", ini.string(), "--beta", "7"});
    EXPECT_DOUBLE_EQ(again.beta, 7.0);  // the command line still wins
}

TEST(ParseSubcommand, AKeySetTwiceInOneScopeOfAConfigFileIsAnErrorNamingBothLines) {
    // Also when one of the two is empty, when the section is another subcommand's and when the shared
    // key is not this subcommand's option (a file shared by jobs fails the same way for every job).
    for (const std::string text : {"data = x\nbeta = 1\nbeta = 2\n", "[toy]\ndata = x\nbeta = 1\n[fit]\n[toy]\nbeta = 2\n",
                                   "[toy]\ndata = x\nbeta = 1\nbeta =\n", "[toy]\ndata = x\n[fit]\nbeta = 1\nbeta = 2\n",
                                   "beta = 1\ntau = 1\ntau = 2\n[toy]\ndata = x\n"}) {
        toy_options o;
        auto ini = write_file("mic-toy-twice.ini", text);
        try {
            parse(o, {"--config", ini.string()});
            FAIL() << text;
        } catch (const usage_error& e) {  // exit code 2: the config file is part of the command line
            const std::string what = e.what();
            EXPECT_NE(what.find("mic-toy-twice.ini:"), std::string::npos) << what;
            EXPECT_TRUE(what.find("'beta' is set again (first on line ") != std::string::npos ||
                        what.find("'tau' is set again (first on line 2, outside sections)") != std::string::npos)
                << what;
        }
    }
}

TEST(ReadConfigFile, SkipsAUtf8ByteOrderMark) {
    const auto entries = read_config_file(write_file("mic-toy-bom.ini", "\xEF\xBB\xBF# saved by an editor that marks UTF-8\n[toy]\nbeta = 3\n"));
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].key, "beta");
    EXPECT_EQ(entries[0].value, "3");
}

TEST(ReadConfigFile, AQuoteThatDoesNotCloseIsAnErrorNamingTheLine) {
    auto path = write_file("mic-toy-quote.ini", "[toy]\ndata = \"my file.h5\nbeta = 3\n");
    try {
        read_config_file(path);
        FAIL();
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("mic-toy-quote.ini:2: the value of 'data' opens a quote"), std::string::npos) << e.what();
    }
}

TEST(ReadConfigFile, RejectsLinesThatAreNotKeyValuePairs) {
    auto path = write_file("mic-toy-syntax.ini", "[toy]\n\n; fine\njust words\n");
    try {
        read_config_file(path);
        FAIL();
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("mic-toy-syntax.ini:4"), std::string::npos) << e.what();
    }
    auto quoted = write_file("mic-toy-quoted.ini", "path = \"a b # not a comment\"\n--beta=3\n");
    auto entries = read_config_file(quoted);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].value, "a b # not a comment");
    EXPECT_EQ(entries[1].key, "beta");
}

} // namespace
} // namespace mic::cli

namespace mic::cli {
namespace {

struct counted_options {
    std::int32_t top = 10;
    std::uint64_t seed = 0;
};

parsed_command parse_counted(counted_options& o, std::vector<std::string> args) {
    po::options_description d("Options");
    d.add_options()("top", count_value(o.top, "top", 0)->default_value(o.top), "K")("seed", seed_value(o.seed, "seed"), "S");
    return parse_subcommand(toy_help, d, nullptr, args);
}

// The usage error (exit code 2) of parsing `args`, or "" when they parse.
std::string usage_problem(std::vector<std::string> args) {
    counted_options o;
    try {
        parse_counted(o, std::move(args));
    } catch (const usage_error& e) {
        EXPECT_EQ(e.exit_code(), 2);
        return e.what();
    }
    return "";
}

TEST(CountValue, AcceptsCountsFromTheLeastUpAndNamesTheOptionBelowIt) {
    counted_options o;
    parse_counted(o, {"--top", "0"});
    EXPECT_EQ(o.top, 0);
    EXPECT_EQ(usage_problem({"--top", "-1"}), "--top -1: must be at least 0");
}

TEST(SeedValue, TakesAnyUnsignedSixtyFourBitNumberButNoSign) {
    counted_options o;
    parse_counted(o, {"--seed", "18446744073709551615"});
    EXPECT_EQ(o.seed, 18446744073709551615u);
    // boost would read "-1" as 2^64 − 1: a negative seed is refused instead.
    EXPECT_NE(usage_problem({"--seed", "-1"}).find("--seed '-1': a seed is a whole number"), std::string::npos);
    EXPECT_NE(usage_problem({"--seed", "1.5"}), "");
    EXPECT_NE(usage_problem({"--seed", "18446744073709551616"}), "");
}

} // namespace
} // namespace mic::cli
