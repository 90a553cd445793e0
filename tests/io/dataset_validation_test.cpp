// Validation on open: a valid file is corrupted in one place with raw HDF5 calls, and reading it
// must fail with one line that names the file, the dataset or attribute, the first offending
// element, and what to do.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "engine/support/error.hpp"
#include "io/dataset_file.hpp"
#include "io/topic_share_read.hpp"
#include "tests/io/io_test_support.hpp"

namespace mic {
namespace {

using namespace mic::testing;

constexpr const char* corrupt_hint = "; the file is corrupt — re-create it with `mic import`";

class DatasetValidation: public ::testing::Test {
protected:
    rank_scratch dir;
    std::filesystem::path path = dir / "d.h5";

    void SetUp() override { io::write_dataset(path, hand_made_dataset(), false); }

    // The message of read_dataset(path), which must be one line starting with the path. The read
    // of a share of the topics (`mic spread`, on one rank, in blocks of two events so that users
    // span blocks) must find the same problem.
    std::string problem() {
        const auto whole = testing::one_line_problem(path, [&] { io::read_dataset(path); });
        std::string share = "no error";
        try {
            io::read_topic_share(path, make_local_communicator(), 2);
        } catch (const agreed_error& e) {  // the collective read's agreed form of the same input_error
            share = e.what();
            EXPECT_EQ(e.exit_code(), 1);
        }
        EXPECT_EQ(share, whole);
        return whole;
    }
    // The message is "<path>: <expected>" exactly.
    void expect_problem(const std::string& expected) { EXPECT_EQ(problem(), path.string() + ": " + expected); }
    void expect_problem_containing(const std::string& part) {
        const std::string message = problem();
        EXPECT_NE(message.find(part), std::string::npos) << message;
    }
};

TEST_F(DatasetValidation, TheUncorruptedFileIsAccepted) { EXPECT_NO_THROW(io::read_dataset(path)); }

TEST_F(DatasetValidation, MissingFormatAttributeMeansNotAMicDataset) {
    delete_attribute(path, "mic_format");
    expect_problem("no mic_format attribute at the root — this is not a mic dataset; create one with `mic import`");
    EXPECT_THROW(io::read_dataset_header(path), input_error);
}

TEST_F(DatasetValidation, OtherFormatVersionIsRefusedNamingTheVersionThisBuildReads) {
    set_attribute<std::int64_t>(path, "mic_format", 2);
    expect_problem("mic_format is 2, but this build of mic reads dataset format 1 only; use the mic that wrote the file, "
                   "or re-create it with `mic import`");
}

TEST_F(DatasetValidation, MissingAttributeIsNamed) {
    delete_attribute(path, "t_end");
    expect_problem("missing root attribute t_end — is this a mic dataset? Create one with `mic import`");
}

TEST_F(DatasetValidation, NegativeUserCountIsRefused) {
    set_attribute<std::int64_t>(path, "n_users", -1);
    expect_problem(std::string("attribute n_users: is -1; it must be between 0 and 2147483647") + corrupt_hint);
}

TEST_F(DatasetValidation, UserCountThatDisagreesWithTheOffsetsIsRefused) {
    set_attribute<std::int64_t>(path, "n_users", 5);
    expect_problem(std::string("/events/user_offsets: has 5 elements; expected n_users + 1 = 6") + corrupt_hint);
}

TEST_F(DatasetValidation, WindowMustBeFiniteAndOrdered) {
    set_attribute(path, "t_start", std::numeric_limits<double>::infinity());
    expect_problem(std::string("attribute t_start: is inf; the observation window must be finite") + corrupt_hint);
    set_attribute(path, "t_start", 20.0);
    expect_problem(std::string("attributes t_start, t_end: t_start (20) is after t_end (10)") + corrupt_hint);
}

TEST_F(DatasetValidation, MissingDatasetIsNamedWithAHint) {
    delete_object(path, "/events/time");
    expect_problem("missing dataset /events/time — is this a mic dataset? Create one with `mic import`");
}

TEST_F(DatasetValidation, EventArraysOfDifferentLengthsAreRefused) {
    replace_dataset<std::int32_t>(path, "/events/cascade", {0, 1, 0, 1, 0});
    expect_problem(std::string("/events/cascade: has 5 elements but /events/time has 6; every /events array holds one "
                               "element per event") + corrupt_hint);
}

TEST_F(DatasetValidation, OffsetsMustStartAtZero) {
    overwrite_element<std::int64_t>(path, "/events/user_offsets", 0, 1);
    expect_problem(std::string("/events/user_offsets: starts at 1; it must start at 0") + corrupt_hint);
}

TEST_F(DatasetValidation, OffsetsMustNotDecrease) {
    overwrite_element<std::int64_t>(path, "/events/user_offsets", 1, 4);  // 0 4 3 5 6
    expect_problem(std::string("/events/user_offsets: decreases at user 1 (3 after 4)") + corrupt_hint);
}

TEST_F(DatasetValidation, OffsetsMustEndAtTheEventCount) {
    overwrite_element<std::int64_t>(path, "/events/user_offsets", 4, 5);
    expect_problem(std::string("/events/user_offsets: ends at 5 but /events/time has 6 elements") + corrupt_hint);
}

TEST_F(DatasetValidation, UserColumnMustAgreeWithTheOffsets) {
    overwrite_element<std::int32_t>(path, "/events/user", 3, 0);
    expect_problem(std::string("/events/user: event 3 is marked user 0 but /events/user_offsets puts it in user 2's range") +
                   corrupt_hint);
}

TEST_F(DatasetValidation, TimesMustBeFinite) {
    overwrite_element(path, "/events/time", 1, std::nan(""));
    expect_problem(std::string("/events/time: event 1 (user 0) has time nan; times must be finite") + corrupt_hint);
}

TEST_F(DatasetValidation, TimesMustBeSortedWithinEachUser) {
    overwrite_element(path, "/events/time", 4, -0.5);  // user 2: 0, -0.5
    set_attribute(path, "t_start", -1.0);
    expect_problem(std::string("/events/time: user 2's events are not sorted by time (event 4 at -0.5 after 0)") + corrupt_hint);
}

TEST_F(DatasetValidation, TimesMustLieInTheObservationWindow) {
    overwrite_element(path, "/events/time", 5, 11.0);
    expect_problem(std::string("/events/time: event 5 (user 3) at 11 lies outside the observation window [t_start, t_end] = "
                               "[0, 10]") + corrupt_hint);
}

TEST_F(DatasetValidation, CascadeIdsMustBeInRange) {
    overwrite_element<std::int32_t>(path, "/events/cascade", 2, 2);
    expect_problem(std::string("/events/cascade: event 2 (user 0) has cascade 2, outside [0, n_cascades) = [0, 2)") +
                   corrupt_hint);
    overwrite_element<std::int32_t>(path, "/events/cascade", 2, -1);
    expect_problem_containing("has cascade -1");
}

TEST_F(DatasetValidation, GraphOffsetsMustHaveOneEntryPerUserPlusOne) {
    replace_dataset<std::int64_t>(path, "/graph/in_offsets", {0, 2, 6});
    expect_problem(std::string("/graph/in_offsets: has 3 elements; expected n_users + 1 = 5") + corrupt_hint);
}

TEST_F(DatasetValidation, GraphOffsetsMustBeMonotoneAndEndAtTheEdgeCount) {
    overwrite_element<std::int64_t>(path, "/graph/in_offsets", 2, 1);  // 0 2 1 5 6
    expect_problem(std::string("/graph/in_offsets: decreases at user 1 (1 after 2)") + corrupt_hint);
    overwrite_element<std::int64_t>(path, "/graph/in_offsets", 2, 2);
    overwrite_element<std::int64_t>(path, "/graph/in_offsets", 4, 7);
    expect_problem(std::string("/graph/in_offsets: ends at 7 but /graph/in_source has 6 elements") + corrupt_hint);
}

TEST_F(DatasetValidation, InNeighboursMustBeUserIds) {
    overwrite_element<std::int32_t>(path, "/graph/in_source", 5, 4);
    expect_problem(std::string("/graph/in_source: entry 5 (an in-neighbour of user 3) is 4, outside [0, n_users) = [0, 4)") +
                   corrupt_hint);
}

TEST_F(DatasetValidation, InNeighboursMustBeStrictlyAscendingWithinAUser) {
    overwrite_element<std::int32_t>(path, "/graph/in_source", 3, 0);  // user 2 ← {0, 0, 3}
    expect_problem(std::string("/graph/in_source: user 2's in-neighbours are not strictly ascending (entry 3 is 0 after 0)") +
                   corrupt_hint);
}

TEST_F(DatasetValidation, NameCountsMustMatchTheHeader) {
    replace_strings(path, "/names/users", {"a", "b", "c"});
    expect_problem(std::string("/names/users: has 3 names but n_users is 4") + corrupt_hint);
    replace_strings(path, "/names/users", {"a", "b", "c", "d"});
    replace_strings(path, "/names/cascades", {"x"});
    expect_problem(std::string("/names/cascades: has 1 names but n_cascades is 2") + corrupt_hint);
}

TEST_F(DatasetValidation, ACascadeCountThatNeitherNamesNorEventsBackIsRefusedAtOpen) {
    delete_object(path, "/names/cascades");
    set_attribute<std::int64_t>(path, "n_cascades", 2147483647);  // `mic info` would size 16 GiB of counts
    const std::string expected = std::string("attribute n_cascades: is 2147483647 but the file holds 6 events and no "
                                             "/names/cascades; a dataset without names has at most max(1024, events) "
                                             "cascades") + corrupt_hint;
    expect_problem(expected);
    EXPECT_EQ(one_line_problem(path, [&] { io::read_dataset_header(path); }), path.string() + ": " + expected);
    EXPECT_EQ(one_line_problem(path, [&] { io::read_dataset_index(path, true); }), path.string() + ": " + expected);
    EXPECT_EQ(one_line_problem(path, [&] { io::read_dataset_names(path, false); }), path.string() + ": " + expected);
}

TEST_F(DatasetValidation, UpTo1024CascadesNeedNeitherNamesNorEvents) {
    delete_object(path, "/names/cascades");
    set_attribute<std::int64_t>(path, "n_cascades", 1024);
    EXPECT_EQ(io::read_dataset(path).header.n_cascades, 1024);
}

TEST_F(DatasetValidation, AnArrayDeclaredLargerThanItsStoredBytesIsRefusedBeforeItIsRead) {
    declare_unwritten_matrix(path, "/events/time", std::int64_t(1) << 40, 0);  // 8 TiB declared, nothing stored
    expect_problem("/events/time declares 1099511627776 elements (8796093022208 bytes) but the file stores only 0 "
                   "bytes of them; the file is corrupt or truncated — re-create it");
}

TEST(DatasetWriter, NamesCascadesThatOutnumberTheEventsSoTheFileReadsBack) {
    rank_scratch dir;
    dataset d = hand_made_dataset();  // 6 events
    d.header.n_cascades = 2000;
    d.cascade_names.clear();
    io::write_dataset(dir / "many.h5", d, false);
    const dataset back = io::read_dataset(dir / "many.h5");
    EXPECT_EQ(back.header.n_cascades, 2000);
    ASSERT_EQ(back.cascade_names.size(), 2000u);
    EXPECT_EQ(back.cascade_names[1999], "1999");
}

TEST_F(DatasetValidation, ArraysOfTheWrongTypeAreRefused) {
    replace_dataset<double>(path, "/events/cascade", {0, 1, 0, 1, 0, 0});
    expect_problem("/events/cascade holds 64-bit floats; expected 32-bit integers — the file was not written by mic; "
                   "re-create it with `mic import`");
    replace_dataset<std::int64_t>(path, "/events/cascade", {0, 1, 0, 1, 0, 0});  // int64 could overflow int32
    expect_problem_containing("/events/cascade holds 64-bit integers; expected 32-bit integers");
}

TEST_F(DatasetValidation, NarrowerIntegerTypesAreAccepted) {
    replace_dataset<std::int32_t>(path, "/events/user_offsets", {0, 3, 3, 5, 6}, H5T_STD_I16BE);
    EXPECT_EQ(io::read_dataset(path).events.user_offsets, (std::vector<std::int64_t>{0, 3, 3, 5, 6}));
}

TEST_F(DatasetValidation, HeaderReadChecksAttributesAndShapesButNotContents) {
    overwrite_element(path, "/events/time", 4, -0.5);  // contents: only the full read notices
    EXPECT_NO_THROW(io::read_dataset_header(path));
    replace_dataset<std::int32_t>(path, "/events/user", {0, 0, 0});  // shapes: the header read notices
    try {
        io::read_dataset_header(path);
        FAIL() << "expected input_error";
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("/events/user: has 3 elements but /events/time has 6"), std::string::npos);
    }
    delete_object(path, "/graph/in_offsets");
    EXPECT_THROW(io::read_dataset_header(path), input_error);
}

TEST_F(DatasetValidation, AFileThatIsNotHdf5IsNamedAsSuch) {
    std::ofstream(path) << "user,cascade,time\n0,0,1.5\n";
    EXPECT_EQ(problem().rfind(path.string() + ": not an HDF5 file (", 0), 0u) << problem();
}

TEST_F(DatasetValidation, AMissingFileIsNamedAsSuch) {
    path = dir / "nowhere.h5";
    expect_problem("no such file; check the path");
}

} // namespace
} // namespace mic
