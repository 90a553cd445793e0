// Dataset file format 1: write → read returns the input exactly; the file is chunked, compressed
// and readable by the HDF5 tools; the writer refuses invalid data and leaves no file behind.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>

#include "engine/support/error.hpp"
#include "io/dataset_file.hpp"
#include "tests/io/io_test_support.hpp"
#include "tests/support/random_dataset.hpp"

namespace mic {
namespace {

using testing::expect_same_dataset;
using testing::hand_made_dataset;
using testing::make_random_dataset;
using testing::random_dataset_spec;

class DatasetFile: public ::testing::Test {
protected:
    testing::rank_scratch dir;

    dataset round_trip(const dataset& d, const std::string& name = "d.h5") {
        io::write_dataset(dir / name, d, false);
        return io::read_dataset(dir / name);
    }
    std::string write_error(const dataset& d) {
        try {
            io::write_dataset(dir / "bad.h5", d, false);
        } catch (const input_error& e) {
            EXPECT_FALSE(std::filesystem::exists(dir / "bad.h5"));
            EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "a temporary was left behind";
            return e.what();
        }
        return "no error";
    }
};

TEST_F(DatasetFile, RoundTripReturnsTheHandMadeDatasetExactly) {
    const dataset d = hand_made_dataset();
    expect_same_dataset(round_trip(d), d);
}

TEST_F(DatasetFile, RoundTripReturnsRandomDatasetsExactly) {
    std::vector<random_dataset_spec> specs(4);
    specs[1].self_loops = true;
    specs[1].integer_times = true;
    specs[2].with_names = false;
    specs[2].fraction_silent_users = 0.6;
    specs[3].n_users = 300;
    specs[3].mean_events_per_user = 80;  // 24 k events: more than one chunk
    specs[3].t_start = -1e6;
    specs[3].t_end = 1e9;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const std::string index = std::to_string(i);
        SCOPED_TRACE("spec " + index);
        const dataset d = make_random_dataset(specs[i], 17 + i);
        expect_same_dataset(round_trip(d, "d" + index + ".h5"), d);
    }
}

TEST_F(DatasetFile, RoundTripKeepsADatasetWithNoUsersAndNoEvents) {
    dataset d;
    d.header = {0, 0, 0.0, 0.0, ""};
    const dataset back = round_trip(d);
    expect_same_dataset(back, d);
    EXPECT_EQ(back.events.user_offsets, std::vector<std::int64_t>{0});
}

TEST_F(DatasetFile, RoundTripKeepsSilentUsersAndAGraphWithoutEdges) {
    dataset d;
    d.header = {5, 3, 2.5, 7.5, "h"};
    d.events.user_offsets = {0, 0, 2, 2, 2, 3};
    d.events.cascade = {2, 0, 1};
    d.events.time = {2.5, 7.5, 3.25};
    d.graph.in_offsets = {0, 0, 0, 0, 0, 0};
    d.cascade_names = {"", "b", ""};  // names of one kind only; empty strings kept
    expect_same_dataset(round_trip(d), d);
}

TEST_F(DatasetFile, RoundTripKeepsExtremeButValidTimes) {
    dataset d = hand_made_dataset();
    d.header.t_start = -std::numeric_limits<double>::max();
    d.header.t_end = std::numeric_limits<double>::max();
    d.events.time = {-0.0, std::nextafter(2.0, 3.0), 1e300, -1e-300, 5.0, std::numeric_limits<double>::denorm_min()};
    const dataset back = round_trip(d);
    expect_same_dataset(back, d);
    EXPECT_TRUE(std::signbit(back.events.time[0]));
}

TEST_F(DatasetFile, ReadHeaderReturnsTheAttributes) {
    const dataset d = hand_made_dataset();
    io::write_dataset(dir / "d.h5", d, false);
    testing::expect_same_header(io::read_dataset_header(dir / "d.h5"), d.header);
}

TEST_F(DatasetFile, ArraysAreChunkedShuffledDeflatedAndExtensible) {
    dataset d = make_random_dataset({}, 3);
    io::write_dataset(dir / "d.h5", d, false);
    const hid_t file = H5Fopen((dir / "d.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    for (const char* name: {"/events/user", "/events/cascade", "/events/time", "/events/user_offsets",
                            "/graph/in_offsets", "/graph/in_source"}) {
        SCOPED_TRACE(name);
        const hid_t data = H5Dopen2(file, name, H5P_DEFAULT);
        const hid_t creation = H5Dget_create_plist(data);
        EXPECT_EQ(H5Pget_layout(creation), H5D_CHUNKED);
        ASSERT_EQ(H5Pget_nfilters(creation), 2);
        auto filter = [&](unsigned index, unsigned* first_value) {
            unsigned flags = 0, values[4] = {};
            std::size_t n_values = 4;
            const H5Z_filter_t id = H5Pget_filter2(creation, index, &flags, &n_values, values, 0, nullptr, nullptr);
            *first_value = values[0];
            return id;
        };
        unsigned level = 0, ignored = 0;
        EXPECT_EQ(filter(0, &ignored), H5Z_FILTER_SHUFFLE);
        EXPECT_EQ(filter(1, &level), H5Z_FILTER_DEFLATE);
        EXPECT_EQ(level, 1u);  // the fast level
        const hid_t space = H5Dget_space(data);
        hsize_t size = 0, max_size = 0;
        H5Sget_simple_extent_dims(space, &size, &max_size);
        EXPECT_EQ(max_size, H5S_UNLIMITED);
        H5Sclose(space);
        H5Pclose(creation);
        H5Dclose(data);
    }
    std::int64_t version = 0;
    const hid_t attribute = H5Aopen(file, "mic_format", H5P_DEFAULT);
    H5Aread(attribute, H5T_NATIVE_INT64, &version);
    EXPECT_EQ(version, 1);
    H5Aclose(attribute);
    H5Fclose(file);
}

TEST_F(DatasetFile, FilesAreReadableByH5dump) {
    if (!std::filesystem::exists("/usr/bin/h5dump")) GTEST_SKIP() << "h5dump not installed";
    io::write_dataset(dir / "d.h5", hand_made_dataset(), false);
    const std::string command = "/usr/bin/h5dump -A '" + (dir / "d.h5").string() + "' > '" + (dir / "dump.txt").string() + "' 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0);
    std::ifstream dump(dir / "dump.txt");
    const std::string text((std::istreambuf_iterator<char>(dump)), std::istreambuf_iterator<char>());
    for (const char* expected: {"ATTRIBUTE \"mic_format\"", "DATASET \"user_offsets\"", "DATASET \"in_source\"",
                                "GROUP \"names\"", "\"days\""})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
}

TEST_F(DatasetFile, CompressedFileIsSmallerThanTheRawArrays) {
    random_dataset_spec spec;
    spec.n_users = 500;
    spec.mean_events_per_user = 100;
    spec.integer_times = true;
    const dataset d = make_random_dataset(spec, 5);
    io::write_dataset(dir / "d.h5", d, false);
    const auto raw = d.events.n_events() * (4 + 4 + 8) + (d.header.n_users + 1) * 16 + d.graph.n_edges() * 4;
    EXPECT_LT(static_cast<std::int64_t>(std::filesystem::file_size(dir / "d.h5")), raw / 2);
}

TEST_F(DatasetFile, WriterRefusesInvalidDataAndLeavesNoFile) {
    const std::string where = "cannot write " + (dir / "bad.h5").string() + ": ";
    {
        dataset d = hand_made_dataset();
        d.events.time = {2.0, 1.0, 2.0, 0.0, 5.0, 10.0};
        EXPECT_EQ(write_error(d), where + "/events/time: user 0's events are not sorted by time (event 1 at 1 after 2); "
                                          "the data given to the writer is invalid (a bug in the program that produced it)");
    }
    {
        dataset d = hand_made_dataset();
        d.events.cascade[4] = 2;
        EXPECT_NE(write_error(d).find(where + "/events/cascade: event 4 (user 2) has cascade 2"), std::string::npos);
    }
    {
        dataset d = hand_made_dataset();
        d.events.time[5] = 10.5;
        EXPECT_NE(write_error(d).find("outside the observation window"), std::string::npos);
    }
    {
        dataset d = hand_made_dataset();
        d.events.user_offsets.pop_back();
        EXPECT_NE(write_error(d).find(where + "/events/user_offsets: has 4 elements; expected n_users + 1 = 5"), std::string::npos);
    }
    {
        dataset d = hand_made_dataset();
        d.graph.in_source[1] = 1;  // user 0 ← {1, 1}
        EXPECT_NE(write_error(d).find(where + "/graph/in_source: user 0's in-neighbours are not strictly ascending"),
                  std::string::npos);
    }
    {
        dataset d = hand_made_dataset();
        d.user_names.pop_back();
        EXPECT_NE(write_error(d).find(where + "/names/users: has 3 names but n_users is 4"), std::string::npos);
    }
    {
        dataset d = hand_made_dataset();
        d.header.t_end = std::nan("");
        EXPECT_NE(write_error(d).find(where + "attribute t_end: is nan"), std::string::npos);
    }
}

TEST_F(DatasetFile, WriterOverwritesOnlyWhenAllowed) {
    const auto path = dir / "d.h5";
    io::write_dataset(path, hand_made_dataset(), false);
    dataset other = make_random_dataset({}, 9);
    try {
        io::write_dataset(path, other, false);
        FAIL() << "expected input_error";
    } catch (const input_error& e) {
        EXPECT_EQ(std::string(e.what()), path.string() + " already exists; pass --force to overwrite it");
    }
    expect_same_dataset(io::read_dataset(path), hand_made_dataset());
    io::write_dataset(path, other, true);
    expect_same_dataset(io::read_dataset(path), other);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()), 1);
}

} // namespace
} // namespace mic
