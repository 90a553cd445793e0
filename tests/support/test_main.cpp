// main() of every test binary. The same binary runs alone and under `mpiexec -n N`:
// - every rank runs every test; tests that are collective use `world()`;
// - only rank 0 prints the usual report; other ranks print their failures only, prefixed by rank;
// - every rank returns the same exit code (failed anywhere means failed everywhere), so mpiexec and
//   ctest see one verdict.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>

#include "launch/mpi_environment.hpp"
#include "tests/support/test_world.hpp"

namespace mic::testing {
namespace {

std::optional<communicator> the_world;

// Prints failed assertions of a non-root rank, so no failure goes unseen.
class failure_printer: public ::testing::EmptyTestEventListener {
public:
    explicit failure_printer(int rank): rank_(rank) {}
    void OnTestPartResult(const ::testing::TestPartResult& result) override {
        if (!result.failed()) return;
        std::fprintf(stderr, "[rank %d] %s:%d: failure\n%s\n", rank_, result.file_name() ? result.file_name() : "?",
                     result.line_number(), result.summary());
    }

private:
    int rank_;
};

} // namespace

const communicator& world() { return *the_world; }

std::filesystem::path scratch_directory(const std::string& test_name) {
    std::string path;
    if (world().is_root()) {
        std::random_device seed;
        auto dir = std::filesystem::temp_directory_path() /
                   ("mic-test-" + test_name + "-" + std::to_string(seed()) + "-" + std::to_string(seed()));
        std::filesystem::create_directories(dir);
        path = dir.string();
    }
    world().broadcast(path);
    return path;
}

} // namespace mic::testing

int main(int argc, char** argv) {
    mic::mpi_guard guard(argc, argv);
    mic::testing::the_world.emplace(mic::make_world_communicator());
    const auto& world = *mic::testing::the_world;
    ::testing::InitGoogleTest(&argc, argv);
    if (!world.is_root()) {
        auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
        delete listeners.Release(listeners.default_result_printer());
        listeners.Append(new mic::testing::failure_printer(world.rank()));
    }
    const int local = RUN_ALL_TESTS();
    const int agreed = static_cast<int>(world.max<std::int64_t>(local));
    mic::testing::the_world.reset();
    return agreed;
}
