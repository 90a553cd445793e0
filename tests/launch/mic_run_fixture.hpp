#pragma once
// A fixture for tests that run the `mic` executable as a user does: a scratch directory, files in
// it, and `mic ARGS` (or `mpiexec -n N mic ARGS`) with its exit code, stdout and stderr.
// MIC_BINARY and MPIEXEC are compile definitions (tests/launch/CMakeLists.txt).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace mic::testing {

struct mic_outcome {
    int exit_code;
    std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Occurrences of `what` in `text`.
inline int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
}

class mic_run_fixture: public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device seed;
        dir_ = std::filesystem::temp_directory_path() / ("mic-cli-" + std::to_string(seed()) + std::to_string(seed()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // Writes `text` to a file of the scratch directory and returns its path.
    std::filesystem::path file(const std::string& name, const std::string& text) const {
        std::ofstream(dir_ / name) << text;
        return dir_ / name;
    }
    // Runs `mic ARGS` (ranks = 0) or `mpiexec -n RANKS --oversubscribe mic ARGS` through the shell.
    mic_outcome mic(const std::string& args, int ranks = 0) const {
        std::string command =
            ranks > 0 ? std::string(MPIEXEC) + " -n " + std::to_string(ranks) + " --oversubscribe " : std::string();
        command += std::string(MIC_BINARY) + " " + args + " >" + (dir_ / "stdout").string() + " 2>" +
                   (dir_ / "stderr").string();
        const int status = std::system(command.c_str());
        return {WEXITSTATUS(status), slurp(dir_ / "stdout"), slurp(dir_ / "stderr")};
    }

    std::filesystem::path dir_;
};

} // namespace mic::testing
