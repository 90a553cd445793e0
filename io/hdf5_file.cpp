#include "io/hdf5_file.hpp"

// Parallel HDF5's header includes <mpi.h>. This file uses exactly two MPI names, MPI_Comm and
// MPI_INFO_NULL, to hand the communicator behind communicator::native_handle() to the MPI-IO driver
// (H5Pset_fapl_mpio); it calls no MPI function itself. That is the only MPI type use outside
// launch/mpi_environment.cpp.
#include <hdf5.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <type_traits>

#include "engine/support/error.hpp"

namespace mic::io {

static_assert(std::is_same_v<hid_t, std::int64_t>, "hdf5_file.hpp stores hid_t as std::int64_t (HDF5 >= 1.10)");

namespace {

// HDF5 prints its error stack to stderr by default; mic reports one line instead.
void silence_hdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

// The innermost (most specific) message on HDF5's error stack, e.g. "file signature not found";
// clears the stack.
std::string hdf5_detail() {
    std::string detail;
    auto innermost = [](unsigned n, const H5E_error2_t* error, void* out) -> herr_t {
        if (n == 0 && error->desc) *static_cast<std::string*>(out) = error->desc;
        return 0;
    };
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &detail);
    H5Eclear2(H5E_DEFAULT);
    for (char& c: detail)
        if (c == '\n' || c == '\r') c = ' ';
    return detail;
}

[[noreturn]] void fail(const std::string& file, const std::string& what) {
    const std::string detail = hdf5_detail();
    throw input_error(file + ": " + what + (detail.empty() ? "" : " (" + detail + ")"));
}

hid_t check_id(hid_t id, const std::string& file, const std::string& what) {
    if (id < 0) fail(file, what);
    return id;
}

void check_status(herr_t status, const std::string& file, const std::string& what) {
    if (status < 0) fail(file, what);
}

template <class T> hid_t memory_type() {
    if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
    else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
    else return H5T_NATIVE_DOUBLE;
}

hid_t file_type(element_type type) {
    switch (type) {
    case element_type::int32: return H5T_STD_I32LE;
    case element_type::int64: return H5T_STD_I64LE;
    case element_type::float64: return H5T_IEEE_F64LE;
    }
    return H5T_IEEE_F64LE;
}

std::string describe(hid_t type) {
    const auto size = std::to_string(H5Tget_size(type) * 8);
    switch (H5Tget_class(type)) {
    case H5T_INTEGER: return (H5Tget_sign(type) == H5T_SGN_NONE ? "unsigned " : "") + size + "-bit integers";
    case H5T_FLOAT: return size + "-bit floats";
    case H5T_STRING: return "strings";
    default: return "values of an unsupported type";
    }
}

template <class T> const char* expected_name() {
    if constexpr (std::is_same_v<T, std::int32_t>) return "32-bit integers";
    else if constexpr (std::is_same_v<T, std::int64_t>) return "64-bit integers";
    else return "64-bit floats";
}

// Whether values stored as `type` convert to T without overflow (HDF5 would clip silently).
template <class T> bool converts_to(hid_t type) {
    const H5T_class_t cls = H5Tget_class(type);
    const std::size_t size = H5Tget_size(type);
    if constexpr (std::is_same_v<T, double>) {
        return (cls == H5T_FLOAT && size <= sizeof(double)) || cls == H5T_INTEGER;
    } else {
        return cls == H5T_INTEGER && (size < sizeof(T) || (size == sizeof(T) && H5Tget_sign(type) == H5T_SGN_2));
    }
}

template <class T> void check_type(hid_t type, const std::string& file, const std::string& object) {
    if (!converts_to<T>(type))
        throw input_error(file + ": " + object + " holds " + describe(type) + "; expected " + expected_name<T>() +
                          " — the file was not written by mic; re-create it with `mic import`");
}

// A variable-length UTF-8 string type (what h5py writes for str).
hdf5_handle vlen_string_type(H5T_cset_t cset = H5T_CSET_UTF8) {
    hdf5_handle type(H5Tcopy(H5T_C_S1));
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), cset);
    return type;
}

// Why H5Fopen failed, in the user's terms. Uses only local file-system checks (no collective).
[[noreturn]] void explain_open_failure(const std::filesystem::path& path) {
    const std::string detail = hdf5_detail();
    const std::string name = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw input_error(name + ": no such file; check the path");
    if (std::filesystem::is_directory(path, ec)) throw input_error(name + " is a directory, not a file");
    if (!std::ifstream(path)) throw input_error(name + ": cannot read the file (permission denied?)");
    if (detail.find("signature") != std::string::npos)
        throw input_error(name + ": not an HDF5 file (" + detail + ")");
    throw input_error(name + ": cannot open the HDF5 file (" + detail + ")");
}

hdf5_handle scalar_space() { return hdf5_handle(H5Screate(H5S_SCALAR)); }

// A dataset's shape is only a declaration: a chunked dataset of 2^40 elements whose chunks were
// never written costs a few hundred bytes of file, and reading it would allocate terabytes. So the
// declared size must be backed by stored bytes: at most 1100 times the storage (deflate, the
// strongest filter HDF5 ships, compresses by at most 1032:1), plus 64 KiB of slack so that small
// arrays are never refused. Readers size their buffers from shapes, so this bounds every
// allocation by about 1100 times the file's size.
void check_stored(hid_t dataset, const std::string& file, const std::string& name, double elements) {
    hdf5_handle type(check_id(H5Dget_type(dataset), file, "cannot read the type of " + name));
    const double declared = elements * double(H5Tget_size(type.get()));
    const double stored = double(H5Dget_storage_size(dataset));
    H5Eclear2(H5E_DEFAULT);
    constexpr double largest_ratio = 1100, slack = 65536;
    if (declared > largest_ratio * stored + slack) {
        char text[160];  // %.0f: the byte counts may exceed any integer type
        std::snprintf(text, sizeof text, " declares %.0f elements (%.0f bytes) but the file stores only %.0f bytes of them",
                      elements, declared, stored);
        throw input_error(file + ": " + name + text + "; the file is corrupt or truncated — re-create it");
    }
}

} // namespace

// ---- hdf5_handle -------------------------------------------------------------------------------

hdf5_handle& hdf5_handle::operator=(hdf5_handle&& other) noexcept {
    if (this != &other) {
        reset();
        id_ = other.id_;
        other.id_ = -1;
    }
    return *this;
}

void hdf5_handle::reset() noexcept {
    if (id_ < 0) return;
    switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: break;  // not (or no longer) a valid identifier: nothing to close
    }
    H5Eclear2(H5E_DEFAULT);
    id_ = -1;
}

// ---- hdf5_array --------------------------------------------------------------------------------

hdf5_handle hdf5_array::select(std::int64_t first, std::int64_t count) const {
    hdf5_handle file_space(check_id(H5Dget_space(dataset_.get()), file_, "cannot read the shape of " + name_));
    herr_t status = -1;
    if (dimensions_ == 1) {
        const hsize_t start = static_cast<hsize_t>(first), n = static_cast<hsize_t>(count);
        status = H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &n, nullptr);
    } else {
        // Flat elements [first, first + count) of a row-major matrix = rows [first/C, (first+count)/C).
        if (first % columns_ != 0 || count % columns_ != 0)
            throw std::invalid_argument(file_ + ": " + name_ + ": elements [" + std::to_string(first) + ", " +
                                        std::to_string(first + count) + ") are not whole rows of " +
                                        std::to_string(columns_) + " columns");
        const hsize_t start[2] = {static_cast<hsize_t>(first / columns_), 0};
        const hsize_t n[2] = {static_cast<hsize_t>(count / columns_), static_cast<hsize_t>(columns_)};
        status = H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, n, nullptr);
    }
    check_status(status, file_, "cannot select elements of " + name_);
    return file_space;
}

template <class T> void hdf5_array::read_range(std::int64_t first, std::span<T> out) const {
    const auto count = static_cast<std::int64_t>(out.size());
    if (first < 0 || first + count > size_)
        throw std::out_of_range(file_ + ": " + name_ + ": read of [" + std::to_string(first) + ", " +
                                std::to_string(first + count) + ") beyond its " + std::to_string(size_) + " elements");
    hdf5_handle type(check_id(H5Dget_type(dataset_.get()), file_, "cannot read the type of " + name_));
    check_type<T>(type.get(), file_, name_);
    if (count == 0) return;
    hdf5_handle file_space = select(first, count);
    const hsize_t n = static_cast<hsize_t>(count);
    hdf5_handle memory_space(H5Screate_simple(1, &n, nullptr));
    // H5P_DEFAULT transfer = independent I/O under MPI-IO: no other rank takes part.
    check_status(H5Dread(dataset_.get(), memory_type<T>(), memory_space.get(), file_space.get(), H5P_DEFAULT, out.data()),
                 file_, "cannot read " + name_ + " elements [" + std::to_string(first) + ", " + std::to_string(first + count) + ")");
}

template <class T> void hdf5_array::write_range(std::int64_t first, std::span<const T> values) {
    const auto count = static_cast<std::int64_t>(values.size());
    if (first < 0 || first + count > size_) throw std::out_of_range(file_ + ": " + name_ + ": write beyond its end");
    if (count == 0) return;
    hdf5_handle file_space = select(first, count);
    const hsize_t n = static_cast<hsize_t>(count);
    hdf5_handle memory_space(H5Screate_simple(1, &n, nullptr));
    check_status(H5Dwrite(dataset_.get(), memory_type<T>(), memory_space.get(), file_space.get(), H5P_DEFAULT, values.data()),
                 file_, "cannot write " + name_);
}

void hdf5_array::read(std::int64_t first, std::span<std::int32_t> out) const { read_range(first, out); }
void hdf5_array::read(std::int64_t first, std::span<std::int64_t> out) const { read_range(first, out); }
void hdf5_array::read(std::int64_t first, std::span<double> out) const { read_range(first, out); }
void hdf5_array::write(std::int64_t first, std::span<const std::int32_t> values) { write_range(first, values); }
void hdf5_array::write(std::int64_t first, std::span<const std::int64_t> values) { write_range(first, values); }
void hdf5_array::write(std::int64_t first, std::span<const double> values) { write_range(first, values); }

std::vector<std::string> hdf5_array::read_strings() const {
    hdf5_handle type(check_id(H5Dget_type(dataset_.get()), file_, "cannot read the type of " + name_));
    if (H5Tget_class(type.get()) != H5T_STRING)
        throw input_error(file_ + ": " + name_ + " holds " + describe(type.get()) +
                          "; expected strings — re-create the file with `mic import`");
    const auto n = static_cast<std::size_t>(size_);
    std::vector<std::string> out(n);
    if (n == 0) return out;
    const std::string what = "cannot read the strings of " + name_;
    if (H5Tis_variable_str(type.get()) > 0) {
        hdf5_handle memory(vlen_string_type(H5Tget_cset(type.get())));
        hdf5_handle space(H5Dget_space(dataset_.get()));
        std::vector<char*> text(n, nullptr);
        check_status(H5Dread(dataset_.get(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()), file_, what);
        for (std::size_t i = 0; i < n; ++i) out[i] = text[i] ? text[i] : "";
        H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, text.data());
    } else {  // fixed-length strings: null-terminated or null-padded within `width` bytes
        const std::size_t width = H5Tget_size(type.get());
        hdf5_handle memory(H5Tcopy(type.get()));
        std::vector<char> buffer(n * width);
        check_status(H5Dread(dataset_.get(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), file_, what);
        for (std::size_t i = 0; i < n; ++i) {
            const char* begin = buffer.data() + i * width;
            std::size_t length = 0;
            while (length < width && begin[length] != '\0') ++length;
            out[i].assign(begin, length);
        }
    }
    return out;
}

// ---- hdf5_file ---------------------------------------------------------------------------------

hdf5_file hdf5_file::create(const std::filesystem::path& path, const std::string& display_name) {
    silence_hdf5();
    const std::string display = display_name.empty() ? path.string() : display_name;
    hdf5_handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    if (!file) fail(display, "cannot create the HDF5 file");
    return hdf5_file(std::move(file), display);
}

hdf5_file hdf5_file::open_read(const std::filesystem::path& path) {
    silence_hdf5();
    hdf5_handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    if (!file) explain_open_failure(path);
    return hdf5_file(std::move(file), path.string());
}

hdf5_file hdf5_file::open_read(const std::filesystem::path& path, const communicator& comm) {
    const void* native = comm.native_handle();
    if (native == nullptr) return open_read(path);
    silence_hdf5();
    hdf5_handle access(H5Pcreate(H5P_FILE_ACCESS));
    // The one MPI type use outside launch/mpi_environment.cpp (see the top of this file).
    // Metadata reads stay independent (HDF5's default, H5Pset_all_coll_metadata_ops not set), so
    // after this collective open each rank may read on its own.
    if (H5Pset_fapl_mpio(access.get(), *static_cast<const MPI_Comm*>(native), MPI_INFO_NULL) < 0)
        fail(path.string(), "cannot set up MPI-IO access");
    // COLLECTIVE (MPI_File_open). Every rank reads the same bytes, so success or failure is the
    // same on every rank.
    hdf5_handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.get()));
    if (!file) explain_open_failure(path);
    return hdf5_file(std::move(file), path.string());
}

bool hdf5_file::contains(const std::string& object) const {
    // H5Lexists needs every intermediate link to exist, so test "/a", then "/a/b", …
    std::size_t position = 0;
    while (position < object.size()) {
        const std::size_t next = object.find('/', position + 1);
        const std::string prefix = object.substr(0, next);
        if (!prefix.empty() && prefix != "/" && H5Lexists(file_.get(), prefix.c_str(), H5P_DEFAULT) <= 0) {
            H5Eclear2(H5E_DEFAULT);
            return false;
        }
        if (next == std::string::npos) break;
        position = next;
    }
    return true;
}

hdf5_array hdf5_file::open_array(const std::string& name) const { return open_dataset(name, 1); }

hdf5_array hdf5_file::open_matrix(const std::string& name) const { return open_dataset(name, 2); }

hdf5_array hdf5_file::open_dataset(const std::string& name, int dimensions) const {
    if (!contains(name)) throw input_error(display_ + ": missing dataset " + name + " — " + missing_hint_);
    hdf5_handle dataset(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT));
    if (!dataset) fail(display_, name + " is not a dataset");
    hdf5_handle space(check_id(H5Dget_space(dataset.get()), display_, "cannot read the shape of " + name));
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank != dimensions && dimensions == 1)
        throw input_error(display_ + ": " + name + " has " + std::to_string(rank) +
                          " dimensions; expected a one-dimensional array — re-create the file with `mic import`");
    if (rank != dimensions)
        throw input_error(display_ + ": " + name + " has " + std::to_string(rank) +
                          " dimensions; expected a two-dimensional array (rows × columns) — " + missing_hint_);
    hsize_t dims[2] = {0, 1};
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    check_stored(dataset.get(), display_, name, double(dims[0]) * double(dimensions == 2 ? dims[1] : 1));
    hsize_t chunk[2] = {0, 1};
    hdf5_handle creation(H5Dget_create_plist(dataset.get()));
    if (creation && H5Pget_layout(creation.get()) == H5D_CHUNKED) H5Pget_chunk(creation.get(), dimensions, chunk);
    H5Eclear2(H5E_DEFAULT);
    const auto chunk_elements = static_cast<std::int64_t>(chunk[0] * chunk[1]);
    if (dimensions == 1)
        return hdf5_array(std::move(dataset), display_, name, static_cast<std::int64_t>(dims[0]), chunk_elements);
    return hdf5_array(std::move(dataset), display_, name, static_cast<std::int64_t>(dims[0]),
                      static_cast<std::int64_t>(dims[1]), chunk_elements);
}

namespace {

// Creation properties of a 1-D dataset of `size` elements: chunked with unlimited maximum size
// (so zero-length datasets work). Numeric arrays are shuffled + deflated at level 1 (fast; shuffle
// groups the bytes of like significance, which is what makes sorted times and small ids compress)
// and have no fill value written (every element is written; HDF5 refuses this for strings).
struct array_layout {
    hdf5_handle space, creation, link;
};

array_layout layout_for(std::int64_t size, std::int64_t chunk, bool numeric) {
    array_layout layout;
    const hsize_t dims = static_cast<hsize_t>(size), max_dims = H5S_UNLIMITED;
    layout.space = hdf5_handle(H5Screate_simple(1, &dims, &max_dims));
    layout.creation = hdf5_handle(H5Pcreate(H5P_DATASET_CREATE));
    const hsize_t chunk_dims = static_cast<hsize_t>(std::max<std::int64_t>(1, std::min(chunk, size)));
    H5Pset_chunk(layout.creation.get(), 1, &chunk_dims);
    if (numeric) {
        H5Pset_shuffle(layout.creation.get());
        H5Pset_deflate(layout.creation.get(), 1);
        H5Pset_fill_time(layout.creation.get(), H5D_FILL_TIME_NEVER);  // every element is written
    }
    layout.link = hdf5_handle(H5Pcreate(H5P_LINK_CREATE));
    H5Pset_create_intermediate_group(layout.link.get(), 1);
    return layout;
}

} // namespace

hdf5_array hdf5_file::create_array(const std::string& name, element_type type, std::int64_t size, std::int64_t chunk) {
    const array_layout layout = layout_for(size, chunk, true);
    hdf5_handle dataset(H5Dcreate2(file_.get(), name.c_str(), file_type(type), layout.space.get(), layout.link.get(),
                                   layout.creation.get(), H5P_DEFAULT));
    if (!dataset) fail(display_, "cannot create dataset " + name);
    const std::int64_t chunk_used = std::max<std::int64_t>(1, std::min(chunk, size));
    return hdf5_array(std::move(dataset), display_, name, size, chunk_used);
}

hdf5_array hdf5_file::create_matrix(const std::string& name, element_type type, std::int64_t rows, std::int64_t columns) {
    // Like layout_for, in two dimensions: a chunk is a block of whole rows of about
    // default_chunk_elements elements, so that reading the rows of a block of users inflates few chunks.
    array_layout layout;
    const hsize_t dims[2] = {static_cast<hsize_t>(rows), static_cast<hsize_t>(columns)};
    const hsize_t max_dims[2] = {H5S_UNLIMITED, H5S_UNLIMITED};
    layout.space = hdf5_handle(H5Screate_simple(2, dims, max_dims));
    layout.creation = hdf5_handle(H5Pcreate(H5P_DATASET_CREATE));
    const std::int64_t chunk_columns = std::max<std::int64_t>(1, columns);
    const std::int64_t chunk_rows = std::max<std::int64_t>(1, std::min(rows, default_chunk_elements / chunk_columns));
    const hsize_t chunk_dims[2] = {static_cast<hsize_t>(chunk_rows), static_cast<hsize_t>(chunk_columns)};
    H5Pset_chunk(layout.creation.get(), 2, chunk_dims);
    H5Pset_shuffle(layout.creation.get());
    H5Pset_deflate(layout.creation.get(), 1);
    H5Pset_fill_time(layout.creation.get(), H5D_FILL_TIME_NEVER);  // every element is written
    layout.link = hdf5_handle(H5Pcreate(H5P_LINK_CREATE));
    H5Pset_create_intermediate_group(layout.link.get(), 1);
    hdf5_handle dataset(H5Dcreate2(file_.get(), name.c_str(), file_type(type), layout.space.get(), layout.link.get(),
                                   layout.creation.get(), H5P_DEFAULT));
    if (!dataset) fail(display_, "cannot create dataset " + name);
    return hdf5_array(std::move(dataset), display_, name, rows, columns, chunk_rows * chunk_columns);
}

void hdf5_file::write_strings(const std::string& name, std::span<const std::string> values) {
    const auto n = static_cast<std::int64_t>(values.size());
    // No compression: the chunks of a variable-length dataset hold only references to the heap.
    const array_layout layout = layout_for(n, 4096, false);
    hdf5_handle type = vlen_string_type();
    hdf5_handle dataset(H5Dcreate2(file_.get(), name.c_str(), type.get(), layout.space.get(), layout.link.get(),
                                   layout.creation.get(), H5P_DEFAULT));
    if (!dataset) fail(display_, "cannot create dataset " + name);
    if (n == 0) return;
    std::vector<const char*> text;
    text.reserve(values.size());
    for (const auto& s: values) text.push_back(s.c_str());
    check_status(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()), display_,
                 "cannot write " + name);
}

bool hdf5_file::has_attribute(const std::string& name) const {
    const htri_t exists = H5Aexists(file_.get(), name.c_str());
    H5Eclear2(H5E_DEFAULT);
    return exists > 0;
}

hdf5_handle hdf5_file::open_attribute(const std::string& name) const {
    if (!has_attribute(name)) throw input_error(display_ + ": missing root attribute " + name + " — " + missing_hint_);
    hdf5_handle attribute(check_id(H5Aopen(file_.get(), name.c_str(), H5P_DEFAULT), display_, "cannot open attribute " + name));
    hdf5_handle space(H5Aget_space(attribute.get()));
    const hssize_t points = H5Sget_simple_extent_npoints(space.get());
    if (points != 1)
        throw input_error(display_ + ": attribute " + name + " holds " + std::to_string(points) +
                          " values; expected a single value — re-create the file with `mic import`");
    return attribute;
}

namespace {

template <class T> void write_scalar(hid_t file, const std::string& display, const std::string& name, hid_t stored, const T& value) {
    if (H5Aexists(file, name.c_str()) > 0) H5Adelete(file, name.c_str());
    hdf5_handle space = scalar_space();
    hdf5_handle attribute(H5Acreate2(file, name.c_str(), stored, space.get(), H5P_DEFAULT, H5P_DEFAULT));
    if (!attribute) fail(display, "cannot create attribute " + name);
    check_status(H5Awrite(attribute.get(), memory_type<T>(), &value), display, "cannot write attribute " + name);
}

} // namespace

void hdf5_file::write_int_attribute(const std::string& name, std::int64_t value) {
    write_scalar(file_.get(), display_, name, H5T_STD_I64LE, value);
}

void hdf5_file::write_double_attribute(const std::string& name, double value) {
    write_scalar(file_.get(), display_, name, H5T_IEEE_F64LE, value);
}

void hdf5_file::write_string_attribute(const std::string& name, std::string_view value) {
    if (H5Aexists(file_.get(), name.c_str()) > 0) H5Adelete(file_.get(), name.c_str());
    hdf5_handle type = vlen_string_type();
    hdf5_handle space = scalar_space();
    hdf5_handle attribute(H5Acreate2(file_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT));
    if (!attribute) fail(display_, "cannot create attribute " + name);
    const std::string text(value);
    const char* pointer = text.c_str();
    check_status(H5Awrite(attribute.get(), type.get(), &pointer), display_, "cannot write attribute " + name);
}

std::int64_t hdf5_file::read_int_attribute(const std::string& name) const {
    hdf5_handle attribute = open_attribute(name);
    hdf5_handle type(H5Aget_type(attribute.get()));
    check_type<std::int64_t>(type.get(), display_, "attribute " + name);
    std::int64_t value = 0;
    check_status(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value), display_, "cannot read attribute " + name);
    return value;
}

double hdf5_file::read_double_attribute(const std::string& name) const {
    hdf5_handle attribute = open_attribute(name);
    hdf5_handle type(H5Aget_type(attribute.get()));
    check_type<double>(type.get(), display_, "attribute " + name);
    double value = 0;
    check_status(H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value), display_, "cannot read attribute " + name);
    return value;
}

std::string hdf5_file::read_string_attribute(const std::string& name) const {
    hdf5_handle attribute = open_attribute(name);
    hdf5_handle type(H5Aget_type(attribute.get()));
    if (H5Tget_class(type.get()) != H5T_STRING)
        throw input_error(display_ + ": attribute " + name + " holds " + describe(type.get()) +
                          "; expected a string — re-create the file with `mic import`");
    const std::string what = "cannot read attribute " + name;
    if (H5Tis_variable_str(type.get()) > 0) {
        hdf5_handle memory = vlen_string_type(H5Tget_cset(type.get()));
        char* text = nullptr;
        check_status(H5Aread(attribute.get(), memory.get(), &text), display_, what);
        std::string value = text ? text : "";
        H5free_memory(text);
        return value;
    }
    const std::size_t width = H5Tget_size(type.get());
    hdf5_handle memory(H5Tcopy(type.get()));
    std::string buffer(width, '\0');
    check_status(H5Aread(attribute.get(), memory.get(), buffer.data()), display_, what);
    buffer.resize(std::min(width, buffer.find('\0')));
    return buffer;
}

void hdf5_file::close() {
    if (!file_) return;
    if (H5Fclose(file_.release()) < 0) fail(display_, "cannot finish writing the file (disk full?)");
}

} // namespace mic::io
