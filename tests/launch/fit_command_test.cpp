// `mic fit` as a user runs it: a params file with provenance whose loglik `mic loglik` confirms, the
// same parameters on one and two ranks, the training window of --train-fraction, --resume from a
// checkpoint equal to the uninterrupted run, and one-line errors with no output left behind.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "tests/launch/mic_run_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using mic::testing::count;

class FitCommand: public mic::testing::mic_run_fixture {
protected:
    // One small dataset for the whole suite (each `mic` start costs ~0.4 s of MPI start-up).
    static void SetUpTestSuite() {
        shared_ = fs::temp_directory_path() / ("mic-fit-data-" + std::to_string(std::random_device()()));
        fs::create_directories(shared_);
        const std::string command = std::string(MIC_BINARY) + " generate --out " + (shared_ / "data.h5").string() +
                                    " --truth " + (shared_ / "truth.h5").string() +
                                    " --seed 3 --horizon 100 --graph er:12:0.3 --model mic --beta 5 --tau 1 --cascades 2"
                                    " --sigma '1,0;.5,.5' --mu-range 0.05:0.2 --w-range 0:0.2 >/dev/null 2>&1";
        generated_ = WEXITSTATUS(std::system(command.c_str())) == 0;
    }
    static void TearDownTestSuite() { fs::remove_all(shared_); }
    void SetUp() override {
        mic_run_fixture::SetUp();
        ASSERT_TRUE(generated_) << "mic generate failed";
        data_ = (shared_ / "data.h5").string();
    }
    std::string fit_args(const std::string& out) const {
        return "fit --data " + data_ + " --model mic --beta 5 --tau 1 --out " + (dir_ / out).string();
    }
    // h5diff of one dataset of two files (exit 0: equal within the given h5diff options).
    int h5diff(const std::string& a, const std::string& b, const std::string& object, const std::string& options) const {
        const std::string command = std::string(H5DIFF) + " " + options + " " + (dir_ / a).string() + " " +
                                    (dir_ / b).string() + " " + object + " " + object + " >/dev/null 2>&1";
        return WEXITSTATUS(std::system(command.c_str()));
    }
    std::string h5dump_attribute(const std::string& file, const std::string& attribute) const {
        std::string tool = H5DIFF;
        tool.replace(tool.rfind("h5diff"), 6, "h5dump");
        const std::string command = tool + " -a /" + attribute + " " + (dir_ / file).string() + " >" +
                                    (dir_ / "dump").string() + " 2>&1";
        std::system(command.c_str());
        return mic::testing::slurp(dir_ / "dump");
    }
    std::string data_;
    static inline fs::path shared_;
    static inline bool generated_ = false;
};

TEST_F(FitCommand, WritesParamsWhoseLoglikMicLoglikConfirmsWithProvenance) {
    const auto r = mic(fit_args("fit.h5") + " --json --train-fraction 1");  // the window loglik scores by default
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(j["converged"].get<bool>());
    EXPECT_GT(j["iterations"].get<int>(), 1);
    EXPECT_LE(j["user_kkt"].get<double>(), 1e-8);
    EXPECT_NE(r.err.find("iteration   1  loglik"), std::string::npos) << r.err;  // progress on stderr
    EXPECT_NE(r.err.find("(profile"), std::string::npos) << r.err;     // the default Σ-step

    const auto check = mic("loglik --data " + data_ + " --params " + (dir_ / "fit.h5").string() + " --json");
    ASSERT_EQ(check.exit_code, 0) << check.err;
    const auto l = nlohmann::json::parse(check.out);
    EXPECT_NEAR(l["loglik"].get<double>(), j["loglik"].get<double>(), 1e-10 * std::abs(j["loglik"].get<double>()));
    EXPECT_EQ(l["n_events"], j["n_events"]);

    EXPECT_NE(h5dump_attribute("fit.h5", "command_line").find("mic fit --data"), std::string::npos);
    EXPECT_NE(h5dump_attribute("fit.h5", "dataset_checksum").find("DATA"), std::string::npos);
    EXPECT_NE(h5dump_attribute("fit.h5", "n_ranks").find("1"), std::string::npos);
}

TEST_F(FitCommand, GivesTheSameParametersOnOneAndTwoRanks) {
    const auto one = mic(fit_args("one.h5") + " --json --tol 1e-9");
    const auto two = mic(fit_args("two.h5") + " --json --tol 1e-9", 2);
    ASSERT_EQ(one.exit_code, 0) << one.err;
    ASSERT_EQ(two.exit_code, 0) << two.err;
    const auto a = nlohmann::json::parse(one.out), b = nlohmann::json::parse(two.out);
    EXPECT_EQ(a["iterations"], b["iterations"]);
    EXPECT_NEAR(a["loglik"].get<double>(), b["loglik"].get<double>(), 1e-12 * std::abs(a["loglik"].get<double>()));
    EXPECT_EQ(b["n_ranks"], 2);
    for (const char* object : {"/mu", "/sigma", "/W/weight"})
        EXPECT_EQ(h5diff("one.h5", "two.h5", object, "-d 1e-10"), 0) << object;
}

TEST_F(FitCommand, SaysWhoseKernelFeaturesItKeptAndGivesTheSameFitWithoutThem) {
    const auto kept = mic(fit_args("kept.h5") + " --json --max-iter 2", 2);
    const auto none = mic(fit_args("none.h5") + " --json --max-iter 2 --feature-memory 0", 2);
    ASSERT_EQ(kept.exit_code, 0) << kept.err;
    ASSERT_EQ(none.exit_code, 0) << none.err;
    const auto k = nlohmann::json::parse(kept.out), n = nlohmann::json::parse(none.out);
    EXPECT_EQ(k["feature_users"], 12);  // the default budget holds every user of this small graph
    EXPECT_GT(k["feature_mb_max_rank"].get<double>(), 0);
    EXPECT_NE(kept.err.find("kernel features kept for all 12 users"), std::string::npos) << kept.err;
    EXPECT_EQ(n["feature_users"], 0);
    EXPECT_EQ(n["feature_mb_max_rank"].get<double>(), 0);
    EXPECT_EQ(k["feature_streamed_users"], 0);
    EXPECT_EQ(n["feature_streamed_users"], 12);  // a budget of 0 holds no user's features even for its solve
    EXPECT_NE(none.err.find("kernel features kept for 0 of 12 users"), std::string::npos) << none.err;
    EXPECT_NE(none.err.find("recomputed at every evaluation"), std::string::npos) << none.err;
    EXPECT_EQ(none.err.find("built for the time of each one's solve"), std::string::npos) << none.err;  // no user is built per solve
    // Recomputed features give the same numbers bit for bit (user_step.hpp).
    EXPECT_EQ(k["loglik"], n["loglik"]);
    for (const char* object : {"/mu", "/sigma", "/W/weight"}) EXPECT_EQ(h5diff("kept.h5", "none.h5", object, ""), 0) << object;
}

TEST_F(FitCommand, TrainFractionFitsTheFirstEventsByTime) {
    const auto all = mic(fit_args("all.h5") + " --json --max-iter 1 --train-fraction 1");
    const auto half = mic(fit_args("half.h5") + " --json --max-iter 1 --train-fraction 0.5");
    const auto usual = mic(fit_args("usual.h5") + " --json --max-iter 1");
    ASSERT_EQ(all.exit_code, 0) << all.err;
    ASSERT_EQ(half.exit_code, 0) << half.err;
    ASSERT_EQ(usual.exit_code, 0) << usual.err;
    const auto a = nlohmann::json::parse(all.out), h = nlohmann::json::parse(half.out), d = nlohmann::json::parse(usual.out);
    EXPECT_EQ(a["to"].get<double>(), 100.0);
    EXPECT_LT(h["to"].get<double>(), 100.0);
    // The window [t_start, t_F] holds the first ⌈F·N⌉ events; the default F is the paper's 0.8 (SPEC §4).
    const auto n = a["n_events"].get<std::int64_t>();
    EXPECT_EQ(h["n_events"].get<std::int64_t>(), (n + 1) / 2);
    EXPECT_EQ(d["n_events"].get<std::int64_t>(), std::int64_t(std::ceil(0.8 * double(n))));
}

// A log whose first timestamp holds several events (a date-only log: its whole first day): the fit
// scores them, counts them, and loglik agrees.
TEST_F(FitCommand, ScoresAndCountsTheEventsAtTheFirstTimestamp) {
    const auto events = file("daily.csv", "user,cascade,time\na,x,2024-03-01\nb,x,2024-03-01\nc,y,2024-03-01\n"
                                          "a,y,2024-03-02\nb,x,2024-03-03\nc,x,2024-03-03\na,x,2024-03-04\n");
    const std::string data = (dir_ / "daily.h5").string();
    ASSERT_EQ(mic("import --events " + events.string() + " --complete-graph --time-unit d --out " + data).exit_code, 0);
    const auto fit = mic("fit --data " + data + " --model ic --tau 1 --train-fraction 1 --json --out " + (dir_ / "d.h5").string());
    ASSERT_EQ(fit.exit_code, 0) << fit.err;
    EXPECT_EQ(nlohmann::json::parse(fit.out)["n_events"], 7);
    // An ISO log's window as the calendar instants it stands for (days 19783..19786 since 1970).
    EXPECT_NE(fit.err.find("training window [2024-03-01T00:00:00Z, 2024-03-04T00:00:00Z], 7 events"), std::string::npos) << fit.err;
    const auto loglik = mic("loglik --data " + data + " --params " + (dir_ / "d.h5").string() + " --json");
    ASSERT_EQ(loglik.exit_code, 0) << loglik.err;
    EXPECT_EQ(nlohmann::json::parse(loglik.out)["n_events"], 7);
    EXPECT_NEAR(nlohmann::json::parse(loglik.out)["loglik"].get<double>(), nlohmann::json::parse(fit.out)["loglik"].get<double>(),
                1e-10 * std::abs(nlohmann::json::parse(fit.out)["loglik"].get<double>()));
}

TEST_F(FitCommand, ResumeFromACheckpointGivesTheUninterruptedResult) {
    // (--tol 0 never converges; --beta-path none keeps the automatic beta path out of it)
    ASSERT_EQ(mic(fit_args("whole.h5") + " --tol 0 --max-iter 6 --beta-path none").exit_code, 0);
    const std::string checkpoint = (dir_ / "ck.h5").string();
    const auto first = mic(fit_args("part.h5") + " --tol 0 --max-iter 3 --beta-path none --checkpoint " + checkpoint);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const auto resumed =
        mic(fit_args("resumed.h5") + " --tol 0 --max-iter 6 --beta-path none --checkpoint " + checkpoint + " --resume");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_NE(resumed.err.find("after iteration 3"), std::string::npos) << resumed.err;
    for (const char* object : {"/mu", "/sigma", "/W/weight"})
        EXPECT_EQ(h5diff("whole.h5", "resumed.h5", object, ""), 0) << object;  // bit for bit
    // The β scheme decides which fits run: a checkpoint of --beta-path none is not continued under auto.
    EXPECT_NE(h5dump_attribute("ck.h5", "beta_path_option").find("\"none\""), std::string::npos);
    const auto other = mic(fit_args("other.h5") + " --tol 0 --max-iter 6 --checkpoint " + checkpoint + " --resume");
    EXPECT_EQ(other.exit_code, 1) << other.err;
    EXPECT_NE(other.err.find("written under --beta-path none, not auto"), std::string::npos) << other.err;
    EXPECT_FALSE(fs::exists(dir_ / "other.h5"));
}

// --beta-path both (and auto when its first fit does not converge) fits two candidates; the checkpoint
// says which one it is in, and the first's result is kept beside it, so that a resume in the second
// makes the uninterrupted fit's choice. The last checkpoint of a whole run is one in the second fit.
TEST_F(FitCommand, AResumeInTheSecondFitOfTheBetaPathSchemeKeepsWhatTheWholeFitKept) {
    const std::string checkpoint = (dir_ / "ck.h5").string();
    const std::string fit = fit_args("whole.h5") + " --tol 0 --max-iter 3 --beta-path both --checkpoint " + checkpoint;
    const auto whole = mic(fit + " --json");
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    EXPECT_NE(h5dump_attribute("ck.h5", "automatic_candidate").find("(0): 1"), std::string::npos);
    EXPECT_NE(h5dump_attribute("ck.h5", "first_candidate_objective").find("(0): "), std::string::npos);
    ASSERT_TRUE(fs::exists(checkpoint + ".first"));
    const auto resumed = mic(fit_args("resumed.h5") + " --tol 0 --max-iter 3 --beta-path both --checkpoint " + checkpoint +
                             " --resume --json");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_NE(resumed.err.find("after iteration 3 of the second fit of --beta-path both"), std::string::npos) << resumed.err;
    const auto a = nlohmann::json::parse(whole.out), b = nlohmann::json::parse(resumed.out);
    EXPECT_EQ(a["objective"], b["objective"]);
    // Whichever fit was kept, the resumed run reports it as the whole run did (a first fit read back
    // from its file included: its last gain is recorded there, its feature counts are this run's).
    EXPECT_EQ(a["last_gain"], b["last_gain"]);
    EXPECT_TRUE(a["last_gain"].is_number());
    EXPECT_EQ(a["feature_users"], b["feature_users"]);
    for (const char* object : {"/mu", "/sigma", "/W/weight"})
        EXPECT_EQ(h5diff("whole.h5", "resumed.h5", object, ""), 0) << object;  // bit for bit
    // Resumed again after more iterations (a job requeued twice): the checkpoints the resumed fit wrote
    // still record the first's objective, so the next resume is accepted.
    const std::string longer = " --tol 0 --max-iter 5 --beta-path both --checkpoint " + checkpoint + " --resume";
    const auto more = mic(fit_args("more.h5") + longer);
    ASSERT_EQ(more.exit_code, 0) << more.err;
    EXPECT_NE(h5dump_attribute("ck.h5", "iterations").find("(0): 5"), std::string::npos);
    EXPECT_NE(h5dump_attribute("ck.h5", "first_candidate_objective").find("(0): "), std::string::npos);
    const auto twice = mic(fit_args("twice.h5") + longer);
    ASSERT_EQ(twice.exit_code, 0) << twice.err;
    for (const char* object : {"/mu", "/sigma", "/W/weight"})
        EXPECT_EQ(h5diff("more.h5", "twice.h5", object, ""), 0) << object;
    // Without the first's result the choice cannot be made: refused, nothing written.
    fs::remove(checkpoint + ".first");
    const auto refused = mic(fit_args("again.h5") + " --tol 0 --max-iter 3 --beta-path both --checkpoint " + checkpoint + " --resume");
    EXPECT_EQ(refused.exit_code, 1) << refused.err;
    EXPECT_NE(refused.err.find(checkpoint + ".first is missing"), std::string::npos) << refused.err;
    EXPECT_FALSE(fs::exists(dir_ / "again.h5"));
}

// The same when the first fit is the one kept (at beta 50 the path comes first and wins): the resumed
// run reads it back from its file and reports it as the whole run did.
TEST_F(FitCommand, AResumeInTheSecondFitReportsAKeptFirstFitAsTheWholeFitDid) {
    const std::string checkpoint = (dir_ / "ck.h5").string();
    const auto fit = [&](const std::string& out) {
        return "fit --data " + data_ + " --model mic --beta 50 --tau 1 --tol 0 --max-iter 3 --beta-path both --json --checkpoint " +
               checkpoint + " --out " + (dir_ / out).string();
    };
    const auto whole = mic(fit("whole.h5"));
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    ASSERT_NE(whole.err.find("kept the beta path"), std::string::npos) << "the first fit must win here: " << whole.err;
    const auto resumed = mic(fit("resumed.h5") + " --resume");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    const auto a = nlohmann::json::parse(whole.out), b = nlohmann::json::parse(resumed.out);
    EXPECT_EQ(a["objective"], b["objective"]);
    EXPECT_EQ(a["last_gain"], b["last_gain"]);
    EXPECT_TRUE(a["last_gain"].is_number());
    EXPECT_EQ(a["feature_users"], b["feature_users"]);
    EXPECT_EQ(b["feature_users"], 12);
    for (const char* object : {"/mu", "/sigma", "/W/weight"})
        EXPECT_EQ(h5diff("whole.h5", "resumed.h5", object, ""), 0) << object;
}

// A signal during a user step (which one busy user can make longer than SLURM's warning) stops the fit
// there, not at the end of the iteration: exit 75, the last checkpoint whole, no output or temporary
// file, and --resume gives the uninterrupted result.
TEST_F(FitCommand, ASignalDuringTheUserStepStopsItAndResumeGivesTheUninterruptedResult) {
    // ~1 s per user step: 100 users, ~50 000 events, kernel states recomputed at every evaluation.
    const std::string data = (dir_ / "long.h5").string();
    ASSERT_EQ(mic("generate --out " + data + " --truth " + (dir_ / "long-truth.h5").string() +
                  " --seed 3 --horizon 1500 --graph er:100:0.1 --model mic --beta 5 --tau 1 --cascades 2"
                  " --sigma '1,0;.5,.5' --mu-range 0.05:0.2 --w-range 0:0.05")
                  .exit_code,
              0);
    const std::string fit = "fit --data " + data + " --model mic --beta 5 --tau 1 --tol 0 --max-iter 3 --beta-path none"
                            " --feature-memory 0 --checkpoint " + (dir_ / "ck.h5").string() + " --progress 0.01";
    ASSERT_EQ(mic(fit + " --out " + (dir_ / "whole.h5").string()).exit_code, 0);
    fs::remove(dir_ / "ck.h5");

    // Runs the fit in the background, waits for a progress line of the user step of iteration 2 (after
    // the line of iteration 1), and sends SIGTERM. Bounded: it stops waiting when the fit has ended.
    const std::string err = (dir_ / "stderr").string();
    const std::string script =
        std::string(MIC_BINARY) + " " + fit + " --out " + (dir_ / "stopped.h5").string() + " 2>" + err + " & pid=$!; " +
        "while kill -0 $pid 2>/dev/null && ! sed -n '/iteration   1/,$p' " + err + " | grep -q 'user step'; do sleep 0.01; done; "
        "kill -TERM $pid 2>/dev/null; wait $pid; exit $?";
    const int status = std::system(("bash " + file("stop.sh", script).string()).c_str());
    const std::string stopped = mic::testing::slurp(err);
    EXPECT_EQ(WEXITSTATUS(status), 75) << stopped;
    EXPECT_NE(stopped.find("mic: interrupted: stopped by a signal during the user step"), std::string::npos) << stopped;
    EXPECT_NE(stopped.find("continue with the same command and --resume"), std::string::npos) << stopped;
    EXPECT_EQ(stopped.find("iteration   2"), std::string::npos) << stopped;  // it did not finish iteration 2
    EXPECT_FALSE(fs::exists(dir_ / "stopped.h5"));
    for (const auto& entry : fs::directory_iterator(dir_))
        EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();

    const auto resumed = mic(fit + " --resume --out " + (dir_ / "resumed.h5").string());
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_NE(resumed.err.find("after iteration 1"), std::string::npos) << resumed.err;
    for (const char* object : {"/mu", "/sigma", "/W/weight"})
        EXPECT_EQ(h5diff("whole.h5", "resumed.h5", object, ""), 0) << object;  // bit for bit
}

TEST_F(FitCommand, BadOptionsFailWithOneLineAndLeaveNoOutput) {
    const auto model = mic("fit --data " + data_ + " --model hawkes --tau 1 --out " + (dir_ / "x.h5").string());
    EXPECT_NE(model.exit_code, 0);
    EXPECT_EQ(count(model.err, "\n"), 1) << model.err;
    EXPECT_NE(model.err.find("--model hawkes"), std::string::npos);
    const auto resume = mic(fit_args("y.h5") + " --resume");
    EXPECT_NE(resume.exit_code, 0);
    EXPECT_NE(resume.err.find("--checkpoint"), std::string::npos) << resume.err;
    const auto fraction = mic(fit_args("z.h5") + " --train-fraction 1.5");
    EXPECT_NE(fraction.exit_code, 0);
    const auto step = mic(fit_args("s.h5") + " --sigma-step newton");
    EXPECT_EQ(step.exit_code, 2);  // a bad command line
    EXPECT_EQ(count(step.err, "\n"), 1) << step.err;
    EXPECT_NE(step.err.find("--sigma-step newton: unknown; use auto, profile or plain"), std::string::npos) << step.err;
    for (const char* name : {"x.h5", "y.h5", "z.h5", "s.h5"}) EXPECT_FALSE(fs::exists(dir_ / name)) << name;
    int leftovers = 0;
    for (const auto& entry : fs::directory_iterator(dir_)) leftovers += entry.path().filename().string().find(".tmp") != std::string::npos;
    EXPECT_EQ(leftovers, 0);
}

} // namespace

// The regime of real data: a supercritical fit, held-out events a pure MLE calls impossible.
class RealDataCommands: public mic::testing::mic_run_fixture {
protected:
    void SetUp() override {
        mic_run_fixture::SetUp();
        data_ = (dir_ / "sc.h5").string();
        // ρ(W)τ = 1.05 over 120 time units: ~12 000 events; half the baselines are 0.
        const auto g = mic("generate --out " + data_ + " --truth " + (dir_ / "sct.h5").string() +
                           " --seed 5 --horizon 120 --graph er:20:0.25 --model cc --beta 20 --tau 1 --cascades 2"
                           " --mu-range 0:0.1 --baseline-density 0.5 --rho-tau 1.05");
        ASSERT_EQ(g.exit_code, 0) << g.err;
        EXPECT_NE(g.err.find("supercritical"), std::string::npos) << g.err;
    }
    std::string path(const char* name) const { return (dir_ / name).string(); }
    std::string data_;
};

TEST_F(RealDataCommands, ASupercriticalFitIsReportedAndItsTestWindowIsSimulatedWithAWarning) {
    const auto fit = mic("fit --data " + data_ + " --model cc --beta 20 --tau 1 --train-fraction 0.8 --json --out " + path("f.h5"));
    ASSERT_EQ(fit.exit_code, 0) << fit.err;
    const auto j = nlohmann::json::parse(fit.out);
    EXPECT_GE(j["rho_tau"].get<double>(), 1.0);
    EXPECT_NE(fit.err.find("supercritical"), std::string::npos) << fit.err;
    const double test_window = 120 - j["train_end"].get<double>();
    const auto sim = mic("simulate --params " + path("f.h5") + " --horizon " + std::to_string(test_window) +
                         " --replicas 2 --seed 1 --json --out " + path("sim"));
    ASSERT_EQ(sim.exit_code, 0) << sim.err;
    EXPECT_NE(sim.err.find("supercritical"), std::string::npos) << sim.err;
    EXPECT_EQ(count(sim.err, "warning"), 1) << sim.err;
    EXPECT_TRUE(fs::exists(path("sim-1.h5")));
}

TEST_F(RealDataCommands, LoglikTestScoresExactlyTheEventsAfterTheTrainingWindowAndNamesImpossibleOnes) {
    // Sparse baselines (a third of them non-zero): users enter cascades after a cut at 20 %.
    const std::string sparse = path("sparse.h5");
    ASSERT_EQ(mic("generate --out " + sparse + " --truth " + path("st.h5") + " --seed 2 --horizon 100 --graph er:12:0.3"
                  " --model linmic --tau 1 --cascades 3 --mu-range 0:0.2 --baseline-density 0.34 --w-range 0:0.2")
                  .exit_code,
              0);
    data_ = sparse;
    const auto fit = mic("fit --data " + data_ + " --model ic --tau 1 --train-fraction 0.2 --mu-floor 0 --json --out " + path("ic.h5"));
    ASSERT_EQ(fit.exit_code, 0) << fit.err;
    const auto j = nlohmann::json::parse(fit.out);
    EXPECT_EQ(j.count("beta"), 0u) << "linear mixing has no beta";
    const auto all = mic("loglik --data " + data_ + " --params " + path("ic.h5") + " --json");
    const auto test = mic("loglik --data " + data_ + " --params " + path("ic.h5") + " --test --json");
    ASSERT_EQ(test.exit_code, 0) << test.err;  // -inf is a result, not an error
    const auto a = nlohmann::json::parse(all.out), t = nlohmann::json::parse(test.out);
    EXPECT_EQ(t["from"].get<double>(), j["train_end"].get<double>());
    EXPECT_EQ(t["n_events"].get<std::int64_t>() + j["n_events"].get<std::int64_t>(), a["n_events"].get<std::int64_t>());
    EXPECT_TRUE(t["loglik"].is_null());  // JSON has no -inf
    EXPECT_GT(t["impossible_events"].get<std::int64_t>(), 0);
    EXPECT_GT(t["first_impossible"]["time"].get<double>(), j["train_end"].get<double>());
    EXPECT_EQ(count(test.err, "warning"), 1) << test.err;
    EXPECT_NE(test.err.find("probability 0"), std::string::npos) << test.err;
    // With the default baseline floor every held-out event is possible.
    ASSERT_EQ(mic("fit --data " + data_ + " --model ic --tau 1 --train-fraction 0.2 --out " + path("floor.h5")).exit_code, 0);
    const auto floor = nlohmann::json::parse(mic("loglik --data " + data_ + " --params " + path("floor.h5") + " --test --json").out);
    EXPECT_TRUE(floor["loglik"].is_number());
    EXPECT_EQ(floor["impossible_events"], 0);
}

TEST_F(FitCommand, AWarmStartFromAnotherModelIsRecordedAndMustMatchTheGraph) {
    ASSERT_EQ(mic(fit_args("cc.h5") + " --json").exit_code, 0);
    const auto warm = mic("fit --data " + data_ + " --model mic --beta 10 --tau 2 --json --init " + (dir_ / "cc.h5").string() +
                          " --out " + (dir_ / "mic.h5").string());
    ASSERT_EQ(warm.exit_code, 0) << warm.err;
    EXPECT_EQ(nlohmann::json::parse(warm.out)["init"], (dir_ / "cc.h5").string());
    EXPECT_NE(h5dump_attribute("mic.h5", "init").find("cc.h5"), std::string::npos);
    // Another graph: one line naming the --init file, no output.
    ASSERT_EQ(mic("generate --out " + (dir_ / "other.h5").string() + " --truth " + (dir_ / "ot.h5").string() +
                  " --seed 4 --horizon 50 --graph er:12:0.5 --tau 1 --w-range 0:0.05")
                  .exit_code,
              0);
    const auto bad = mic("fit --data " + data_ + " --model mic --tau 1 --init " + (dir_ / "ot.h5").string() + " --out " +
                         (dir_ / "bad.h5").string());
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_EQ(count(bad.err, "\n"), 1) << bad.err;
    EXPECT_NE(bad.err.find("ot.h5 (--init)"), std::string::npos) << bad.err;
    EXPECT_FALSE(fs::exists(dir_ / "bad.h5"));
}

TEST_F(FitCommand, AFitThatDidNotConvergeSaysSoAndWhatToTry) {
    const auto r = mic(fit_args("short.h5") + " --max-iter 1 --beta-path none --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_FALSE(j["converged"].get<bool>());
    EXPECT_EQ(j["stop"], "max_iterations");
    EXPECT_EQ(count(r.err, "warning"), 1) << r.err;
    EXPECT_NE(r.err.find("--max-iter"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("nan"), std::string::npos) << r.err;
    EXPECT_NE(h5dump_attribute("short.h5", "converged").find("0"), std::string::npos);
}

TEST_F(FitCommand, NeitherAnExistingCheckpointNorTheInputIsOverwritten) {
    const auto note = file("notes.txt", "my notes\n");
    const auto ck = mic(fit_args("x.h5") + " --checkpoint " + note.string());
    EXPECT_EQ(ck.exit_code, 1);
    EXPECT_NE(ck.err.find("--resume"), std::string::npos) << ck.err;
    EXPECT_EQ(mic::testing::slurp(note), "my notes\n");
    const auto before = mic::testing::slurp(data_);
    for (const std::string option : {" --out ", " --checkpoint "}) {
        const auto r = mic("fit --data " + data_ + " --model mic --beta 5 --tau 1 --force" + option + data_ +
                           (option == " --out " ? std::string() : " --out " + (dir_ / "y.h5").string()));
        EXPECT_EQ(r.exit_code, 1) << option;
        EXPECT_NE(r.err.find("same file as --data"), std::string::npos) << r.err;
    }
    EXPECT_EQ(mic::testing::slurp(data_), before);
    EXPECT_FALSE(fs::exists(dir_ / "x.h5"));
}
