// `mic loglik` end to end: the totals on 1, 2 and 3 ranks agree to 1e-12 relative and equal the
// engine's single-process value; --per-user files hold the engine's per-user values and add up to
// the total; bad inputs give one line, a non-zero exit and no --per-user file.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>

#include "engine/data/event_data.hpp"
#include "engine/distributed/communicator.hpp"
#include "engine/likelihood/shard_likelihood.hpp"
#include "io/dataset_file.hpp"
#include "io/hdf5_file.hpp"
#include "io/params_file.hpp"
#include "tests/launch/mic_run_fixture.hpp"
#include "tests/support/random_dataset.hpp"

namespace mic {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::count;
using testing::slurp;

dataset test_dataset(std::int32_t n_users, std::uint64_t seed) {
    testing::random_dataset_spec spec;
    spec.n_users = n_users;
    spec.n_cascades = 3;
    spec.edge_probability = 0.2;
    spec.self_loops = true;
    spec.mean_events_per_user = 6.0;
    spec.t_end = 20.0;
    return testing::make_random_dataset(spec, seed);  // names, time unit "s", time_origin 2024-01-01
}

model_params test_params(const dataset& d, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.05, 0.5);
    auto p = make_uniform_params(model_variant::mic, 2.0, 1.5, d.header.n_cascades, d.graph, 0.0, 0.0);
    for (auto& x: p.mu) x = unit(rng);
    for (auto& x: p.weight) x = unit(rng) * 0.5;
    for (std::int32_t s = 0; s < p.n_cascades; ++s) {  // a random row-stochastic Σ
        double row = 0;
        for (std::int32_t c = 0; c < p.n_cascades; ++c) row += p.sigma[std::size_t(s * p.n_cascades + c)] = unit(rng);
        for (std::int32_t c = 0; c < p.n_cascades; ++c) p.sigma[std::size_t(s * p.n_cascades + c)] /= row;
    }
    return p;
}

// The engine in this process, all users on one rank: the oracle of the command.
loglik_result engine_value(const dataset& d, const model_params& p, likelihood_window w) {
    std::vector<std::int32_t> all(std::size_t(d.header.n_users));
    std::iota(all.begin(), all.end(), 0);
    return evaluate_loglik(make_local_communicator(), make_shard(d, all), p, w, "p.h5");
}

void expect_relative(double actual, double expected, const std::string& what) {
    EXPECT_NEAR(actual, expected, 1e-12 * std::abs(expected)) << what;
}

class LoglikCommand: public testing::mic_run_fixture {
protected:
    void SetUp() override {
        mic_run_fixture::SetUp();
        io::write_dataset(data_path(), data_, false);
        io::write_params(params_path(), params_, {}, false);
    }

    std::string inputs() const { return "loglik --data " + data_path().string() + " --params " + params_path().string(); }
    fs::path data_path() const { return dir_ / "d.h5"; }
    fs::path params_path() const { return dir_ / "p.h5"; }
    // Files other than the inputs and the captured output: must be none after a failure.
    std::vector<std::string> outputs() const {
        std::vector<std::string> names;
        for (const auto& entry: fs::directory_iterator(dir_)) {
            const auto name = entry.path().filename().string();
            if (name != "d.h5" && name != "p.h5" && name != "stdout" && name != "stderr") names.push_back(name);
        }
        return names;
    }
    // A run that must fail with one line naming `part`, leaving no output file.
    void expect_failure(const std::string& args, int exit_code, const std::string& part, int ranks = 0) {
        const auto r = mic(args, ranks);
        EXPECT_EQ(r.exit_code, exit_code) << args << "\n" << r.err;
        EXPECT_EQ(count(r.err, "mic: error:"), 1) << r.err;
        if (ranks == 0) {
            EXPECT_EQ(count(r.err, "\n"), 1) << r.err;  // (mpiexec adds its own banner)
        }
        EXPECT_NE(r.err.find(part), std::string::npos) << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(outputs(), std::vector<std::string>{}) << args;
    }

    dataset data_ = test_dataset(30, 17);
    model_params params_ = test_params(data_, 18);
};

// Checks the --per-user CSV against the engine's per-user values; returns the sum of its values.
double check_per_user_csv(const fs::path& csv, const dataset& data, const loglik_result& oracle) {
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "user,name,loglik,n_events");
    double sum = 0;
    std::int64_t events = 0;
    std::int32_t u = 0;
    for (; std::getline(in, line); ++u) {
        std::stringstream fields(line);
        std::string id, name, value, n;
        std::getline(fields, id, ',');
        std::getline(fields, name, ',');
        std::getline(fields, value, ',');
        std::getline(fields, n, ',');
        if (u >= data.header.n_users) break;
        EXPECT_EQ(id, std::to_string(u));
        EXPECT_EQ(name, data.user_names[std::size_t(u)]);
        EXPECT_EQ(std::stod(value), oracle.per_user[std::size_t(u)]) << line;  // exact: printed to round-trip
        EXPECT_EQ(std::stoll(n), oracle.per_user_events[std::size_t(u)]) << line;
        sum += std::stod(value);
        events += std::stoll(n);
    }
    EXPECT_EQ(u, data.header.n_users);
    EXPECT_EQ(events, oracle.n_events);
    return sum;
}

// One run per rank count (1, 2, 3); the 2-rank run also writes the per-user CSV, the 3-rank run
// the per-user HDF5 file (each mic start costs ~0.4 s, so runs are shared).
TEST_F(LoglikCommand, TotalsAreTheSameOnOneTwoAndThreeRanksAndEqualTheEngine) {
    const auto oracle = engine_value(data_, params_, whole_window(data_.header));
    ASSERT_GT(oracle.n_events, 50);
    const auto csv = dir_ / "users.csv", h5 = dir_ / "users.h5";
    std::vector<json> runs;
    for (int ranks: {0, 2, 3}) {
        const std::string per_user = ranks == 2 ? " --per-user " + csv.string() : ranks == 3 ? " --per-user " + h5.string() : "";
        const auto r = mic(inputs() + per_user + " --json", ranks);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        runs.push_back(json::parse(r.out));
        EXPECT_EQ(runs.back()["n_ranks"], ranks == 0 ? 1 : ranks);
    }
    const double single = runs[0]["loglik"].get<double>();
    expect_relative(single, oracle.loglik, "1 rank vs the engine");
    for (const auto& j: runs) {
        expect_relative(j["loglik"].get<double>(), single, "n ranks vs 1 rank");
        EXPECT_EQ(j["n_events"], oracle.n_events);
        EXPECT_EQ(j["from"].get<double>(), 0.0);
        EXPECT_EQ(j["to"].get<double>(), 20.0);
        EXPECT_EQ(j["model"], "mic");
        EXPECT_GE(j["seconds"].get<double>(), 0.0);
        ASSERT_EQ(j["per_cascade"].size(), 3u);
        double split = 0;
        for (std::size_t c = 0; c < 3; ++c) {
            const auto& pc = j["per_cascade"][c];
            EXPECT_EQ(pc["cascade"], c);
            EXPECT_EQ(pc["name"], data_.cascade_names[c]);
            EXPECT_EQ(pc["n_events"], oracle.per_cascade_events[c]);
            expect_relative(pc["loglik"].get<double>(), oracle.per_cascade[c], "cascade " + std::to_string(c));
            split += pc["loglik"].get<double>();
        }
        expect_relative(split, single, "per-cascade values add up to the total");
    }
    // The per-user files hold the engine's values (bitwise: per-user terms do not depend on the
    // sharding), which add up to the total.
    EXPECT_EQ(runs[0]["per_user"], nullptr);
    EXPECT_EQ(runs[1]["per_user"], csv.string());
    expect_relative(check_per_user_csv(csv, data_, oracle), single, "per-user CSV values add up to the total");
    const auto file = io::hdf5_file::open_read(h5);
    EXPECT_EQ(file.open_array("/loglik").read_all<double>(), oracle.per_user);
    EXPECT_EQ(file.open_array("/n_events").read_all<std::int64_t>(), oracle.per_user_events);
    EXPECT_EQ(file.open_array("/name").read_strings(), data_.user_names);
    EXPECT_EQ(file.read_double_attribute("from"), 0.0);
    EXPECT_EQ(file.read_double_attribute("to"), 20.0);
    EXPECT_EQ(file.read_double_attribute("loglik"), runs[2]["loglik"].get<double>());
}

TEST_F(LoglikCommand, TheWindowIsSetByNumbersOrByTimestampsOnTheDatasetsCalendar) {
    const auto oracle = engine_value(data_, params_, {5.0, 15.0});
    const auto r = mic(inputs() + " --from 5 --to 15 --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = json::parse(r.out);
    EXPECT_EQ(j["n_events"], oracle.n_events);
    expect_relative(j["loglik"].get<double>(), oracle.loglik, "(5, 15]");
    // The dataset's time 0 is 2024-01-01T00:00:00Z and its unit is seconds.
    const auto iso = mic(inputs() + " --from 2024-01-01T00:00:05Z --to 2024-01-01T00:00:15Z --json");
    ASSERT_EQ(iso.exit_code, 0) << iso.err;
    EXPECT_EQ(json::parse(iso.out)["loglik"].get<double>(), j["loglik"].get<double>());
}

TEST_F(LoglikCommand, AnExistingPerUserFileIsReplacedOnlyWithForce) {
    const auto csv = dir_ / "users.csv";
    std::ofstream(csv) << "keep me\n";
    const auto r = mic(inputs() + " --per-user " + csv.string());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("already exists; pass --force"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(csv), "keep me\n");
    const auto forced = mic(inputs() + " --per-user " + csv.string() + " --force");
    ASSERT_EQ(forced.exit_code, 0) << forced.err;
    EXPECT_EQ(slurp(csv).rfind("user,name,loglik,n_events\n", 0), 0u);
    // The text report: window with its unit (closed at the dataset's t_start = 0, whose events are
    // scored), cascades by name, where the per-user file went.
    EXPECT_NE(forced.out.find("[0, 20] s"), std::string::npos) << forced.out;
    EXPECT_NE(forced.out.find("#topic2"), std::string::npos) << forced.out;
    EXPECT_NE(forced.out.find("written to " + csv.string()), std::string::npos) << forced.out;
}

TEST_F(LoglikCommand, ParamsOfAnotherDatasetAreRefusedNamingBothFiles) {
    const auto other = test_dataset(31, 17);
    io::write_params(params_path(), test_params(other, 18), {}, true);
    const auto csv = (dir_ / "users.csv").string();
    expect_failure(inputs() + " --per-user " + csv, 1,
                   params_path().string() + ": the parameters are for 31 users and 3 cascades but " +
                       data_path().string() + " has 30 users and 3 cascades; use the params fitted on this dataset");
}

TEST_F(LoglikCommand, ParamsOnAnotherGraphAreRefusedOnceUnderTwoRanks) {
    auto other = test_dataset(30, 99);  // same users and cascades, another random graph
    io::write_params(params_path(), test_params(other, 18), {}, true);
    expect_failure(inputs() + " --per-user " + (dir_ / "users.h5").string(), 1, "differ from the dataset graph", 2);
}

TEST_F(LoglikCommand, BadWindowsAreOneLineErrors) {
    // The dataset's times have a calendar (time 0 is 2024-01-01T00:00:00Z, in seconds): windows are
    // shown as the instants they stand for.
    expect_failure(inputs() + " --from 15 --to 5", 1,
                   "the window (2024-01-01T00:00:15Z, 2024-01-01T00:00:05Z] is empty; give --from a smaller than --to b");
    expect_failure(inputs() + " --to 25", 1,
                   "the window [2024-01-01T00:00:00Z, 2024-01-01T00:00:25Z] reaches outside the observation window "
                   "[2024-01-01T00:00:00Z, 2024-01-01T00:00:20Z] of " + data_path().string());
    expect_failure(inputs() + " --from soon", 2, "--from 'soon'");
    // A dataset without a calendar origin cannot take timestamps, and shows its windows as numbers.
    auto plain = data_;
    plain.header.time_origin.clear();
    io::write_dataset(data_path(), plain, true);
    expect_failure(inputs() + " --from 2024-01-01T00:00:05Z", 1, "--from 2024-01-01T00:00:05Z is a calendar timestamp");
    expect_failure(inputs() + " --from 15 --to 5", 1, "the window (15, 5] is empty; give --from a smaller than --to b");
    expect_failure(inputs() + " --to 25", 1,
                   "the window [0, 25] reaches outside the observation window [0, 20] of " + data_path().string());
}

TEST_F(LoglikCommand, MissingFilesAndUnknownOutputTypesAreOneLineErrors) {
    expect_failure("loglik --data " + data_path().string() + " --params " + (dir_ / "nope.h5").string(), 1,
                   (dir_ / "nope.h5").string() + ": no such file");
    expect_failure(inputs() + " --per-user " + (dir_ / "users.txt").string(), 1, "unknown extension '.txt'");
}

TEST_F(LoglikCommand, HelpExplainsTheWindowAndItsConditioning) {
    const auto r = mic("loglik --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("Usage: mic loglik"), std::string::npos);
    EXPECT_NE(r.out.find("a < t_e <= b"), std::string::npos);
    EXPECT_NE(r.out.find("conditioned on ALL earlier history"), std::string::npos);
    EXPECT_NE(r.out.find("--per-user"), std::string::npos);
    EXPECT_NE(r.out.find("Examples:"), std::string::npos);
}

} // namespace
} // namespace mic
