// atomic_output: no partial output — nothing appears at the final path until commit, the
// temporary never outlives the object, and existing files are replaced only when allowed.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "engine/support/error.hpp"
#include "io/atomic_output.hpp"
#include "tests/io/io_test_support.hpp"

namespace mic {
namespace {

namespace fs = std::filesystem;

std::string contents(const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::size_t entries(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

std::string error_of(const fs::path& p, bool overwrite) {
    try {
        io::atomic_output out(p, overwrite);
    } catch (const input_error& e) {
        return e.what();
    }
    return "no error";
}

TEST(AtomicOutput, WithoutCommitNothingIsLeftBehind) {
    testing::rank_scratch dir;
    fs::path temp;
    {
        io::atomic_output out(dir / "out.h5", false);
        temp = out.temp_path();
        EXPECT_EQ(temp.parent_path(), dir.path());  // same directory: the rename is atomic
        EXPECT_TRUE(fs::exists(temp));
        std::ofstream(temp) << "half-written";
        EXPECT_FALSE(fs::exists(dir / "out.h5"));
    }
    EXPECT_FALSE(fs::exists(temp));
    EXPECT_FALSE(fs::exists(dir / "out.h5"));
    EXPECT_EQ(entries(dir.path()), 0u);
}

TEST(AtomicOutput, CommitMovesTheTemporaryToTheFinalPath) {
    testing::rank_scratch dir;
    {
        io::atomic_output out(dir / "out.h5", false);
        std::ofstream(out.temp_path()) << "complete";
        out.commit();
        EXPECT_FALSE(fs::exists(out.temp_path()));
    }
    EXPECT_EQ(contents(dir / "out.h5"), "complete");
    EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicOutput, ExistingFileIsKeptUnlessOverwriteIsAllowed) {
    testing::rank_scratch dir;
    const fs::path target = dir / "out.h5";
    std::ofstream(target) << "old";
    EXPECT_EQ(error_of(target, false), target.string() + " already exists; pass --force to overwrite it");
    EXPECT_EQ(contents(target), "old");
    {
        io::atomic_output out(target, true);
        std::ofstream(out.temp_path()) << "new";
        EXPECT_EQ(contents(target), "old");  // untouched until commit
        out.commit();
    }
    EXPECT_EQ(contents(target), "new");
    EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicOutput, FailedRunKeepsTheOldFileWhenOverwriting) {
    testing::rank_scratch dir;
    const fs::path target = dir / "out.h5";
    std::ofstream(target) << "old";
    try {
        io::atomic_output out(target, true);
        std::ofstream(out.temp_path()) << "partial";
        throw std::runtime_error("the run failed");
    } catch (const std::runtime_error&) {
    }
    EXPECT_EQ(contents(target), "old");
    EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(CommitAll, WhenOneOutputCannotBeCommittedTheOnesBeforeItAreRetracted) {
    testing::rank_scratch dir;
    {
        io::atomic_output first(dir / "a.h5", false), second(dir / "b.h5", false);
        std::ofstream(first.temp_path()) << "a";
        std::ofstream(second.temp_path()) << "b";
        std::ofstream(dir / "b.h5") << "appeared meanwhile";  // second's commit must now refuse
        EXPECT_THROW(io::commit_all({&first, &second}), input_error);
        EXPECT_FALSE(first.committed());
    }
    EXPECT_FALSE(fs::exists(dir / "a.h5"));  // both files or neither
    EXPECT_EQ(contents(dir / "b.h5"), "appeared meanwhile");
    EXPECT_EQ(entries(dir.path()), 1u);  // no temporary left
}

TEST(AtomicOutput, MissingDirectoryIsAClearError) {
    testing::rank_scratch dir;
    const fs::path target = dir / "no" / "such" / "out.h5";
    EXPECT_EQ(error_of(target, false), target.string() + ": directory " + (dir / "no" / "such").string() +
                                           " does not exist; create it first or choose another output path");
}

TEST(AtomicOutput, DirectoryAsOutputIsAClearError) {
    testing::rank_scratch dir;
    EXPECT_NE(error_of(dir.path(), true).find(" is a directory; give the output a file name inside it"), std::string::npos);
}

TEST(AtomicOutput, FileNameInTheCurrentDirectoryWorks) {
    testing::rank_scratch dir;
    const fs::path previous = fs::current_path();
    fs::current_path(dir.path());
    {
        io::atomic_output out("plain.h5", false);
        std::ofstream(out.temp_path()) << "x";
        out.commit();
    }
    fs::current_path(previous);
    EXPECT_EQ(contents(dir / "plain.h5"), "x");
}

} // namespace
} // namespace mic
