// The hostile-user cases of issue 11, one test per class, run as a user runs mic: corrupt and
// oversized files, outputs that are inputs, existing files, unbounded work, empty data, NUL bytes,
// negative counts, and errors under mpirun. Every refusal is one line, a non-zero exit code, and
// no file written or changed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "io/params_file.hpp"
#include "tests/io/io_test_support.hpp"
#include "tests/launch/mic_run_fixture.hpp"

namespace mic {
namespace {

namespace fs = std::filesystem;
using testing::count;
using testing::slurp;

class Robustness: public testing::mic_run_fixture {
protected:
    // One small dataset and its truth for the suite: 12 users, 2 cascades, about 600 events.
    static void SetUpTestSuite() {
        shared_ = fs::temp_directory_path() / ("mic-robustness-" + std::to_string(std::random_device()()));
        fs::create_directories(shared_);
        generated_ = generate(shared_ / "data.h5", shared_ / "truth.h5", "3") && generate(shared_ / "other.h5", shared_ / "other-truth.h5", "4");
    }
    static void TearDownTestSuite() { fs::remove_all(shared_); }
    static bool generate(const fs::path& out, const fs::path& truth, const std::string& seed) {
        const std::string command = std::string(MIC_BINARY) + " generate --out " + out.string() + " --truth " + truth.string() +
                                    " --seed " + seed + " --horizon 100 --graph er:12:0.3 --model mic --beta 5 --tau 1 "
                                    "--cascades 2 --sigma '1,0;.5,.5' --mu-range 0.05:0.2 --w-range 0:0.2 >/dev/null 2>&1";
        return WEXITSTATUS(std::system(command.c_str())) == 0;
    }
    void SetUp() override {
        mic_run_fixture::SetUp();
        ASSERT_TRUE(generated_) << "mic generate failed";
    }
    // A private copy of a shared file, to corrupt or to offer as an output.
    std::string copy(const std::string& shared_name, const std::string& name) const {
        fs::copy_file(shared_ / shared_name, dir_ / name);
        return (dir_ / name).string();
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::string data() const { return (shared_ / "data.h5").string(); }
    std::string truth() const { return (shared_ / "truth.h5").string(); }
    std::string fit_args(const std::string& data_path) const {
        return "fit --data " + data_path + " --model mic --beta 5 --tau 1 --out " + path("fit.h5");
    }
    // mic refused: exit code `code`, and one error line, the last on stderr (progress lines may come
    // before it), containing `part`.
    static void expect_refused(const testing::mic_outcome& r, int code, const std::string& part) {
        EXPECT_EQ(r.exit_code, code) << r.err;
        EXPECT_EQ(count(r.err, "mic: error"), 1) << r.err;
        const auto last = r.err.rfind('\n', r.err.size() >= 2 ? r.err.size() - 2 : 0);
        const std::string last_line = r.err.substr(last == std::string::npos ? 0 : last + 1);
        EXPECT_EQ(last_line.rfind("mic: error: ", 0), 0u) << r.err;
        EXPECT_NE(last_line.find(part), std::string::npos) << r.err;
    }
    // Names in the scratch directory other than the given ones and the fixture's stdout/stderr.
    std::vector<std::string> other_files(std::initializer_list<std::string> known) const {
        std::vector<std::string> names;
        for (const auto& entry: fs::directory_iterator(dir_)) {
            const auto name = entry.path().filename().string();
            if (name != "stdout" && name != "stderr" && std::find(known.begin(), known.end(), name) == known.end())
                names.push_back(name);
        }
        return names;
    }
    static inline fs::path shared_;
    static inline bool generated_ = false;
};

using strings = std::vector<std::string>;

// Case 1: `fit` used the graph before validating it (a segfault, an over-read under ASan).
TEST_F(Robustness, EverySubcommandThatReadsADatasetRefusesACorruptGraphBeforeUsingIt) {
    const auto offsets = copy("data.h5", "offsets.h5"), source = copy("data.h5", "source.h5");
    testing::overwrite_element<std::int64_t>(offsets, "/graph/in_offsets", 12, 1000000000000);
    testing::overwrite_element<std::int32_t>(source, "/graph/in_source", 0, 1000);
    for (const std::string& head: strings{"info --data ", "loglik --params " + truth() + " --data ",
                                  "fit --model mic --beta 5 --tau 1 --out " + path("f.h5") + " --data ",
                                  "spread --train-until 50 --window 10 --periods 2 --out " + path("s.h5") + " --data "}) {
        expect_refused(mic(head + offsets), 1, "/graph/in_offsets: ends at 1000000000000 but /graph/in_source has");
        expect_refused(mic(head + source), 1, "/graph/in_source: entry 0 (an in-neighbour of user 0) is 1000");
    }
    EXPECT_EQ(other_files({"offsets.h5", "source.h5"}), strings{});
}

// Case 2: outputs that are inputs of the same run, compared by real path (links, `..`), --force or not.
TEST_F(Robustness, OutputsThatAreInputsOfTheSameRunAreRefusedEvenWithForce) {
    const auto d = copy("data.h5", "d.h5"), t = copy("truth.h5", "t.h5"), replica = copy("truth.h5", "r-0.h5");
    fs::create_symlink(d, dir_ / "link.h5");
    const std::string before_data = slurp(d), before_truth = slurp(t);
    expect_refused(mic("loglik --data " + d + " --params " + t + " --per-user " + path("link.h5") + " --force"), 1,
                   "--per-user " + path("link.h5") + " is the same file as --data");
    expect_refused(mic("loglik --data " + d + " --params " + t + " --per-user " + path("sub/../t.h5") + " --force"), 1,
                   "is the same file as --params");
    expect_refused(mic("spread --data " + d + " --train-until 50 --window 10 --periods 2 --out " + d + " --force"), 1,
                   "--out " + d + " is the same file as --data");
    expect_refused(mic(fit_args(d) + " --checkpoint " + d + " --force"), 1, "--checkpoint " + d + " is the same file as --data");
    expect_refused(mic("generate --params " + t + " --horizon 10 --seed 1 --out " + t + " --truth " + path("x.h5") + " --force"), 1,
                   "--out " + t + " is the same file as --params");
    expect_refused(mic("generate --graph er:5:0.5 --w-range 0:0.1 --horizon 10 --seed 1 --out " + path("g.h5") + " --truth " +
                       path("g.h5")), 1, "--truth " + path("g.h5") + " is the same file as --out");
    expect_refused(mic("simulate --params " + replica + " --horizon 10 --replicas 2 --seed 1 --out " + path("r") + " --force"), 1,
                   "--out " + replica + " is the same file as --params");
    EXPECT_EQ(slurp(d), before_data);
    EXPECT_EQ(slurp(t), before_truth);
    EXPECT_EQ(slurp(replica), before_truth);
    EXPECT_EQ(other_files({"d.h5", "t.h5", "r-0.h5", "link.h5"}), strings{});
}

TEST_F(Robustness, AnExistingCheckpointIsNeverOverwrittenWithoutResumeOrForce) {
    const auto notes = path("notes.txt");
    std::ofstream(notes) << "my notes\n";
    expect_refused(mic(fit_args(data()) + " --checkpoint " + notes), 1, notes + ": exists; add --resume to continue from it");
    EXPECT_EQ(slurp(notes), "my notes\n");
    EXPECT_EQ(other_files({"notes.txt"}), strings{});
}

// Case 3: a checkpoint of another window or dataset "converged" with a negative gain.
TEST_F(Robustness, ResumeRefusesACheckpointOfAnotherTrainingWindowOrDataset) {
    const std::string checkpoint = " --checkpoint " + path("ck.h5");
    ASSERT_EQ(mic(fit_args(data()) + " --max-iter 1" + checkpoint).exit_code, 0);
    fs::remove(path("fit.h5"));
    expect_refused(mic(fit_args(data()) + checkpoint + " --resume --train-fraction 0.5"), 1,
                   "its training window differs from");
    expect_refused(mic(fit_args((shared_ / "other.h5").string()) + checkpoint + " --resume"), 1,
                   "it was written for another dataset (checksum differs");
    EXPECT_FALSE(fs::exists(path("fit.h5")));
}

// Case 4: a huge n_cascades attribute was trusted (16 GiB allocated, bad_alloc with exit 3).
TEST_F(Robustness, SizesBeyondWhatTheFileStoresAreRefusedAtOpenByEverySubcommand) {
    const auto cascades = copy("data.h5", "cascades.h5"), declared = copy("data.h5", "declared.h5");
    testing::set_attribute<std::int64_t>(cascades, "n_cascades", 2147483647);
    testing::declare_unwritten_matrix(declared, "/events/time", std::int64_t(1) << 40, 0);
    for (const std::string& sub: strings{"info --data ", "loglik --params " + truth() + " --data ",
                                 "fit --model mic --beta 5 --tau 1 --out " + path("f.h5") + " --data "}) {
        expect_refused(mic(sub + cascades), 1, "attribute n_cascades: is 2147483647 but the file holds");
        expect_refused(mic(sub + declared), 1, "/events/time declares 1099511627776 elements");
    }
    EXPECT_EQ(other_files({"cascades.h5", "declared.h5"}), strings{});
}

// Case 5: `expect --times 1e9` ran for 8 minutes.
TEST_F(Robustness, ExpectRefusesUnboundedWorkInsteadOfRunningForMinutes) {
    const auto start = std::chrono::steady_clock::now();
    expect_refused(mic("expect --params " + truth() + " --times 1e9"), 1, "closed forms: the time t = 1e+09");
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 20.0);
}

// Case 5: `--horizon 1e308 --max-events 1000` exhausted memory, and generate left its files.
TEST_F(Robustness, AnAstronomicalHorizonRunsOnlyWhenMaxEventsBoundsIt) {
    expect_refused(mic("simulate --params " + truth() + " --horizon 1e308 --replicas 2 --seed 1 --out " + path("s")), 1,
                   "or bound the run with --max-events N");
    expect_refused(mic("generate --graph er:5:0.5 --w-range 0:0.1 --horizon 1e308 --seed 1 --out " + path("g.h5") +
                       " --truth " + path("gt.h5")), 1, "or bound the run with --max-events N");
    EXPECT_EQ(other_files({}), strings{});
    const auto s = mic("simulate --params " + truth() + " --horizon 1e308 --max-events 100 --replicas 2 --seed 1 --json --out " +
                       path("s"));
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_EQ(nlohmann::json::parse(s.out)["n_events_per_replica"], nlohmann::json::parse("[100, 100]"));
    EXPECT_TRUE(nlohmann::json::parse(s.out)["expected_n_events"].is_null());
    const auto g = mic("generate --graph er:5:0.5 --w-range 0:0.1 --horizon 1e308 --max-events 100 --seed 1 --json --out " +
                       path("g.h5") + " --truth " + path("gt.h5"));
    ASSERT_EQ(g.exit_code, 0) << g.err;
    EXPECT_EQ(nlohmann::json::parse(g.out)["n_events"], 100);
}

TEST_F(Robustness, GenerateLeavesNeitherFileWhenItCannotWriteBoth) {
    expect_refused(mic("generate --graph er:5:0.5 --w-range 0:0.1 --horizon 10 --seed 1 --out " + path("g.h5") +
                       " --truth " + path("missing/gt.h5")), 1, "does not exist; create it first");
    std::ofstream(path("taken.h5")) << "keep";
    expect_refused(mic("generate --graph er:5:0.5 --w-range 0:0.1 --horizon 10 --seed 1 --out " + path("g.h5") +
                       " --truth " + path("taken.h5")), 1, "taken.h5 already exists; pass --force");
    EXPECT_EQ(slurp(path("taken.h5")), "keep");
    EXPECT_EQ(other_files({"taken.h5"}), strings{});
}

// Case 6: `mpirun fit` on a dataset without events wrote all-zero params as "converged".
TEST_F(Robustness, FitRefusesADatasetWithoutEventsInItsTrainingWindowOnTwoRanks) {
    ASSERT_EQ(mic("generate --graph er:6:0.5 --mu-range 0:0 --w-range 0:0.1 --horizon 10 --seed 1 --out " + path("empty.h5") +
                  " --truth " + path("empty-truth.h5")).exit_code, 0);
    const auto r = mic(fit_args(path("empty.h5")), 2);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(count(r.err, "mic: error: " + path("empty.h5") + ": no event in the training window"), 1) << r.err;
    EXPECT_FALSE(fs::exists(path("fit.h5")));
}

// Case 7: simulate wrote PREFIX-0.h5, then failed on an existing PREFIX-1.h5.
TEST_F(Robustness, SimulateReservesEveryReplicaNameBeforeDrawingAnyOnOneAndTwoRanks) {
    std::ofstream(path("s-1.h5")) << "keep";
    for (int ranks: {0, 2}) {
        const auto r = mic("simulate --params " + truth() + " --horizon 10 --replicas 3 --seed 1 --out " + path("s"), ranks);
        EXPECT_EQ(r.exit_code, 1) << r.err;
        EXPECT_EQ(count(r.err, "mic: error: " + path("s-1.h5") + " already exists; pass --force to overwrite it"), 1) << r.err;
        EXPECT_EQ(slurp(path("s-1.h5")), "keep");
        EXPECT_EQ(other_files({"s-1.h5"}), strings{}) << "ranks " << ranks;
    }
}

// Case 8: `fit --beta 1e6` "converged" with a users' KKT residual of 859999.
TEST_F(Robustness, FitRefusesABetaBeyondWhatTheLogSumExpKeepsFinite) {
    const auto r = mic("fit --data " + data() + " --model mic --beta 1e6 --tau 1 --out " + path("fit.h5"));
    expect_refused(r, 2, "--beta must be a number in [0, 1e5]");
    EXPECT_NE(r.err.find("beta 1e+06 is beta 278 in hours"), std::string::npos) << r.err;  // and how to get there
    EXPECT_FALSE(fs::exists(path("fit.h5")));
}

// `fit --beta 0` ran for mic: with a uniform mixing Σ is not identified, and the fit said nothing.
TEST_F(Robustness, FitRefusesBetaZeroForTheModelsWhoseMixingItSharpens) {
    for (const std::string model: {"mic", "cc"}) {
        const auto r = mic("fit --data " + data() + " --model " + model + " --beta 0 --tau 1 --out " + path("fit.h5"));
        expect_refused(r, 2, "--beta 0 with --model " + model + ": the mixing is then uniform over the cascades");
        EXPECT_FALSE(fs::exists(path("fit.h5")));
    }
    const auto linear = mic("fit --data " + data() + " --model ic --beta 0 --tau 1 --out " + path("fit.h5"));  // β unused
    EXPECT_EQ(linear.exit_code, 0) << linear.err;
}

// `fit --feature-memory -5`, `nan` or `1e300` were accepted (the last converted to a byte count out of
// range); `cv` had no such option and held the engine's default.
TEST_F(Robustness, FitAndCvRefuseAFeatureMemoryThatIsNotASizeInMegabytes) {
    for (const std::string bad : {"-5", "nan", "1e300"}) {
        expect_refused(mic("fit --data " + data() + " --model ic --tau 1 --out " + path("fit.h5") + " --feature-memory " + bad),
                       2, "--feature-memory must be a number of MB in [0, 1e9]");
        expect_refused(mic("cv --data " + data() + " --model ic --taus 1 --betas 1 --out " + path("cv.h5") +
                           " --feature-memory " + bad),
                       2, "--feature-memory must be a number of MB in [0, 1e9]");
    }
    EXPECT_EQ(other_files({}), strings{});
}

// Audit, 2026-11-29: `fit --init` with weights of 1e308 (finite, so the file passed) gave L = −inf at
// the start, said "nothing to fit", exited 0 and wrote loglik = NaN; a τ of 1e-320 ended in "a bug in the
// program". Both are now refused before any output, naming where the start came from.
TEST_F(Robustness, FitRefusesAStartWhoseLikelihoodIsNotFiniteAndATauBelowTheTimesResolution) {
    ASSERT_EQ(mic("fit --data " + data() + " --model cc --beta 5 --tau 1 --max-iter 1 --out " + path("cc.h5")).exit_code, 0);
    const auto huge = copy("truth.h5", "huge.h5");
    testing::replace_dataset(huge, "/W/weight", std::vector<double>(io::read_params(huge).weight.size(), 1e308));
    const std::string why = "--init " + huge + ": the training log-likelihood at the start is -inf (largest baseline ";
    expect_refused(mic(fit_args(data()) + " --max-iter 2 --init " + huge), 1, why);
    const auto two = mic(fit_args(data()) + " --max-iter 2 --init " + huge, 2);  // OpenMPI adds its notice after mic's line
    EXPECT_EQ(two.exit_code, 1) << two.err;
    EXPECT_EQ(count(two.err, "mic: error: " + why), 1) << two.err;
    EXPECT_EQ(count(two.err, "MPI_ABORT"), 0) << two.err;
    EXPECT_EQ(other_files({"cc.h5", "huge.h5"}), strings{});
    expect_refused(mic("fit --data " + data() + " --model ic --tau 1e-320 --out " + path("fit.h5")), 1,
                   "tau 1e-320 is below the resolution of this dataset's times");
    expect_refused(mic("fit --data " + data() + " --model ic --tau 1e-15 --out " + path("fit.h5")), 1,
                   "tau 1e-15 is below the resolution of this dataset's times");
    EXPECT_EQ(other_files({"cc.h5", "huge.h5"}), strings{});
}

// Audit, 2026-11-29: a log whose events all share one time imported silently and then failed in fit
// with "likelihood window [5, 5] is empty …; choose from < to", naming no file and options fit lacks.
TEST_F(Robustness, AZeroWidthObservationWindowIsNamedAtImportAndRefusedByFitWithTheFile) {
    const auto events = path("same.csv");
    std::ofstream(events) << "user,cascade,time\na,c,5\nb,c,5\na,d,5\n";
    const auto imported = mic("import --events " + events + " --complete-graph --out " + path("same.h5"));
    EXPECT_EQ(imported.exit_code, 0) << imported.err;
    EXPECT_NE(imported.err.find("warning: " + events + ": the observation window [5, 5] has zero width"), std::string::npos)
        << imported.err;
    expect_refused(mic(fit_args(path("same.h5")) + " --train-fraction 1"), 1,
                   path("same.h5") + ": its observation window [5, 5] has zero width");
    EXPECT_EQ(other_files({"same.csv", "same.h5"}), strings{});
}

// Audit, 2026-11-29: `loglik --test` on params fitted with --train-fraction 1 said the dataset had an
// empty observation window.
TEST_F(Robustness, LoglikTestAfterAFitOnTheWholeWindowSaysWhyNothingIsLeftToScore) {
    ASSERT_EQ(mic(fit_args(data()) + " --train-fraction 1 --max-iter 1").exit_code, 0);
    expect_refused(mic("loglik --data " + data() + " --params " + path("fit.h5") + " --test"), 1,
                   "these params were fitted on the whole of " + data());
    // A training window that ends after the dataset's (params of other data, or a damaged t_end): said
    // as it is, not as "train_end = its t_end" (second audit, 2026-11-29).
    const std::string later = "import h5py; f = h5py.File('" + path("fit.h5") + "', 'r+'); f.attrs['train_end'] = 1e9";
    ASSERT_EQ(std::system(("/usr/bin/python3 -c \"" + later + "\"").c_str()), 0);
    expect_refused(mic("loglik --data " + data() + " --params " + path("fit.h5") + " --test"), 1,
                   "ends at train_end 1000000000, after the end of " + data() + "'s observation window");
}

// Audit, 2026-11-29: a headerless log with hashtags first was all comments: "no events (the file is empty)".
TEST_F(Robustness, AHeaderlessLogWithHashtagsFirstImportsWithColumnsAndOtherwiseSaysWhatToDo) {
    const auto events = path("tags.csv");
    std::ofstream(events) << "#tag1,alice,1\n#tag2,bob,2\n#tag1,bob,3\n";
    expect_refused(mic("import --events " + events + " --complete-graph --out " + path("tags.h5")), 1,
                   events + ": no events: each of its 3 non-blank lines starts with '#' and was taken for a comment; if its "
                   "first column holds hashtags, pass --columns");
    const auto r = mic("import --events " + events + " --complete-graph --columns cascade,user,time --out " + path("tags.h5"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("2 users, 2 cascades, 3 events"), std::string::npos) << r.out;
}

// Audit, 2026-11-29: a supercritical ρ(W)·τ of 7e199 was printed as 63 digits of a wrong number.
TEST_F(Robustness, AHugeSpectralRadiusIsPrintedInScientificNotation) {
    const auto huge = copy("truth.h5", "huge.h5");
    std::vector<double> weights = io::read_params(huge).weight;
    for (double& w : weights) w *= 1e200;
    testing::replace_dataset(huge, "/W/weight", weights);
    const auto r = mic("simulate --params " + huge + " --horizon 1 --seed 1 --max-events 50 --out " + path("s"));
    EXPECT_NE(r.out.find("rho(W)*tau = "), std::string::npos) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("e+"), std::string::npos) << r.out << r.err;
    for (const auto& text : {r.out, r.err}) {
        const auto at = text.find("rho(W)*tau = ");
        if (at == std::string::npos) continue;
        const auto figure = text.substr(at + 13, text.find_first_of(" \n", at + 13) - at - 13);
        EXPECT_LE(figure.size(), 12u) << figure;
    }
}

// Audit, 2026-11-29: a log with tens of thousands of cascades (URLs) imported silently, then fit spent
// half a minute allocating dense C×C matrices and died with std::bad_alloc. 200,000 cascades: 320 GB
// per copy, more than any machine this runs on.
TEST_F(Robustness, TensOfThousandsOfCascadesAreNamedAtImportAndRefusedAtOnceByFitCvAndGenerate) {
    const auto events = path("urls.csv");
    {
        std::ofstream out(events);
        out << "user,cascade,time\n";
        for (int i = 0; i < 200000; ++i) out << "u" << i % 10 << ",https://example.com/" << i << "," << i << "\n";
    }
    const auto imported = mic("import --events " + events + " --complete-graph --out " + path("urls.h5"));
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    EXPECT_NE(imported.err.find("200,000 cascades; the models hold Sigma as a dense cascades x cascades matrix, 320 GB per copy"),
              std::string::npos) << imported.err;
    const std::string refusal = "200,000 cascades; the models hold Sigma as a dense cascades x cascades matrix, 320 GB each";
    expect_refused(mic("fit --data " + path("urls.h5") + " --model ic --tau 1 --out " + path("fit.h5")), 1,
                   path("urls.h5") + ": " + refusal);
    expect_refused(mic("cv --data " + path("urls.h5") + " --model ic --taus 1 --betas 1 --out " + path("cv.h5")), 1,
                   path("urls.h5") + ": " + refusal);
    expect_refused(mic("generate --graph er:10:0.5 --cascades 200000 --horizon 1 --seed 1 --out " + path("g.h5") + " --truth " +
                       path("gt.h5")), 1, "--cascades: " + refusal);
    EXPECT_EQ(other_files({"urls.csv", "urls.h5"}), strings{});
}

// Case 9: a NUL byte silently cut a name, and two users then shared it.
TEST_F(Robustness, ImportRefusesANulByteInsideANameNamingFileAndLine) {
    const auto events = path("nul.csv");
    std::ofstream(events, std::ios::binary) << std::string("user,cascade,time\nal\0ice,c,1\nal\0bert,c,2\n", 41);
    expect_refused(mic("import --events " + events + " --complete-graph --out " + path("nul.h5")), 1,
                   "mic: error: " + events + ":2: a NUL byte (\\0) at column 3");
    EXPECT_EQ(other_files({"nul.csv"}), strings{});
}

// Case 10: `info --top -1` was accepted.
TEST_F(Robustness, NegativeCountsAndSignedSeedsAreUsageErrors) {
    expect_refused(mic("info --data " + data() + " --top -1"), 2, "--top -1: must be at least 0");
    const std::string simulate = "simulate --params " + truth() + " --horizon 10 --out " + path("s");
    expect_refused(mic(simulate + " --seed 1 --replicas -1"), 2, "--replicas -1: must be at least 1");
    expect_refused(mic(simulate + " --seed 1 --max-events -5"), 2, "--max-events -5: must be at least 0");
    expect_refused(mic(simulate + " --seed -1"), 2, "--seed '-1': a seed is a whole number");
    expect_refused(mic("generate --graph er:5:0.5 --horizon 10 --seed 1 --cascades -2 --out " + path("g.h5") + " --truth " +
                       path("gt.h5")), 2, "--cascades -2: must be at least 1");
    EXPECT_EQ(other_files({}), strings{});
}

// Case 11: under mpirun one error printed mic's line and ~10 lines of mpirun's.
TEST_F(Robustness, UnderMpirunAnErrorIsMicsOneLineWithTheSameExitCodeAndNoAbort) {
    const std::string missing = " info --data " + path("missing.h5");
    // mpirun -q drops OpenMPI's notice about the non-zero exit: only mic's line is left.
    const std::string quiet = std::string(MPIEXEC) + " -q -n 2 --oversubscribe " + MIC_BINARY + missing + " >" +
                              path("stdout") + " 2>" + path("stderr");
    const int status = std::system(quiet.c_str());
    EXPECT_EQ(WEXITSTATUS(status), 1);
    EXPECT_EQ(slurp(path("stderr")), "mic: error: " + path("missing.h5") + ": no such file; check the path\n");
    // Without -q OpenMPI adds its notice, but mic's line is printed once and no rank aborts.
    const auto r = mic(missing, 2);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(count(r.err, "mic: error"), 1) << r.err;
    EXPECT_EQ(count(r.err, "MPI_ABORT"), 0) << r.err;
    const auto usage = mic("fit --data " + data() + " --model x --tau 1 --out " + path("q.h5"), 2);
    EXPECT_EQ(usage.exit_code, 2);  // the code of the error, not mpirun's own
}

} // namespace
} // namespace mic
