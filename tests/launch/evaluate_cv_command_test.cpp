// `mic evaluate` and `mic cv` as a user runs them: the report file and JSON, the same numbers on one
// and two ranks, a cross-validation that resumes without refitting, and one-line errors.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

#include "tests/launch/mic_run_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using mic::testing::count;

class EvaluateAndCv: public mic::testing::mic_run_fixture {
protected:
    void SetUp() override {
        mic_run_fixture::SetUp();
        data_ = path("d.h5");
        const auto g = mic("generate --out " + data_ + " --truth " + path("t.h5") +
                           " --seed 3 --horizon 300 --graph er:20:0.2 --model mic --beta 20 --tau 2 --cascades 2"
                           " --sigma '1,0;.5,.5' --mu-range 0.02:0.1 --w-range 0:0.1");
        ASSERT_EQ(g.exit_code, 0) << g.err;
        const auto f = mic("fit --data " + data_ + " --model mic --beta 20 --tau 2 --train-fraction 0.8 --out " + path("f.h5"));
        ASSERT_EQ(f.exit_code, 0) << f.err;
    }
    std::string path(const char* name) const { return (dir_ / name).string(); }
    std::string data_;
};

TEST_F(EvaluateAndCv, EvaluateScoresTheWindowAfterTrainingAndGivesTheSameReportOnTwoRanks) {
    const auto one = mic("evaluate --data " + data_ + " --params " + path("f.h5") + " --replicas 4 --bins 5 --json --out " + path("e.h5"));
    ASSERT_EQ(one.exit_code, 0) << one.err;
    const auto two = mic("evaluate --data " + data_ + " --params " + path("f.h5") + " --replicas 4 --bins 5 --json", 2);
    ASSERT_EQ(two.exit_code, 0) << two.err;
    auto a = nlohmann::json::parse(one.out), b = nlohmann::json::parse(two.out);
    const auto test = nlohmann::json::parse(mic("loglik --data " + data_ + " --params " + path("f.h5") + " --test --json").out);
    EXPECT_NEAR(a["loglik"].get<double>(), test["loglik"].get<double>(), 1e-10 * std::abs(test["loglik"].get<double>()));
    EXPECT_EQ(a["n_events"], test["n_events"]);
    EXPECT_EQ(a["top_users"].size(), 3u);
    EXPECT_EQ(a["inverse_l1"].size(), 3u);  // 2 cascades and all
    for (const char* key : {"n_ranks", "seconds", "out"}) a.erase(key), b.erase(key);
    EXPECT_EQ(a, b);  // simulations included: replica k is the same on any rank
    EXPECT_TRUE(fs::exists(path("e.h5")));
}

// A supercritical model that has been running for a while: each replica starts from the observed
// history, so its bound must follow the window's real events, not E[n] from an empty history (audit:
// 122,006 real events against a bound of 1,132, every replica cut, the true model scoring 0.50).
// A bound the user sets too low is said on stderr.
TEST_F(EvaluateAndCv, EvaluateBoundsASupercriticalModelsReplicasByTheObservedActivityAndWarnsWhenTheyAreCut) {
    const auto g = mic("generate --graph er:300:0.02 --cascades 2 --model ic --tau 1 --mu-range 0:0.01 --rho-tau 1.05"
                       " --horizon 60 --seed 12 --out " + path("hot.h5") + " --truth " + path("hot-truth.h5"));
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const std::string args = "evaluate --data " + path("hot.h5") + " --params " + path("hot-truth.h5") +
                             " --train-fraction 0.8 --replicas 4 --json";
    const auto r = mic(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["truncated_replicas"], 0) << r.err;
    EXPECT_NE(r.err.find("started from the observed history, stops after"), std::string::npos) << r.err;
    EXPECT_GT(j["inverse_l1"][2].get<double>(), 0.8) << r.out;  // the true model, simulated to the window's end
    const auto cut = mic(args + " --max-events 50");
    ASSERT_EQ(cut.exit_code, 0) << cut.err;
    EXPECT_EQ(nlohmann::json::parse(cut.out)["truncated_replicas"], 4);
    EXPECT_NE(cut.err.find("4 of 4 replicas stopped at the bound of 50 events before the window's end"), std::string::npos)
        << cut.err;
}

// A topic that ended before the test window (common with hashtags): its correlation is undefined,
// and evaluate says why instead of printing a bare NaN.
TEST_F(EvaluateAndCv, EvaluateSaysWhyACascadeWithoutHeldOutEventsHasNoCorrelation) {
    std::ostringstream csv;
    csv << "user,cascade,time\n";
    for (int k = 1; k <= 40; ++k) csv << "u" << k % 4 << ",a," << k << "\n";
    for (int k = 1; k <= 5; ++k) csv << "u0,once," << k << ".5\n";
    const auto events = file("topics.csv", csv.str());
    ASSERT_EQ(mic("import --events " + events.string() + " --complete-graph --out " + path("topics.h5")).exit_code, 0);
    ASSERT_EQ(mic("fit --data " + path("topics.h5") + " --model ic --tau 1 --out " + path("topics-fit.h5")).exit_code, 0);
    const auto r = mic("evaluate --data " + path("topics.h5") + " --params " + path("topics-fit.h5") +
                       " --replicas 3 --bins 4 --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out);
    EXPECT_TRUE(report["pearson"][1].is_null()) << r.out;
    EXPECT_EQ(report["cascade_names"], nlohmann::json::array({"a", "once"}));  // cascade 1 is "once"
    EXPECT_NE(r.err.find("note: cascade once: the Pearson correlation is undefined (null) because it has no event in the "
                         "test window"),
              std::string::npos)
        << r.err;
}

TEST_F(EvaluateAndCv, CvWritesTheBestWithItsTableAndResumesWithoutRefitting) {
    const std::string args = "cv --data " + data_ + " --model mic,ic --betas 2,20 --taus 1,2 --out " + path("best.h5") + " --json";
    const auto first = mic(args, 2);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const auto j = nlohmann::json::parse(first.out);
    EXPECT_EQ(j["table"].size(), 6u);  // mic: 2 taus × 2 betas; ic: 2 taus
    EXPECT_EQ(j["groups"], 2);
    EXPECT_TRUE(fs::exists(path("best.h5")));
    // Progress over the grid: every finished point counted among all of them (one fold by default),
    // whichever group finished it.
    // (Two groups finishing together may both count the other's row: each line's k is read after its
    // own row was appended, so every point is counted and the last line says 6.)
    EXPECT_EQ(count(first.err, " of 6 points done"), 6) << first.err;
    EXPECT_GE(count(first.err, "[6 of 6 points done"), 1) << first.err;
    // Run again (the output exists: --force); every point is in the state, so none is refitted.
    const auto again = mic(args + " --force");
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("6 point(s) of this grid already finished"), std::string::npos) << again.err;
    EXPECT_EQ(count(again.err, "validation loglik"), 0) << again.err;
    const auto k = nlohmann::json::parse(again.out);
    EXPECT_EQ(k["best"], j["best"]);
    for (std::size_t i = 0; i < 6; ++i)
        EXPECT_NEAR(k["table"][i]["validation_loglik"].get<double>(), j["table"][i]["validation_loglik"].get<double>(),
                    1e-9 * std::abs(j["table"][i]["validation_loglik"].get<double>()));
}

// A user who posts only in the validation block has no baseline under --mu-floor 0: every point scores
// -inf, and cv says that none can be chosen instead of picking one (audit, 2026-11-29).
TEST_F(EvaluateAndCv, CvRefusesToChooseWhenEveryPointScoresMinusInfinity) {
    std::string csv = "user,cascade,time\n";
    for (int k = 0; k < 80; ++k) csv += std::string(k % 2 ? "a" : "b") + ",x," + std::to_string(k + 1) + "\n";
    for (int k = 0; k < 10; ++k) csv += "z,x," + std::to_string(90 + k) + "\n";
    const auto events = file("late.csv", csv);
    ASSERT_EQ(mic("import --events " + events.string() + " --complete-graph --out " + path("late.h5")).exit_code, 0);
    const std::string cv = "cv --data " + path("late.h5") + " --model ic --taus 1,2 --train-fraction 1 --out ";
    const auto r = mic(cv + path("none.h5") + " --mu-floor 0");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("every grid point scores validation loglik -inf"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("keep the default floor"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("none.h5")));
    const auto floored = mic(cv + path("best.h5"));  // the default floor: every point finite, one chosen
    ASSERT_EQ(floored.exit_code, 0) << floored.err;
    EXPECT_TRUE(fs::exists(path("best.h5")));
}

TEST_F(EvaluateAndCv, CvRefusesAGridThatListsAValueTwice) {
    for (const std::string grid : {"--model mic --betas 10,10 --taus 1", "--model mic --betas 10 --taus 1,1",
                                   "--model mic,mic --betas 10 --taus 1"}) {
        const auto r = mic("cv --data " + data_ + " " + grid + " --out " + path("twice.h5"));
        EXPECT_EQ(r.exit_code, 2) << grid << ": " << r.err;
        EXPECT_NE(r.err.find("given twice"), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(path("twice.h5")));
    }
}

// A signal during a point's fit (a busy user at a large β can make one user step longer than SLURM's
// warning) stops cv there: exit 75, no output, the finished points kept; the same command then fits
// only the rest and gives the uninterrupted table.
TEST_F(EvaluateAndCv, ASignalDuringAPointsFitStopsCvAndTheRerunGivesTheUninterruptedTable) {
    // ~1 s per user step: 100 users, ~50 000 events, kernel states recomputed at every evaluation.
    const std::string data = path("long.h5");
    ASSERT_EQ(mic("generate --out " + data + " --truth " + path("long-truth.h5") +
                  " --seed 3 --horizon 1500 --graph er:100:0.1 --model mic --beta 5 --tau 1 --cascades 2"
                  " --sigma '1,0;.5,.5' --mu-range 0.05:0.2 --w-range 0:0.05")
                  .exit_code,
              0);
    const std::string cv = "cv --data " + data + " --model mic --betas 5 --taus 1 --folds 2 --max-iter 2 --tol 0"
                           " --feature-memory 0 --progress 0.01 --json";
    const auto whole = mic(cv + " --out " + path("whole.h5") + " --state " + path("whole.cv"));
    ASSERT_EQ(whole.exit_code, 0) << whole.err;

    // In the background; after the first point's line, waits for a progress line of the second
    // point's user step and sends SIGTERM. Bounded: it stops waiting when cv has ended.
    const std::string err = path("stderr-cv");
    const std::string script =
        std::string(MIC_BINARY) + " " + cv + " --out " + path("stopped.h5") + " --state " + path("stopped.cv") + " >/dev/null 2>" +
        err + " & pid=$!; while kill -0 $pid 2>/dev/null && ! sed -n '/validation loglik/,$p' " + err +
        " | grep -q 'point user step'; do sleep 0.01; done; kill -TERM $pid 2>/dev/null; wait $pid; exit $?";
    const int status = std::system(("bash " + file("stop-cv.sh", script).string()).c_str());
    const std::string stopped = mic::testing::slurp(err);
    EXPECT_EQ(WEXITSTATUS(status), 75) << stopped;
    EXPECT_NE(stopped.find("stopped by a signal during a point's fit"), std::string::npos) << stopped;
    EXPECT_EQ(count(stopped, "validation loglik"), 1) << stopped;  // the second point did not finish
    EXPECT_FALSE(fs::exists(path("stopped.h5")));

    const auto rerun = mic(cv + " --out " + path("stopped.h5") + " --state " + path("stopped.cv"));
    ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
    EXPECT_NE(rerun.err.find("1 point(s) of this grid already finished"), std::string::npos) << rerun.err;
    const auto a = nlohmann::json::parse(whole.out), b = nlohmann::json::parse(rerun.out);
    EXPECT_EQ(a["table"], b["table"]);  // to the last bit
}

TEST_F(EvaluateAndCv, CvWithForceOnAFirstRunStartsAFreshState) {
    const auto r = mic("cv --data " + data_ + " --model ic --taus 2 --out " + path("best.h5") + " --force --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(path("best.h5")));
    EXPECT_TRUE(fs::exists(path("best.h5.cv/state.json")));
}

// --feature-memory reaches cv's fits (the refit reports what it kept): with no features kept (every
// user recomputed at each evaluation) the table is the same to the last bit.
TEST_F(EvaluateAndCv, CvGivesTheSameTableWithoutStoredFeatures) {
    const std::string args = "cv --data " + data_ + " --model mic --betas 2 --taus 1 --json --force";
    const auto kept = mic(args + " --out " + path("kept.h5"));
    const auto none = mic(args + " --out " + path("none.h5") + " --feature-memory 0");
    ASSERT_EQ(kept.exit_code, 0) << kept.err;
    ASSERT_EQ(none.exit_code, 0) << none.err;
    const auto a = nlohmann::json::parse(kept.out), b = nlohmann::json::parse(none.out);
    EXPECT_GT(a["refit_feature_users"].get<std::int64_t>(), 0);
    EXPECT_EQ(a["refit_feature_streamed_users"], 0);
    EXPECT_EQ(b["refit_feature_users"], 0);
    EXPECT_GT(b["refit_feature_streamed_users"].get<std::int64_t>(), 0);
    EXPECT_EQ(a["table"], b["table"]);
    EXPECT_EQ(a["best"], b["best"]);
}

// Audit, 2026-11-29: a window that reaches into the fit's training window was scored as held-out
// without a word; `--bins 0` named three options at once.
TEST_F(EvaluateAndCv, EvaluateWarnsWhenItsWindowReachesIntoTheTrainingWindowAndNamesTheBadOption) {
    const auto r = mic("evaluate --data " + data_ + " --params " + path("f.h5") + " --replicas 0 --from 100");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: --from 100 is inside the training window of " + path("f.h5") + " (it ends at "), std::string::npos)
        << r.err;
    const auto held_out = mic("evaluate --data " + data_ + " --params " + path("f.h5") + " --replicas 0");
    EXPECT_EQ(held_out.err.find("inside the training window"), std::string::npos) << held_out.err;
    const auto bins = mic("evaluate --data " + data_ + " --params " + path("f.h5") + " --bins 0");
    EXPECT_EQ(bins.exit_code, 2);
    EXPECT_NE(bins.err.find("--bins 0: must be in [1, 1e6]"), std::string::npos) << bins.err;
}

TEST_F(EvaluateAndCv, BadGridsAndWindowsFailWithOneLine) {
    for (const std::string& bad : {"cv --data " + data_ + " --taus 1,x --out " + path("x.h5"),
                                   "cv --data " + data_ + " --model hawkes --taus 1 --out " + path("x.h5"),
                                   "evaluate --data " + data_ + " --params " + path("t.h5"),
                                   "evaluate --data " + data_ + " --params " + path("f.h5") + " --bins 0"}) {
        const auto r = mic(bad);
        EXPECT_NE(r.exit_code, 0) << bad;
        EXPECT_EQ(count(r.err, "\n"), 1) << bad << "\n" << r.err;
    }
    EXPECT_FALSE(fs::exists(path("x.h5")));
}

} // namespace
