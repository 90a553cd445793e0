#pragma once
// A small RAII layer over the HDF5 C API, shared by the dataset and params files: open/create a
// file, one-dimensional int32/int64/float64 arrays (chunked, shuffled, deflated; zero length
// allowed), two-dimensional ones (matrices, row-major, read and written in whole rows),
// variable-length string arrays, and scalar root attributes.
//
// Every failure becomes one mic::input_error line naming the file, e.g.
//   "data.h5: not an HDF5 file (file signature not found)"
//   "data.h5: missing dataset /events/time — is this a mic dataset? Create one with `mic import`"
// HDF5's own error-stack printing is switched off; its innermost message goes into parentheses.
//
// Parallel use: `hdf5_file::open_read(path, comm)` opens the file with the MPI-IO driver when the
// communicator is an MPI one. Opening and closing such a file are COLLECTIVE over `comm`; every
// read below is independent (each rank reads what it wants, no rank waits for another), because
// the file is read-only and metadata reads stay independent (HDF5's default).
//
// The header keeps <hdf5.h> (and with it <mpi.h>) out of the code that includes it: identifiers are
// held as std::int64_t (HDF5 1.10's hid_t, checked by a static_assert in the .cpp).
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "engine/distributed/communicator.hpp"

namespace mic::io {

// Owns one HDF5 identifier of any kind and closes it with the matching H5?close.
class hdf5_handle {
public:
    hdf5_handle() = default;
    explicit hdf5_handle(std::int64_t id) noexcept: id_(id) {}
    ~hdf5_handle() { reset(); }
    hdf5_handle(hdf5_handle&& other) noexcept: id_(other.id_) { other.id_ = -1; }
    hdf5_handle& operator=(hdf5_handle&& other) noexcept;
    hdf5_handle(const hdf5_handle&) = delete;
    hdf5_handle& operator=(const hdf5_handle&) = delete;

    std::int64_t get() const { return id_; }
    explicit operator bool() const { return id_ >= 0; }
    void reset() noexcept;  // closes (errors ignored: used by destructors)
    std::int64_t release() noexcept { const auto id = id_; id_ = -1; return id; }

private:
    std::int64_t id_ = -1;
};

// Elements per chunk when the caller does not choose (see io/dataset_file.cpp for the reasoning).
inline constexpr std::int64_t default_chunk_elements = 16384;

// An open one-dimensional dataset, or a two-dimensional one (a matrix) seen as its row-major
// sequence of elements. Reads and writes of a [first, first + n) range are independent operations
// (no collective), also under MPI-IO; for a matrix the range must be whole rows (first and n
// multiples of columns(); std::invalid_argument otherwise).
class hdf5_array {
public:
    const std::string& name() const { return name_; }  // e.g. "/events/time"
    std::int64_t size() const { return size_; }         // elements (rows × columns for a matrix)
    std::int64_t chunk_size() const { return chunk_; }  // elements per chunk; 0 when not chunked
    int dimensions() const { return dimensions_; }      // 1 or 2
    std::int64_t columns() const { return columns_; }   // 1 for a one-dimensional array
    std::int64_t rows() const { return rows_; }          // size() for a one-dimensional array

    // Reads elements [first, first + out.size()) into `out`. The stored type must convert without
    // loss of range: an integer type no wider than the target for integers, a float (or integer)
    // type for double. Throws mic::input_error naming the file and dataset otherwise.
    void read(std::int64_t first, std::span<std::int32_t> out) const;
    void read(std::int64_t first, std::span<std::int64_t> out) const;
    void read(std::int64_t first, std::span<double> out) const;
    template <class T> std::vector<T> read(std::int64_t first, std::int64_t count) const {
        std::vector<T> out(static_cast<std::size_t>(count));
        read(first, std::span<T>(out));
        return out;
    }
    template <class T> std::vector<T> read_all() const { return read<T>(0, size_); }

    // Writes elements [first, first + values.size()).
    void write(std::int64_t first, std::span<const std::int32_t> values);
    void write(std::int64_t first, std::span<const std::int64_t> values);
    void write(std::int64_t first, std::span<const double> values);

    // The whole array as strings (variable-length or fixed-length string datasets).
    std::vector<std::string> read_strings() const;

private:
    friend class hdf5_file;
    hdf5_array(hdf5_handle dataset, std::string file, std::string name, std::int64_t size, std::int64_t chunk)
        : dataset_(std::move(dataset)), file_(std::move(file)), name_(std::move(name)), size_(size), chunk_(chunk),
          rows_(size) {}
    // A rows × columns matrix.
    hdf5_array(hdf5_handle dataset, std::string file, std::string name, std::int64_t rows, std::int64_t columns,
               std::int64_t chunk)
        : dataset_(std::move(dataset)), file_(std::move(file)), name_(std::move(name)), size_(rows * columns),
          chunk_(chunk), dimensions_(2), rows_(rows), columns_(columns) {}
    template <class T> void read_range(std::int64_t first, std::span<T> out) const;
    template <class T> void write_range(std::int64_t first, std::span<const T> values);
    // The file space with elements [first, first + count) selected (count > 0, in range).
    hdf5_handle select(std::int64_t first, std::int64_t count) const;

    hdf5_handle dataset_;
    std::string file_;  // display name, for messages
    std::string name_;
    std::int64_t size_ = 0;
    std::int64_t chunk_ = 0;
    int dimensions_ = 1;
    std::int64_t rows_ = 0;
    std::int64_t columns_ = 1;
};

enum class element_type { int32, int64, float64 };

class hdf5_file {
public:
    // Creates (truncating) `path` for writing, serially. Messages name `display_name` (e.g. the
    // final path of an atomic_output whose temporary is `path`); empty means `path` itself.
    static hdf5_file create(const std::filesystem::path& path, const std::string& display_name = {});
    // Opens `path` read-only, serially.
    static hdf5_file open_read(const std::filesystem::path& path);
    // Opens `path` read-only with the MPI-IO driver when comm.native_handle() is non-null (then
    // COLLECTIVE: every rank of `comm` must call it, and later destroy/close the file, in the same
    // order), serially otherwise.
    static hdf5_file open_read(const std::filesystem::path& path, const communicator& comm);

    hdf5_file(hdf5_file&&) noexcept = default;
    hdf5_file& operator=(hdf5_file&&) noexcept = default;
    ~hdf5_file() = default;  // closes silently; call close() to learn of write errors

    const std::string& display_name() const { return display_; }
    // Appended to "missing dataset X — " messages, e.g. "is this a mic dataset? Create one with `mic import`".
    void set_missing_hint(std::string hint) { missing_hint_ = std::move(hint); }

    // Whether the object (e.g. "/names/users") exists, intermediate groups included.
    bool contains(const std::string& object) const;
    // Opens an existing one-dimensional dataset; throws "missing dataset …" when absent.
    hdf5_array open_array(const std::string& name) const;
    // Opens an existing two-dimensional dataset (rows × columns); throws like open_array, and when
    // the dataset has another number of dimensions.
    hdf5_array open_matrix(const std::string& name) const;

    // Creates a one-dimensional dataset of `size` elements, chunked (`chunk` elements, capped at
    // the size), shuffled and deflated (fast level); unlimited maximum size so zero length works.
    // Intermediate groups are created as needed.
    hdf5_array create_array(const std::string& name, element_type type, std::int64_t size,
                            std::int64_t chunk = default_chunk_elements);
    template <class T>
    void write_array(const std::string& name, std::span<const T> values, std::int64_t chunk = default_chunk_elements);
    // A rows × columns dataset, chunked in blocks of whole rows (about default_chunk_elements
    // elements), shuffled and deflated; unlimited maximum size so zero rows or columns work.
    hdf5_array create_matrix(const std::string& name, element_type type, std::int64_t rows, std::int64_t columns);
    // `values` row-major, rows × columns of them (std::invalid_argument otherwise).
    template <class T>
    void write_matrix(const std::string& name, std::span<const T> values, std::int64_t rows, std::int64_t columns);
    // Variable-length UTF-8 strings.
    void write_strings(const std::string& name, std::span<const std::string> values);

    // Scalar attributes of the root group.
    bool has_attribute(const std::string& name) const;
    void write_int_attribute(const std::string& name, std::int64_t value);
    void write_double_attribute(const std::string& name, double value);
    void write_string_attribute(const std::string& name, std::string_view value);  // variable-length UTF-8
    std::int64_t read_int_attribute(const std::string& name) const;
    double read_double_attribute(const std::string& name) const;
    std::string read_string_attribute(const std::string& name) const;

    // Flushes and closes, throwing on failure (the destructor closes but cannot report).
    void close();

private:
    hdf5_file(hdf5_handle file, std::string display): file_(std::move(file)), display_(std::move(display)) {}
    hdf5_handle open_attribute(const std::string& name) const;
    hdf5_array open_dataset(const std::string& name, int dimensions) const;

    hdf5_handle file_;
    std::string display_;
    std::string missing_hint_ = "the file is incomplete or not a mic file";
};

template <class T> constexpr element_type element_type_of() {
    static_assert(std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>);
    return std::is_same_v<T, std::int32_t>   ? element_type::int32
           : std::is_same_v<T, std::int64_t> ? element_type::int64
                                             : element_type::float64;
}

template <class T>
void hdf5_file::write_array(const std::string& name, std::span<const T> values, std::int64_t chunk) {
    create_array(name, element_type_of<T>(), static_cast<std::int64_t>(values.size()), chunk).write(0, values);
}

template <class T>
void hdf5_file::write_matrix(const std::string& name, std::span<const T> values, std::int64_t rows, std::int64_t columns) {
    if (rows < 0 || columns < 0 || static_cast<std::int64_t>(values.size()) != rows * columns)
        throw std::invalid_argument(display_ + ": " + name + ": " + std::to_string(values.size()) +
                                    " values do not form a " + std::to_string(rows) + " × " + std::to_string(columns) + " matrix");
    create_matrix(name, element_type_of<T>(), rows, columns).write(0, values);
}

} // namespace mic::io
