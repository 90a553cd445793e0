// Progress lines: the text, and an ETA that extrapolates from the start of the current run of the
// work — a later outer iteration's user step must not be timed from the first one's start.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "engine/distributed/communicator.hpp"
#include "launch/cli/console.hpp"

namespace mic::cli {
namespace {

TEST(ProgressText, ShowsPercentAndTheExtrapolatedTimeLeft) {
    EXPECT_EQ(progress_text("user step", 0.25, 30.0), "user step 25.0 % (ETA 90 s)");
    EXPECT_EQ(progress_text("user step", 0.0, 30.0), "user step 0.0 %");
    EXPECT_EQ(progress_text("simulation", 1.0, 30.0), "simulation 100.0 %");
}

// Captures std::cerr while alive.
struct captured_stderr {
    std::ostringstream text;
    std::streambuf* saved = std::cerr.rdbuf(text.rdbuf());
    ~captured_stderr() { std::cerr.rdbuf(saved); }
};

TEST(ConsoleProgress, ASmallerFractionStartsANewRunSoItsEtaIsNotTimedFromTheFirstRun) {
    console::configure(false, 1e-6);  // a line on every call
    const console out(make_local_communicator(), "fit");
    captured_stderr err;
    // A line is printed once the interval has passed since the last line or since the run began.
    out.progress("user step", 0.5);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    out.progress("user step", 1.0);     // the first run ends after 1 s
    out.progress("user step", 0.0005);  // the next iteration's user step begins
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    out.progress("user step", 0.001);   // 0.1 % after ~2 ms
    console::configure(false, 10);
    const std::string text = err.text.str();
    const auto last = text.rfind("user step 0.1 % (ETA ");
    ASSERT_NE(last, std::string::npos) << text;
    const double eta = std::stod(text.substr(last + std::string("user step 0.1 % (ETA ").size()));
    // Timed from the first run's start (≥ 1 s for 0.1 %) the ETA would be ≥ 1000 s; from its own start
    // (~2 ms for 0.1 %) a few seconds — below 500 s unless this process stalls for half a second.
    EXPECT_LT(eta, 500) << text;
}

} // namespace
} // namespace mic::cli
