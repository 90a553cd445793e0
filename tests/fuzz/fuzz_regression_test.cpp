// Inputs the fuzzers once crashed on (fuzz/run keeps them; fixed, they are saved here) and the
// committed seeds, replayed through the same harnesses as the libFuzzer targets: each must be
// handled — read, or refused with mic's one-line error — with no oracle failing and no other
// exception escaping.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "fuzz/harness/harnesses.hpp"

namespace {

namespace fs = std::filesystem;
using harness = void (*)(const std::uint8_t*, std::size_t);

std::vector<fs::path> inputs_of(const std::string& name) {
    std::vector<fs::path> files;
    for (const char* root: {MIC_FUZZ_REGRESSIONS, MIC_FUZZ_SEEDS})
        if (fs::is_directory(fs::path(root) / name))
            for (const auto& entry: fs::directory_iterator(fs::path(root) / name))
                if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') files.push_back(entry.path());
    return files;
}

// Replays every saved input of `name`; returns how many there were.
std::size_t replay(const std::string& name, harness run) {
    const auto files = inputs_of(name);
    for (const auto& file: files) {
        std::ifstream in(file, std::ios::binary);
        const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        EXPECT_NO_THROW(run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())) << file;
    }
    return files.size();
}

TEST(FuzzRegressions, EverySavedCsvImporterInputIsReadOrRefusedInOneLine) {
    EXPECT_GT(replay("csv_import", mic::fuzz::csv_import), 0u);
}

TEST(FuzzRegressions, EverySavedDatasetReaderInputIsReadAlikeByAllReadersOrRefused) {
    EXPECT_GT(replay("dataset_reader", mic::fuzz::dataset_reader), 0u);
}

TEST(FuzzRegressions, EverySavedParamsReaderInputIsReadAndUsableOrRefused) {
    EXPECT_GT(replay("params_reader", mic::fuzz::params_reader), 0u);
}

} // namespace
