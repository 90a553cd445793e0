// The HDF5 helper layer: arrays and attributes round-trip, ranges read the right elements, type
// and shape problems are one-line errors, and HDF5 itself prints nothing.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <fstream>
#include <stdexcept>

#include "engine/distributed/checked_section.hpp"
#include "engine/support/error.hpp"
#include "io/hdf5_file.hpp"
#include "tests/io/io_test_support.hpp"

namespace mic {
namespace {

using io::hdf5_file;

std::string open_error(const std::filesystem::path& p) {
    try {
        hdf5_file::open_read(p);
    } catch (const input_error& e) {
        return e.what();
    }
    return "no error";
}

TEST(Hdf5File, ArraysRoundTripAndRangesReadTheRightElements) {
    testing::rank_scratch dir;
    std::vector<std::int32_t> small(50000);
    std::vector<std::int64_t> wide(1000);
    std::vector<double> real(777);
    for (std::size_t i = 0; i < small.size(); ++i) small[i] = static_cast<std::int32_t>(i * 7 % 1001) - 500;
    for (std::size_t i = 0; i < wide.size(); ++i) wide[i] = static_cast<std::int64_t>(i) << 40;
    for (std::size_t i = 0; i < real.size(); ++i) real[i] = 0.1 * static_cast<double>(i);
    {
        hdf5_file f = hdf5_file::create(dir / "a.h5");
        f.write_array<std::int32_t>("/g/small", small, 4096);
        f.write_array<std::int64_t>("/wide", wide);
        f.write_array<double>("/deep/er/real", real);
        f.write_array<double>("/empty", std::vector<double>{});
        f.close();
    }
    hdf5_file f = hdf5_file::open_read(dir / "a.h5");
    EXPECT_EQ(f.open_array("/g/small").read_all<std::int32_t>(), small);
    EXPECT_EQ(f.open_array("/wide").read_all<std::int64_t>(), wide);
    EXPECT_EQ(f.open_array("/deep/er/real").read_all<double>(), real);
    EXPECT_EQ(f.open_array("/g/small").chunk_size(), 4096);
    const auto empty = f.open_array("/empty");
    EXPECT_EQ(empty.size(), 0);
    EXPECT_TRUE(empty.read_all<double>().empty());
    // A range across chunk boundaries, and an int32 array read as int64 (widening is fine).
    const auto part = f.open_array("/g/small").read<std::int64_t>(4000, 9000);
    ASSERT_EQ(part.size(), 9000u);
    for (std::size_t i = 0; i < part.size(); ++i) ASSERT_EQ(part[i], small[4000 + i]);
    EXPECT_THROW(f.open_array("/wide").read<std::int64_t>(990, 11), std::out_of_range);
}

TEST(Hdf5File, AttributesRoundTrip) {
    testing::rank_scratch dir;
    {
        hdf5_file f = hdf5_file::create(dir / "a.h5");
        f.write_int_attribute("i", -(std::int64_t(1) << 60));
        f.write_double_attribute("d", 0.1);
        f.write_string_attribute("s", "ünïcødé");
        f.write_string_attribute("empty", "");
        f.write_int_attribute("i", 7);  // rewriting replaces
        f.close();
    }
    hdf5_file f = hdf5_file::open_read(dir / "a.h5");
    EXPECT_EQ(f.read_int_attribute("i"), 7);
    EXPECT_EQ(f.read_double_attribute("d"), 0.1);
    EXPECT_EQ(f.read_double_attribute("i"), 7.0);  // integers read as doubles
    EXPECT_EQ(f.read_string_attribute("s"), "ünïcødé");
    EXPECT_EQ(f.read_string_attribute("empty"), "");
    EXPECT_TRUE(f.has_attribute("d"));
    EXPECT_FALSE(f.has_attribute("nope"));
    f.set_missing_hint("is this a params file?");
    try {
        f.read_int_attribute("nope");
        FAIL();
    } catch (const input_error& e) {
        EXPECT_EQ(std::string(e.what()), (dir / "a.h5").string() + ": missing root attribute nope — is this a params file?");
    }
    EXPECT_THROW(f.read_int_attribute("d"), input_error);  // a float is not an integer
    EXPECT_THROW(f.read_string_attribute("i"), input_error);
}

TEST(Hdf5File, StringArraysRoundTripInBothEncodings) {
    testing::rank_scratch dir;
    const std::vector<std::string> names{"a", "", "ünï", std::string(300, 'x')};
    {
        hdf5_file f = hdf5_file::create(dir / "a.h5");
        f.write_strings("/names/n", names);
        f.write_strings("/names/none", std::vector<std::string>{});
        f.close();
    }
    {   // a fixed-length string array, as other tools may write it
        const hid_t file = H5Fopen((dir / "a.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        const hid_t type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, 4);
        const hsize_t n = 3;
        const hid_t space = H5Screate_simple(1, &n, nullptr);
        const hid_t data = H5Dcreate2(file, "/fixed", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        const char text[] = "ab\0\0cdefg\0\0\0";
        H5Dwrite(data, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, text);
        H5Dclose(data);
        H5Sclose(space);
        H5Tclose(type);
        H5Fclose(file);
    }
    hdf5_file f = hdf5_file::open_read(dir / "a.h5");
    EXPECT_EQ(f.open_array("/names/n").read_strings(), names);
    EXPECT_TRUE(f.open_array("/names/none").read_strings().empty());
    EXPECT_EQ(f.open_array("/fixed").read_strings(), (std::vector<std::string>{"ab", "cdef", "g"}));
    EXPECT_TRUE(f.contains("/names/n"));
    EXPECT_FALSE(f.contains("/names/x"));
    EXPECT_FALSE(f.contains("/nothing/here"));
}

TEST(Hdf5File, OpenFailuresAreOneLineAndHdf5PrintsNothing) {
    testing::rank_scratch dir;
    std::ofstream(dir / "text.h5") << "not hdf5";
    ::testing::internal::CaptureStderr();
    const std::string missing = open_error(dir / "missing.h5");
    const std::string text = open_error(dir / "text.h5");
    const std::string directory = open_error(dir.path());
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
    EXPECT_EQ(missing, (dir / "missing.h5").string() + ": no such file; check the path");
    EXPECT_EQ(text.rfind((dir / "text.h5").string() + ": not an HDF5 file (", 0), 0u) << text;
    EXPECT_EQ(text.find('\n'), std::string::npos);
    EXPECT_EQ(directory, dir.path().string() + " is a directory, not a file");
}

TEST(Hdf5File, MissingAndMisshapenDatasetsAreNamed) {
    testing::rank_scratch dir;
    {
        hdf5_file f = hdf5_file::create(dir / "a.h5");
        f.write_array<double>("/x", std::vector<double>{1, 2});
        f.close();
        const hid_t file = H5Fopen((dir / "a.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        const hsize_t dims[2] = {2, 2};
        const hid_t space = H5Screate_simple(2, dims, nullptr);
        H5Dclose(H5Dcreate2(file, "/matrix", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        H5Sclose(space);
        H5Fclose(file);
    }
    hdf5_file f = hdf5_file::open_read(dir / "a.h5");
    f.set_missing_hint("is this a mic dataset? Create one with `mic import`");
    try {
        f.open_array("/events/time");
        FAIL();
    } catch (const input_error& e) {
        EXPECT_EQ(std::string(e.what()), (dir / "a.h5").string() +
                                             ": missing dataset /events/time — is this a mic dataset? Create one with `mic import`");
    }
    EXPECT_THROW(f.open_array("/matrix"), input_error);
    EXPECT_THROW(f.open_array("/x").read_all<std::int32_t>(), input_error);  // floats are not integers
}

TEST(Hdf5File, CollectiveOpenReadsOnEveryRank) {
    const auto dir = testing::scratch_directory("hdf5_collective_open");
    const auto path = dir / "a.h5";
    run_checked_on_root(testing::world(), [&] {
        hdf5_file f = hdf5_file::create(path);
        f.write_array<std::int64_t>("/v", std::vector<std::int64_t>{10, 11, 12, 13, 14});
        f.write_int_attribute("n", 5);
        f.close();
    });
    {
        hdf5_file f = hdf5_file::open_read(path, testing::world());
        const auto r = testing::world().rank();
        EXPECT_EQ(f.read_int_attribute("n"), 5);
        EXPECT_EQ(f.open_array("/v").read<std::int64_t>(r % 5, 1), std::vector<std::int64_t>{10 + r % 5});
    }  // collective close on every rank
    testing::world().barrier();
    if (testing::world().is_root()) std::filesystem::remove_all(dir);
}

} // namespace
} // namespace mic
