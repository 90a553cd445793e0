#pragma once
// Helpers of the `mic import` tests: a scratch directory with input files and import options
// pointing into it; running an import that must fail, and checking that nothing was left behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "engine/support/error.hpp"
#include "io/dataset_file.hpp"
#include "io/event_import.hpp"
#include "tests/support/test_world.hpp"

namespace mic::testing {

using strings = std::vector<std::string>;
using ids = std::vector<std::int32_t>;
using offsets = std::vector<std::int64_t>;
using times = std::vector<double>;

// A scratch directory with input files, import options pointing into it, and the log lines.
class import_case {
public:
    explicit import_case(const std::string& name): dir_(scratch_directory("import_" + name)) {
        options.events = dir_ / "events.csv";
        options.out = dir_ / "out.h5";
        options.log = [this](const std::string& line) { log.push_back(line); };
    }
    ~import_case() {
        std::error_code ignored;  // the tests that use it run in one process only
        std::filesystem::remove_all(dir_, ignored);
    }
    import_case(const import_case&) = delete;
    import_case& operator=(const import_case&) = delete;
    std::filesystem::path write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name, std::ios::binary) << text;
        inputs_.insert(name);
        return dir_ / name;
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    // How many times the import logged exactly `line`.
    long logged(const std::string& line) const { return std::count(log.begin(), log.end(), line); }

    dataset run() {
        summary = io::import_events(options);
        return io::read_dataset(options.out);
    }
    // The message of the input_error that import_events throws ("(no error)" if none).
    std::string error() {
        try {
            io::import_events(options);
        } catch (const input_error& e) {
            return e.what();
        }
        return "(no error)";
    }
    // The directory holds the inputs and nothing else: no output, no temporary.
    std::set<std::string> entries() const {
        std::set<std::string> names;
        for (const auto& entry: std::filesystem::directory_iterator(dir_))
            names.insert(entry.path().filename().string());
        return names;
    }
    const std::set<std::string>& inputs() const { return inputs_; }

    io::import_options options;
    io::import_summary summary;
    strings log;

private:
    std::filesystem::path dir_;
    std::set<std::string> inputs_;
};

// Runs the import, expects `message`, and checks that the directory holds only the inputs.
inline void expect_rejected(import_case& c, const std::string& message) {
    EXPECT_EQ(c.error(), message);
    EXPECT_EQ(c.entries(), c.inputs());
}

} // namespace mic::testing
