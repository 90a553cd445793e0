// Two-dimensional arrays of the HDF5 layer (the params file's /mu and /sigma): round trips, reads
// of whole rows, and shape errors.
#include <gtest/gtest.h>

#include <stdexcept>

#include "engine/support/error.hpp"
#include "io/hdf5_file.hpp"
#include "tests/io/io_test_support.hpp"

namespace mic {
namespace {

using io::hdf5_file;

TEST(Hdf5Matrix, MatricesRoundTripRowMajorAndKnowTheirShape) {
    testing::rank_scratch dir;
    std::vector<double> real(5000 * 7);
    for (std::size_t i = 0; i < real.size(); ++i) real[i] = 0.5 * static_cast<double>(i) - 3.0;
    const std::vector<std::int32_t> small{1, 2, 3, 4, 5, 6};
    {
        hdf5_file f = hdf5_file::create(dir / "m.h5");
        f.write_matrix<double>("/g/real", real, 5000, 7);
        f.write_matrix<std::int32_t>("/small", small, 2, 3);
        f.write_matrix<double>("/no_rows", std::vector<double>{}, 0, 4);
        f.write_matrix<double>("/no_columns", std::vector<double>{}, 3, 0);
        EXPECT_THROW(f.write_matrix<double>("/wrong", std::vector<double>(5), 2, 3), std::invalid_argument);
        f.close();
    }
    hdf5_file f = hdf5_file::open_read(dir / "m.h5");
    const auto m = f.open_matrix("/g/real");
    EXPECT_EQ(m.dimensions(), 2);
    EXPECT_EQ(m.rows(), 5000);
    EXPECT_EQ(m.columns(), 7);
    EXPECT_EQ(m.size(), 35000);
    EXPECT_EQ(m.chunk_size() % 7, 0);  // chunks hold whole rows
    EXPECT_EQ(m.read_all<double>(), real);
    const auto s = f.open_matrix("/small");
    EXPECT_EQ(s.read_all<std::int64_t>(), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));  // widening is fine
    const auto no_rows = f.open_matrix("/no_rows");
    EXPECT_EQ(no_rows.rows(), 0);
    EXPECT_EQ(no_rows.columns(), 4);
    const auto no_columns = f.open_matrix("/no_columns");
    EXPECT_EQ(no_columns.rows(), 3);
    EXPECT_EQ(no_columns.columns(), 0);
    EXPECT_TRUE(no_columns.read_all<double>().empty());
}

TEST(Hdf5Matrix, RangesOfWholeRowsReadThoseRowsAndOtherRangesAreRefused) {
    testing::rank_scratch dir;
    std::vector<double> values(40 * 3);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i);
    {
        hdf5_file f = hdf5_file::create(dir / "m.h5");
        f.write_matrix<double>("/m", values, 40, 3);
        f.close();
    }
    hdf5_file f = hdf5_file::open_read(dir / "m.h5");
    const auto m = f.open_matrix("/m");
    const auto rows = m.read<double>(3 * 17, 3 * 5);  // rows 17..21
    EXPECT_EQ(rows, std::vector<double>(values.begin() + 51, values.begin() + 66));
    EXPECT_THROW(m.read<double>(4, 3), std::invalid_argument);
    EXPECT_THROW(m.read<double>(3, 4), std::invalid_argument);
    EXPECT_THROW(m.read<double>(117, 6), std::out_of_range);
}

TEST(Hdf5Matrix, OpeningWithTheWrongNumberOfDimensionsIsAOneLineError) {
    testing::rank_scratch dir;
    {
        hdf5_file f = hdf5_file::create(dir / "m.h5");
        f.write_matrix<double>("/m", std::vector<double>{1, 2}, 1, 2);
        f.write_array<double>("/v", std::vector<double>{1, 2});
        f.close();
    }
    hdf5_file f = hdf5_file::open_read(dir / "m.h5");
    const std::string file = (dir / "m.h5").string();
    try {
        f.open_array("/m");
        ADD_FAILURE() << "no error";
    } catch (const input_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  file + ": /m has 2 dimensions; expected a one-dimensional array — re-create the file with `mic import`");
    }
    f.set_missing_hint("write it with `mic fit`");
    try {
        f.open_matrix("/v");
        ADD_FAILURE() << "no error";
    } catch (const input_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  file + ": /v has 1 dimensions; expected a two-dimensional array (rows × columns) — write it with `mic fit`");
    }
}

} // namespace
} // namespace mic
