// `mic generate`, `mic simulate` and `mic expect` as a user runs them: files, JSON summaries, errors,
// and the same replica files on one and two ranks (compared with h5diff, which ignores HDF5's
// object timestamps).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "tests/launch/mic_run_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using mic::testing::count;

int count_lines(const std::string& text) { return count(text, "\n"); }

class SimulationCommands: public mic::testing::mic_run_fixture {
protected:
    bool same_content(const fs::path& a, const fs::path& b) const {
        const std::string command = std::string(H5DIFF) + " " + a.string() + " " + b.string() + " >/dev/null 2>&1";
        return std::system(command.c_str()) == 0;
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    // The paper's Sec. 7.2 setting, shortened: 50 users, 3 cascades, β = 33.37, Σ of Fig. 3, τ = 3.
    std::string generate_args(const std::string& horizon = "60") const {
        return "generate --graph er:50:0.1 --cascades 3 --sigma \"1,0,0;.71,.29,0;0,0,1\" --beta 33.37 --tau 3 "
               "--mu-range 0:0.2 --w-range 0:0.1 --horizon " + horizon + " --seed 1 --out " + path("d.h5") +
               " --truth " + path("truth.h5");
    }
};

TEST_F(SimulationCommands, GenerateWritesADatasetAndItsTruthAndReportsEquation29) {
    auto g = mic(generate_args() + " --json");
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const auto j = nlohmann::json::parse(g.out);
    EXPECT_EQ(j["n_users"], 50);
    EXPECT_EQ(j["n_cascades"], 3);
    EXPECT_TRUE(j["stable"].get<bool>());
    EXPECT_LT(j["stability"].get<double>(), 1.0);
    const auto n = j["n_events"].get<double>();
    EXPECT_GT(n, 100);
    double per_cascade = 0;
    for (const auto& c: j["events_per_cascade"]) per_cascade += c.get<double>();
    EXPECT_EQ(per_cascade, n);
    // One replica, a sanity check (the statistical tests live in tests/engine/simulation): a Hawkes
    // count has about Poisson variance × 1/(1 − ρτ)² (≈ 8 here), so 15 √E is over 5 standard deviations.
    const auto expected = j["expected_n_events"].get<double>();
    EXPECT_NEAR(n, expected, 15 * std::sqrt(expected));
    auto info = mic("info --data " + path("d.h5") + " --json");
    ASSERT_EQ(info.exit_code, 0) << info.err;
    EXPECT_EQ(nlohmann::json::parse(info.out)["n_events"].get<double>(), n);
    EXPECT_EQ(nlohmann::json::parse(info.out)["n_edges"], j["n_edges"]);
}

TEST_F(SimulationCommands, GenerateRefusesExplosiveParametersUnlessMaxEventsBoundsTheRun) {
    const std::string args = "generate --graph er:50:0.1 --cascades 2 --w-range 0:1 --tau 3 --horizon 100 --seed 2 --out " +
                             path("x.h5") + " --truth " + path("xt.h5");
    auto r = mic(args);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("rho(W)*tau = "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--max-events"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("x.h5")));
    EXPECT_FALSE(fs::exists(path("xt.h5")));
    auto bounded = mic(args + " --max-events 500 --json");
    ASSERT_EQ(bounded.exit_code, 0) << bounded.err;
    const auto j = nlohmann::json::parse(bounded.out);
    EXPECT_EQ(j["n_events"], 500);
    EXPECT_EQ(j["truncated_replicas"], 1);
    EXPECT_TRUE(j["expected_n_events"].is_null());
    // The observation window ends where the simulation stopped, not at --horizon.
    const auto info = mic("info --data " + path("x.h5") + " --json");
    ASSERT_EQ(info.exit_code, 0) << info.err;
    const auto s = nlohmann::json::parse(info.out);
    EXPECT_EQ(s["t_end"].get<double>(), s["last_event"].get<double>()) << info.out;
    EXPECT_LT(s["t_end"].get<double>(), 100.0) << info.out;
}

TEST_F(SimulationCommands, SimulateWritesTheSameReplicasOnOneAndTwoRanks) {
    ASSERT_EQ(mic(generate_args()).exit_code, 0);
    fs::create_directories(dir_ / "one");
    fs::create_directories(dir_ / "two");
    const std::string args = "simulate --params " + path("truth.h5") + " --horizon 60 --replicas 3 --seed 1 --json --out ";
    auto one = mic(args + path("one/r"));
    ASSERT_EQ(one.exit_code, 0) << one.err;
    auto two = mic(args + path("two/r"), 2);
    ASSERT_EQ(two.exit_code, 0) << two.err;
    const auto j1 = nlohmann::json::parse(one.out), j2 = nlohmann::json::parse(two.out);
    EXPECT_EQ(j1["n_events_per_replica"], j2["n_events_per_replica"]);
    EXPECT_EQ(j2["n_ranks"], 2);
    for (int k = 0; k < 3; ++k)
        EXPECT_TRUE(same_content(dir_ / "one" / ("r-" + std::to_string(k) + ".h5"), dir_ / "two" / ("r-" + std::to_string(k) + ".h5")))
            << "replica " << k;
    // Replica 0 of seed S is the dataset `mic generate --seed S` drew from the same truth.
    EXPECT_TRUE(same_content(dir_ / "one" / "r-0.h5", dir_ / "d.h5"));
    EXPECT_FALSE(same_content(dir_ / "one" / "r-0.h5", dir_ / "one" / "r-1.h5"));
}

// A params file holds no names: with --data the replicas get the fitted dataset's user and cascade
// names and its time unit (on any number of ranks); a dataset of other users is refused, no file left.
TEST_F(SimulationCommands, SimulateWithTheFittedDatasetNamesTheReplicasUsersAndCascadesLikeTheData) {
    const auto events = file("named.csv", "user,cascade,time\nalice,#rain,1\nbob,#rain,2\ncarol,#sun,3\nalice,#sun,4\n"
                                          "bob,#sun,6\ncarol,#rain,7\nalice,#rain,9\n");
    ASSERT_EQ(mic("import --events " + events.string() + " --complete-graph --time-unit h --out " + path("named.h5")).exit_code, 0);
    const auto fit = mic("fit --data " + path("named.h5") + " --model ic --tau 1 --out " + path("named-fit.h5"));
    ASSERT_EQ(fit.exit_code, 0) << fit.err;
    fs::create_directories(dir_ / "one");
    fs::create_directories(dir_ / "two");
    const std::string args = "simulate --params " + path("named-fit.h5") + " --data " + path("named.h5") +
                             " --horizon 20 --replicas 2 --seed 4 --out ";
    const auto one = mic(args + path("one/r"));
    ASSERT_EQ(one.exit_code, 0) << one.err;
    const auto two = mic(args + path("two/r"), 2);
    ASSERT_EQ(two.exit_code, 0) << two.err;
    for (const char* replica : {"r-0.h5", "r-1.h5"}) {
        EXPECT_TRUE(same_content(dir_ / "one" / replica, dir_ / "two" / replica)) << replica;
        const auto info = mic("info --data " + (dir_ / "two" / replica).string() + " --json");
        ASSERT_EQ(info.exit_code, 0) << info.err;
        const auto j = nlohmann::json::parse(info.out);
        EXPECT_EQ(j["time_unit"], "h") << info.out;
        EXPECT_NE(info.out.find("alice"), std::string::npos) << info.out;
        EXPECT_NE(info.out.find("#rain"), std::string::npos) << info.out;
    }
    // Without --data: no names, no unit (the params file has neither).
    ASSERT_EQ(mic("simulate --params " + path("named-fit.h5") + " --horizon 20 --seed 4 --out " + path("plain")).exit_code, 0);
    EXPECT_EQ(mic("info --data " + path("plain-0.h5") + " --json").out.find("alice"), std::string::npos);
    // Another dataset's names would be attached to the wrong users: refused before any file is written.
    ASSERT_EQ(mic(generate_args()).exit_code, 0);
    const auto other = mic("simulate --params " + path("named-fit.h5") + " --data " + path("d.h5") +
                           " --horizon 20 --seed 4 --out " + path("other"));
    EXPECT_EQ(other.exit_code, 1) << other.err;
    EXPECT_NE(other.err.find("(--data): it has 50 users and 3 cascades but"), std::string::npos) << other.err;
    EXPECT_FALSE(fs::exists(path("other-0.h5")));
}

TEST_F(SimulationCommands, ExpectReportsTheClosedFormsThatGenerateComparedWith) {
    auto g = mic(generate_args() + " --json");
    ASSERT_EQ(g.exit_code, 0) << g.err;
    auto e = mic("expect --params " + path("truth.h5") + " --times 0:60:30 --json");
    ASSERT_EQ(e.exit_code, 0) << e.err;
    const auto j = nlohmann::json::parse(e.out), jg = nlohmann::json::parse(g.out);
    EXPECT_EQ(j["times"], nlohmann::json({0.0, 30.0, 60.0}));
    EXPECT_DOUBLE_EQ(j["stability"].get<double>(), jg["stability"].get<double>());
    EXPECT_DOUBLE_EQ(j["expected_n_events"]["total"][2].get<double>(), jg["expected_n_events"].get<double>());
    EXPECT_EQ(j["expected_n_events"]["total"][0], 0.0);
    EXPECT_EQ(j["expected_intensity"]["per_cascade"].size(), 3u);
    EXPECT_LT(j["expected_intensity"]["total"][0].get<double>(), j["stationary_intensity"]["total"].get<double>());
}

// --params gives μ and W: --rho-tau rescales the file's weights; the options that only drawing uses
// are refused instead of being ignored without a word (audit, 2026-11-29).
TEST_F(SimulationCommands, GenerateFromAParamsFileRescalesWithRhoTauAndRefusesDrawingOptions) {
    ASSERT_EQ(mic(generate_args()).exit_code, 0);
    const std::string from = "generate --params " + path("truth.h5") + " --horizon 20 --seed 2 --json --out " + path("p.h5") +
                             " --truth " + path("pt.h5") + " --force";
    const auto scaled = mic(from + " --rho-tau 0.5");
    ASSERT_EQ(scaled.exit_code, 0) << scaled.err;
    EXPECT_NEAR(nlohmann::json::parse(scaled.out)["stability"].get<double>(), 0.5, 1e-9);
    for (const char* option : {"--mu-range 0:1", "--w-range 0:0.001", "--activity-tail 1.1", "--baseline-density 0.5"}) {
        const auto r = mic(from + " " + option);
        EXPECT_EQ(r.exit_code, 2) << option << ": " << r.err;
        EXPECT_EQ(count_lines(r.err), 1) << r.err;
        EXPECT_NE(r.err.find(std::string(option).substr(0, std::string(option).find(' ')) + " with --params"), std::string::npos)
            << r.err;
    }
}

// Second audit, 2026-11-29: --activity-tail 1e-300 ended in "/mu[0] = -nan"; a shape of 1 or below
// has no mean to scale to. And a rho(W)*tau within 1e-9 of 1 is critical, not "1.0000 >= 1".
TEST_F(SimulationCommands, GenerateNamesABadActivityTailAndACriticalModelPlainly) {
    const std::string base = "generate --graph er:30:0.2 --horizon 5 --seed 1 --out " + path("a.h5") + " --truth " + path("at.h5");
    for (const char* tail : {"1e-300", "1"}) {
        const auto r = mic(base + " --activity-tail " + tail);
        EXPECT_EQ(r.exit_code, 1) << r.err;
        EXPECT_NE(r.err.find(std::string("the activity tail ") + tail + " must be a Pareto shape above 1"), std::string::npos)
            << r.err;
    }
    const auto critical = mic(base + " --rho-tau 0.9999999999 --max-events 200");
    ASSERT_EQ(critical.exit_code, 0) << critical.err;
    EXPECT_NE(critical.err.find("rho(W)*tau = 0.9999999999 (within 1e-9 of 1: critical, treated as supercritical)"),
              std::string::npos)
        << critical.err;
}

TEST_F(SimulationCommands, GenerateReadsAnEdgeListAndRejectsMalformedValuesWithExitTwo) {
    std::ofstream(dir_ / "edges.txt") << "source,target\n0,1\n1,2\n2,0\n3,0\n";
    auto r = mic("generate --graph " + path("edges.txt") + " --users 5 --w-range 0.1:0.2 --horizon 50 --seed 3 --json --out " +
                 path("e.h5") + " --truth " + path("et.h5"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["n_edges"], 4);
    EXPECT_EQ(nlohmann::json::parse(r.out)["n_users"], 5);
    auto sigma = mic("generate --graph er:5:0.5 --sigma \"1,0;0\" --horizon 5 --seed 1 --out " + path("s.h5") + " --truth " + path("st.h5"));
    EXPECT_EQ(sigma.exit_code, 2);
    EXPECT_NE(sigma.err.find("--sigma"), std::string::npos) << sigma.err;
    auto times = mic("expect --params " + path("et.h5") + " --times 5:1:1");
    EXPECT_EQ(times.exit_code, 2);
    EXPECT_EQ(count_lines(times.err), 1) << times.err;
    // An edge list with no edge would make a dataset of no users: an empty file, and one whose only
    // line (an edge of named users, or a header) was taken for a header, which the message shows.
    std::ofstream(dir_ / "header-only.txt") << "alice,bob\n";
    auto named = mic("generate --graph " + path("header-only.txt") + " --horizon 5 --seed 1 --out " + path("n.h5") +
                     " --truth " + path("nt.h5"));
    EXPECT_EQ(named.exit_code, 1);
    EXPECT_EQ(count_lines(named.err), 1) << named.err;
    EXPECT_NE(named.err.find(path("header-only.txt") + ": no edges: its only line, `alice,bob`, was read as a header"),
              std::string::npos)
        << named.err;
    EXPECT_NE(named.err.find("mic import --edges"), std::string::npos) << named.err;
    std::ofstream(dir_ / "empty.txt") << "";
    auto empty = mic("generate --graph " + path("empty.txt") + " --horizon 5 --seed 1 --out " + path("n.h5") +
                     " --truth " + path("nt.h5"));
    EXPECT_EQ(empty.exit_code, 1);
    EXPECT_NE(empty.err.find(path("empty.txt") + ": no edges (the file is empty or holds only a header)"), std::string::npos)
        << empty.err;
    EXPECT_FALSE(std::filesystem::exists(dir_ / "n.h5"));
}

} // namespace
