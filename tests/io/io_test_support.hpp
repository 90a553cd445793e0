#pragma once
// Helpers of the io tests: equality of datasets and shards, a small hand-made dataset whose every
// element is known, and "surgery" with raw HDF5 calls to corrupt a valid file in one place.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/data/event_data.hpp"
#include "engine/support/error.hpp"
#include "tests/support/test_world.hpp"

namespace mic::testing {

// A directory of this rank's own for the current test (collective: every rank must create it),
// removed at the end of the test. Serial io tests run on every rank, each in its own directory.
class rank_scratch {
public:
    rank_scratch()
        : shared_(scratch_directory(::testing::UnitTest::GetInstance()->current_test_info()->name())),
          mine_(shared_ / ("rank" + std::to_string(world().rank()))) {
        std::filesystem::create_directories(mine_);
    }
    ~rank_scratch() {
        world().barrier();  // every rank is done with the shared directory
        std::error_code ignored;
        if (world().is_root()) std::filesystem::remove_all(shared_, ignored);
    }
    rank_scratch(const rank_scratch&) = delete;
    rank_scratch& operator=(const rank_scratch&) = delete;
    const std::filesystem::path& shared() const { return shared_; }  // same path on every rank
    const std::filesystem::path& path() const { return mine_; }      // this rank's own
    std::filesystem::path operator/(const std::string& name) const { return mine_ / name; }

private:
    std::filesystem::path shared_, mine_;
};

// The message of `read()`, a reader of `path` that should fail: checked to be one line starting
// with the path; "no error" when it did not throw.
template <class Read>
std::string one_line_problem(const std::filesystem::path& path, Read read) {
    try {
        read();
    } catch (const input_error& e) {
        const std::string message = e.what();
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        EXPECT_EQ(message.rfind(path.string(), 0), 0u) << message;
        return message;
    }
    return "no error";
}

inline void expect_same_header(const dataset_header& a, const dataset_header& b) {
    EXPECT_EQ(a.n_users, b.n_users);
    EXPECT_EQ(a.n_cascades, b.n_cascades);
    EXPECT_EQ(a.t_start, b.t_start);
    EXPECT_EQ(a.t_end, b.t_end);
    EXPECT_EQ(a.time_unit, b.time_unit);
    EXPECT_EQ(a.time_origin, b.time_origin);
}

inline void expect_same_dataset(const dataset& a, const dataset& b) {
    expect_same_header(a.header, b.header);
    EXPECT_EQ(a.events.user_offsets, b.events.user_offsets);
    EXPECT_EQ(a.events.cascade, b.events.cascade);
    EXPECT_EQ(a.events.time, b.events.time);  // exact: float64 round-trips bit for bit
    EXPECT_EQ(a.graph.in_offsets, b.graph.in_offsets);
    EXPECT_EQ(a.graph.in_source, b.graph.in_source);
    EXPECT_EQ(a.user_names, b.user_names);
    EXPECT_EQ(a.cascade_names, b.cascade_names);
}

inline void expect_same_shard(const shard& a, const shard& b) {
    expect_same_header(a.header, b.header);
    EXPECT_EQ(a.owned, b.owned);
    EXPECT_EQ(a.in_offsets, b.in_offsets);
    EXPECT_EQ(a.in_source, b.in_source);
    EXPECT_EQ(a.events.users, b.events.users);
    EXPECT_EQ(a.events.offsets, b.events.offsets);
    EXPECT_EQ(a.events.cascade, b.events.cascade);
    EXPECT_EQ(a.events.time, b.events.time);
}

// 4 users, 2 cascades, window [0, 10], 6 events, 6 edges (one self loop), names with an empty one.
//   events (index: user, cascade, time): 0:(0,0,1) 1:(0,1,2) 2:(0,0,2) 3:(2,1,0) 4:(2,0,5) 5:(3,0,10)
//   in-neighbours: 0 ← {1, 2}; 1 ← {}; 2 ← {0, 2, 3}; 3 ← {0}   (in_source = 1 2 0 2 3 0)
inline dataset hand_made_dataset() {
    dataset d;
    d.header = {4, 2, 0.0, 10.0, "days"};
    d.events.user_offsets = {0, 3, 3, 5, 6};
    d.events.cascade = {0, 1, 0, 1, 0, 0};
    d.events.time = {1.0, 2.0, 2.0, 0.0, 5.0, 10.0};
    d.graph.in_offsets = {0, 2, 2, 5, 6};
    d.graph.in_source = {1, 2, 0, 2, 3, 0};
    d.user_names = {"alice", "", "bob", "ünïcødé 用户"};
    d.cascade_names = {"#a", "#b"};
    return d;
}

// ---- raw HDF5 surgery --------------------------------------------------------------------------

template <class T> hid_t native_type() {
    if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
    else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
    else return H5T_NATIVE_DOUBLE;
}

inline hid_t open_for_surgery(const std::filesystem::path& path) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    EXPECT_GE(file, 0) << path;
    return file;
}

// Sets element `index` of the 1-D dataset `name` to `value`.
template <class T>
void overwrite_element(const std::filesystem::path& path, const std::string& name, hsize_t index, T value) {
    const hid_t file = open_for_surgery(path);
    const hid_t data = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
    const hid_t space = H5Dget_space(data);
    const hsize_t one = 1;
    H5Sselect_hyperslab(space, H5S_SELECT_SET, &index, nullptr, &one, nullptr);
    const hid_t memory = H5Screate_simple(1, &one, nullptr);
    EXPECT_GE(H5Dwrite(data, native_type<T>(), memory, space, H5P_DEFAULT, &value), 0);
    H5Sclose(memory);
    H5Sclose(space);
    H5Dclose(data);
    H5Fclose(file);
}

inline void delete_object(const std::filesystem::path& path, const std::string& name) {
    const hid_t file = open_for_surgery(path);
    EXPECT_GE(H5Ldelete(file, name.c_str(), H5P_DEFAULT), 0);
    H5Fclose(file);
}

// Replaces the dataset `name` by a contiguous one holding `values` (stored as `stored` type).
template <class T>
void replace_dataset(const std::filesystem::path& path, const std::string& name, const std::vector<T>& values,
                     hid_t stored = native_type<T>()) {
    const hid_t file = open_for_surgery(path);
    H5Ldelete(file, name.c_str(), H5P_DEFAULT);
    const hsize_t n = values.size();
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t data = H5Dcreate2(file, name.c_str(), stored, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(H5Dwrite(data, native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
    H5Dclose(data);
    H5Sclose(space);
    H5Fclose(file);
}

// Replaces the dataset `name` by a chunked float64 one of rows × columns (1-D when columns is 0)
// whose chunks are never written: a shape declared but not stored, what a tiny hostile file can claim.
inline void declare_unwritten_matrix(const std::filesystem::path& path, const std::string& name, std::int64_t rows,
                                     std::int64_t columns) {
    const hid_t file = open_for_surgery(path);
    H5Ldelete(file, name.c_str(), H5P_DEFAULT);
    const int rank = columns > 0 ? 2 : 1;
    const hsize_t dims[2] = {hsize_t(rows), hsize_t(columns)}, chunk[2] = {1024, 1};
    const hid_t space = H5Screate_simple(rank, dims, nullptr);
    const hid_t creation = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(creation, rank, chunk);
    const hid_t data = H5Dcreate2(file, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, creation, H5P_DEFAULT);
    EXPECT_GE(data, 0);
    H5Dclose(data);
    H5Pclose(creation);
    H5Sclose(space);
    H5Fclose(file);
}

inline void replace_strings(const std::filesystem::path& path, const std::string& name, const std::vector<const char*>& values) {
    const hid_t file = open_for_surgery(path);
    H5Ldelete(file, name.c_str(), H5P_DEFAULT);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    const hsize_t n = values.size();
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t data = H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(H5Dwrite(data, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
    H5Dclose(data);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(file);
}

// Replaces (or creates) the scalar root attribute `name` with `value`.
template <class T> void set_attribute(const std::filesystem::path& path, const std::string& name, T value) {
    const hid_t file = open_for_surgery(path);
    if (H5Aexists(file, name.c_str()) > 0) H5Adelete(file, name.c_str());
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate2(file, name.c_str(), native_type<T>(), space, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(H5Awrite(attribute, native_type<T>(), &value), 0);
    H5Aclose(attribute);
    H5Sclose(space);
    H5Fclose(file);
}

inline void delete_attribute(const std::filesystem::path& path, const std::string& name) {
    const hid_t file = open_for_surgery(path);
    EXPECT_GE(H5Adelete(file, name.c_str()), 0);
    H5Fclose(file);
}

} // namespace mic::testing
