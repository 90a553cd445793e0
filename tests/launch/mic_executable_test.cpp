// The `mic` executable as a user runs it: exit codes, one-line errors printed once, JSON on stdout,
// files that h5dump and h5py read, and the same behaviour under `mpiexec -n 2`.
#include <gtest/gtest.h>

#include <regex>
#include <nlohmann/json.hpp>

#include "tests/launch/mic_run_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using mic::testing::count;
using mic::testing::slurp;

class MicExecutable: public mic::testing::mic_run_fixture {
protected:
    std::string small_events() const {
        return file("events.csv", "user,cascade,time\nalice,#a,1.5\nbob,#b,2\nalice,#b,3\ncarol,#a,4.25\n").string();
    }
    std::string small_edges() const { return file("edges.csv", "source,target\nalice,bob\nbob,carol\n").string(); }
};

TEST_F(MicExecutable, VersionNamesTheLibrariesItWasBuiltWith) {
    auto r = mic("--version");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("mic 0."), std::string::npos);
    EXPECT_NE(r.out.find("HDF5 1."), std::string::npos);
    EXPECT_NE(r.out.find("Open MPI"), std::string::npos);
}

TEST_F(MicExecutable, HelpListsSubcommandsAndEachSubcommandTeachesItsOptions) {
    auto top = mic("--help");
    EXPECT_EQ(top.exit_code, 0);
    EXPECT_NE(top.out.find("import"), std::string::npos);
    EXPECT_NE(top.out.find("info"), std::string::npos);
    auto sub = mic("import --help");
    EXPECT_EQ(sub.exit_code, 0);
    EXPECT_NE(sub.out.find("Usage: mic import"), std::string::npos);
    EXPECT_NE(sub.out.find("--complete-graph"), std::string::npos);
    EXPECT_NE(sub.out.find("Examples:"), std::string::npos);
}

TEST_F(MicExecutable, HelpShowsDefaultsAsTheyAreTypedNotTheirBinaryExpansions) {
    // Boost prints a double default with 17 digits (0.80000000000000004) unless given its text.
    const std::regex long_default(R"(\(=[0-9.eE+-]{12,}\))");
    for (const char* command : {"import", "info", "generate", "generate-topics", "fit", "loglik", "evaluate", "cv", "simulate",
                                "expect", "spread", "layout"}) {
        const auto help = mic(std::string(command) + " --help");
        EXPECT_EQ(help.exit_code, 0) << command;
        std::smatch m;
        EXPECT_FALSE(std::regex_search(help.out, m, long_default)) << command << ": " << m.str();
    }
    EXPECT_NE(mic("fit --help").out.find("--train-fraction F (=0.8)"), std::string::npos);
}

// A value no run could use is a bad command line (exit 2), like an unknown option; 1 is for bad input files.
TEST_F(MicExecutable, AnOptionValueOutOfItsRangeExitsTwoWithOneLine) {
    const std::string out = " --out " + (dir_ / "never.h5").string();
    for (const std::string& args : {"generate-topics --users 0 --topics 5 --days 3 --seed 1" + out,
                                   "generate --graph er:10:0.2 --horizon -5 --seed 1 --truth " + (dir_ / "t.h5").string() + out,
                                   "generate --graph er:10:0.2 --cascades 0 --horizon 5 --seed 1 --truth " +
                                       (dir_ / "t.h5").string() + out}) {
        const auto r = mic(args);
        EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
        EXPECT_EQ(count(r.err, "\n"), 1) << r.err;
    }
    EXPECT_FALSE(fs::exists(dir_ / "never.h5"));
}

TEST_F(MicExecutable, UnknownSubcommandOrOptionExitsTwoWithOneLine) {
    auto r = mic("fitt");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(count(r.err, "\n"), 1) << r.err;
    EXPECT_NE(r.err.find("unknown subcommand 'fitt'"), std::string::npos);
    auto o = mic("info --dta x.h5");
    EXPECT_EQ(o.exit_code, 2);
    EXPECT_EQ(count(o.err, "\n"), 1) << o.err;
}

TEST_F(MicExecutable, ImportThenInfoReportTheDatasetAsJson) {
    const auto out = (dir_ / "d.h5").string();
    auto imp = mic("import --events " + small_events() + " --edges " + small_edges() + " --out " + out + " --json");
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    auto j = nlohmann::json::parse(imp.out);
    EXPECT_EQ(j["n_users"], 3);
    EXPECT_EQ(j["n_events"], 4);
    EXPECT_EQ(j["n_edges"], 2);

    auto info = mic("info --data " + out + " --json");
    ASSERT_EQ(info.exit_code, 0) << info.err;
    auto s = nlohmann::json::parse(info.out);
    EXPECT_EQ(s["n_events"], 4);
    EXPECT_EQ(s["n_cascades"], 2);
    EXPECT_EQ(s["most_active_users"][0]["name"], "alice");
    EXPECT_EQ(s["most_active_users"][0]["n_events"], 2);
    EXPECT_DOUBLE_EQ(s["t_end"].get<double>(), 4.25);
}

// ISO timestamps counted in hours: info shows the same calendar window as when they are in seconds.
TEST_F(MicExecutable, InfoShowsTheCalendarWindowOfIsoTimesCountedInAnyUnit) {
    const auto events = file("iso.csv", "user,cascade,time\na,x,2024-03-01T00:00:30Z\nb,x,2024-03-14T23:58:44Z\n");
    for (const std::string unit : {"s", "h"}) {
        const auto out = (dir_ / ("iso-" + unit + ".h5")).string();
        ASSERT_EQ(mic("import --events " + events.string() + " --time-unit " + unit + " --out " + out).exit_code, 0);
        const auto info = mic("info --data " + out);
        ASSERT_EQ(info.exit_code, 0) << info.err;
        EXPECT_NE(info.out.find("window             2024-03-01T00:00:30Z to 2024-03-14T23:58:44Z"), std::string::npos)
            << unit << "\n" << info.out;
    }
}

TEST_F(MicExecutable, ConfigFileSuppliesOptionsAndTheCommandLineWins) {
    const auto out = (dir_ / "c.h5").string();
    auto ini = file("run.ini", "[import]\nevents = " + small_events() + "\nout = " + (dir_ / "ignored.h5").string() +
                                   "\nself-loops = true\n");
    auto r = mic("import --config " + ini.string() + " --out " + out + " --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(out));
    EXPECT_FALSE(fs::exists(dir_ / "ignored.h5"));
    EXPECT_EQ(nlohmann::json::parse(r.out)["n_edges"], 3);  // the self-loops from the config file
}

TEST_F(MicExecutable, BadInputGivesOneLineNonZeroExitAndNoOutput) {
    const auto out = dir_ / "bad.h5";
    auto events = file("bad.csv", "user,cascade,time\nalice,#a,1\nbob,#a,yesterday\n");
    auto r = mic("import --events " + events.string() + " --out " + out.string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(count(r.err, "\n"), 1) << r.err;
    EXPECT_NE(r.err.find("bad.csv:3"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
    auto missing = mic("info --data " + (dir_ / "missing.h5").string());
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("missing.h5"), std::string::npos) << missing.err;
}

TEST_F(MicExecutable, UnderTwoRanksErrorsArePrintedOnceAndAllRanksExitTogether) {
    const auto out = dir_ / "bad2.h5";
    auto events = file("nan.csv", "alice,#a,1\nbob,#a,nan\n");
    auto r = mic("import --events " + events.string() + " --out " + out.string(), 2);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(count(r.err, "nan.csv:2"), 1) << r.err;
    EXPECT_EQ(r.err.find("MPI_ABORT"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
    // (mpiexec adds its own banner about the non-zero exit; mic's line must appear once.)
    auto usage = mic("info --data", 2);
    EXPECT_EQ(usage.exit_code, 2);
    EXPECT_EQ(count(usage.err, "mic: error:"), 1) << usage.err;
    EXPECT_NE(usage.err.find("'--data'"), std::string::npos) << usage.err;
}

TEST_F(MicExecutable, UnderTwoRanksTheJsonSummaryIsPrintedOnce) {
    const auto out = (dir_ / "two.h5").string();
    auto imp = mic("import --events " + small_events() + " --complete-graph --out " + out + " --json", 2);
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    EXPECT_EQ(nlohmann::json::parse(imp.out)["n_edges"], 6);
    auto info = mic("info --data " + out + " --json", 2);
    ASSERT_EQ(info.exit_code, 0) << info.err;
    EXPECT_EQ(nlohmann::json::parse(info.out)["n_users"], 3);
}

TEST_F(MicExecutable, DatasetFilesAreReadableByH5dumpAndH5py) {
    const auto out = (dir_ / "h.h5").string();
    ASSERT_EQ(mic("import --events " + small_events() + " --edges " + small_edges() + " --out " + out).exit_code, 0);
    if (std::system("command -v h5dump >/dev/null 2>&1") != 0) GTEST_SKIP() << "h5dump not installed";
    const auto dump = dir_ / "dump.txt";
    ASSERT_EQ(std::system(("h5dump -d /events/time " + out + " > " + dump.string()).c_str()), 0);
    EXPECT_NE(slurp(dump).find("4.25"), std::string::npos);
    if (std::system("/usr/bin/python3 -c 'import h5py' >/dev/null 2>&1") != 0) GTEST_SKIP() << "python3-h5py not installed";
    const auto py = dir_ / "py.txt";
    const std::string script = "import h5py; f = h5py.File('" + out + "', 'r'); "
                               "print(int(f.attrs['mic_format']), f['events/user_offsets'][:].tolist(), "
                               "[n.decode() if isinstance(n, bytes) else n for n in f['names/users'][:]])";
    ASSERT_EQ(std::system(("/usr/bin/python3 -c \"" + script + "\" > " + py.string()).c_str()), 0);
    EXPECT_EQ(slurp(py), "1 [0, 2, 3, 4] ['alice', 'bob', 'carol']\n");
}

} // namespace
