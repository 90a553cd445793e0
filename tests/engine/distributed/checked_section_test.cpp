// run_checked: every rank learns of a failure on any rank, with the first failing rank's message,
// and nobody hangs.
#include <gtest/gtest.h>

#include <functional>
#include <new>
#include <stdexcept>

#include "engine/distributed/checked_section.hpp"
#include "engine/support/error.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using testing::world;

TEST(RunChecked, ReturnsNormallyWhenNoRankFails) {
    int calls = 0;
    EXPECT_NO_THROW(run_checked(world(), [&] { ++calls; }));
    EXPECT_EQ(calls, 1);
}

TEST(RunChecked, EveryRankThrowsTheMessageOfTheLowestFailingRank) {
    const int last = world().size() - 1;
    try {
        run_checked(world(), [&] {
            if (world().rank() == last) throw input_error("bad thing on rank " + std::to_string(last));
        });
        FAIL() << "expected agreed_error";
    } catch (const agreed_error& e) {
        EXPECT_EQ(std::string(e.what()), "bad thing on rank " + std::to_string(last));
    }
}

TEST(RunChecked, WhenAllRanksFailRankZerosMessageWins) {
    try {
        run_checked(world(), [&] { throw std::runtime_error("rank " + std::to_string(world().rank())); });
        FAIL() << "expected agreed_error";
    } catch (const agreed_error& e) {
        EXPECT_EQ(std::string(e.what()), "rank 0");
    }
}

TEST(RunChecked, EveryRankExitsWithTheFailingRanksCodeAndThreeForInternalErrors) {
    const int last = world().size() - 1;
    auto code_of = [&](const std::function<void()>& failure) {
        try {
            run_checked(world(), [&] {
                if (world().rank() == last) failure();
            });
        } catch (const agreed_error& e) {
            return e.exit_code();
        }
        return 0;
    };
    EXPECT_EQ(code_of([] { throw input_error("bad input"); }), 1);
    EXPECT_EQ(code_of([] { throw input_error("bad command line", 2); }), 2);
    EXPECT_EQ(code_of([] { throw std::bad_alloc(); }), internal_error_exit_code);  // not the user's input
    EXPECT_EQ(code_of([] { throw agreed_error("nested", 2); }), 2);
}

TEST(RunCheckedOnRoot, OnlyRootRunsTheWorkAndAllRanksLearnItsFailure) {
    int calls = 0;
    run_checked_on_root(world(), [&] { ++calls; });
    EXPECT_EQ(calls, world().is_root() ? 1 : 0);
    EXPECT_THROW(run_checked_on_root(world(), [] { throw input_error("root failed"); }), agreed_error);
}

} // namespace
} // namespace mic
