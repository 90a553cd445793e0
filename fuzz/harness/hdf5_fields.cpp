#include "fuzz/harness/hdf5_fields.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "io/hdf5_file.hpp"

namespace mic::fuzz {
namespace {

using std::int64_t;

// Values that break rules: signs, limits of the integer types, ranks around n_users and the
// 1024-cascade allowance, offsets far beyond any array.
constexpr int64_t integer_values[] = {-1, 0, 1, 2, 3, 1023, 1024, 1025,
                                      std::numeric_limits<std::int32_t>::max(), std::numeric_limits<std::int32_t>::min(),
                                      int64_t(1) << 31, int64_t(1) << 40, 1000000000000,
                                      std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()};
constexpr double real_values[] = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                                  -std::numeric_limits<double>::infinity(), -1.0, -0.0, 0.0, 0.5, 1.0, 2.0, 1e5, 1e6,
                                  1e308, -1e308, 5e-324};
constexpr int64_t declared_sizes[] = {0, 1, 1 << 20, int64_t(1) << 32, int64_t(1) << 40};

template <class T, std::size_t N> T choose(fuzz_bytes& in, const T (&values)[N]) { return values[in.below(N)]; }

// a + b wrapping around like the hardware (a damaged value, not undefined behaviour).
int64_t wrapping_add(int64_t a, int64_t b) { return int64_t(std::uint64_t(a) + std::uint64_t(b)); }

// A double as an int64 without undefined behaviour (NaN → 0, out of range → the nearest limit).
int64_t to_integer(double x) {
    if (std::isnan(x)) return 0;
    if (x >= 9.2e18) return std::numeric_limits<int64_t>::max();
    if (x <= -9.2e18) return std::numeric_limits<int64_t>::min();
    return int64_t(x);
}

void change_type(array_field& a, fuzz_bytes& in) {
    using kind = array_field::kind;
    const kind to = in.pick({kind::int32, kind::int64, kind::float64, kind::strings});
    if (to == a.type) return;
    std::vector<double> values;  // the old contents as numbers
    if (a.type == kind::float64) values = a.reals;
    else if (a.type == kind::strings) for (const auto& s: a.strings) values.push_back(double(s.size()));
    else for (auto v: a.integers) values.push_back(double(v));
    a.integers.clear();
    a.reals.clear();
    a.strings.clear();
    for (double v: values) {
        if (to == kind::float64) a.reals.push_back(v);
        else if (to == kind::strings) a.strings.push_back(std::to_string(v));
        else a.integers.push_back(to_integer(v));
    }
    a.type = to;
    if (to == kind::strings) a.columns = 0;  // string matrices are not written
}

void resize(array_field& a, int64_t n, fuzz_bytes& in) {
    n = std::max<int64_t>(0, std::min<int64_t>(n, 4096));  // a damaged length, not a memory test
    const auto size = std::size_t(n);
    if (a.type == array_field::kind::float64) a.reals.resize(size, choose(in, real_values));
    else if (a.type == array_field::kind::strings) a.strings.resize(size, in.text(8));
    else a.integers.resize(size, choose(in, integer_values));
}

void mutate_array(array_field& a, fuzz_bytes& in) {
    const int64_t n = a.size();
    const auto at = std::size_t(n > 0 ? in.below(std::uint32_t(std::min<int64_t>(n, 65535))) : 0);
    switch (in.below(8)) {
    case 0:  // one element
        if (n == 0) break;
        if (a.type == array_field::kind::float64) a.reals[at] = in.coin() ? choose(in, real_values) : a.reals[at] + in.pick({-1.0, 1.0, 1e-9});
        else if (a.type == array_field::kind::strings) a.strings[at] = in.coin() ? a.strings[std::size_t(in.below(std::uint32_t(n)))] : in.text(12);
        else a.integers[at] = in.coin() ? choose(in, integer_values) : wrapping_add(a.integers[at], in.pick<int64_t>({-1, 1, 2}));
        break;
    case 1:  // two neighbours swapped (order)
        if (std::size_t(n) < at + 2) break;
        if (a.type == array_field::kind::float64) std::swap(a.reals[at], a.reals[at + 1]);
        else if (a.type == array_field::kind::strings) std::swap(a.strings[at], a.strings[at + 1]);
        else std::swap(a.integers[at], a.integers[at + 1]);
        break;
    case 2: change_type(a, in); break;
    case 3: resize(a, n + in.pick<int64_t>({-2, -1, 1, 2}), in); break;
    case 4: resize(a, in.pick<int64_t>({0, 1, 2 * n}), in); break;
    case 5: a.unwritten = choose(in, declared_sizes); break;
    case 6:  // shape: one-dimensional ↔ a matrix, or other columns
        if (a.type != array_field::kind::strings) a.columns = in.pick<int64_t>({0, 1, 2, 3, a.columns + 1, a.columns - 1});
        break;
    default: a.name += in.pick<std::string>({"_", "/x"}); break;  // renamed: the reader finds it missing
    }
}

void mutate_attribute(attribute_field& a, fuzz_bytes& in) {
    using kind = attribute_field::kind;
    switch (in.below(4)) {
    case 0: a.type = in.pick({kind::integer, kind::real, kind::text}); break;
    case 1: a.name += "_"; break;  // renamed: missing
    default:
        if (a.type == kind::integer) a.integer = in.coin() ? choose(in, integer_values) : wrapping_add(a.integer, in.pick<int64_t>({-1, 1}));
        else if (a.type == kind::real) a.real = in.coin() ? choose(in, real_values) : a.real * in.pick({-1.0, 2.0, 0.5});
        else a.text = in.text(16);
    }
}

} // namespace

int64_t array_field::size() const {
    switch (type) {
    case kind::float64: return int64_t(reals.size());
    case kind::strings: return int64_t(strings.size());
    default: return int64_t(integers.size());
    }
}

void hdf5_fields::add(std::string name, int64_t value) { attributes.push_back({attribute_field::kind::integer, std::move(name), value}); }
void hdf5_fields::add(std::string name, double value) { attributes.push_back({attribute_field::kind::real, std::move(name), 0, value}); }
void hdf5_fields::add(std::string name, std::string value) {
    attributes.push_back({attribute_field::kind::text, std::move(name), 0, 0, std::move(value)});
}
array_field& hdf5_fields::add_array(std::string name, array_field::kind type) {
    arrays.push_back({type, std::move(name)});
    return arrays.back();
}

void mutate(hdf5_fields& file, fuzz_bytes& in, int max_mutations) {
    for (int m = int(in.below(std::uint32_t(max_mutations) + 1)); m > 0; --m) {
        const auto n_attributes = std::uint32_t(file.attributes.size()), n_arrays = std::uint32_t(file.arrays.size());
        const std::uint32_t which = in.below(n_attributes + n_arrays + 1);
        if (which < n_attributes) mutate_attribute(file.attributes[which], in);
        else if (which < n_attributes + n_arrays) mutate_array(file.arrays[which - n_attributes], in);
        else if (n_arrays > 0) file.arrays.erase(file.arrays.begin() + in.below(n_arrays));  // a dataset missing
    }
}

void write(const hdf5_fields& fields, const std::filesystem::path& path) {
    using kind = array_field::kind;
    io::hdf5_file file = io::hdf5_file::create(path);
    for (const auto& a: fields.attributes) {
        if (a.type == attribute_field::kind::integer) file.write_int_attribute(a.name, a.integer);
        else if (a.type == attribute_field::kind::real) file.write_double_attribute(a.name, a.real);
        else file.write_string_attribute(a.name, a.text);
    }
    for (const auto& a: fields.arrays) {
        const io::element_type type = a.type == kind::int32 ? io::element_type::int32
                                      : a.type == kind::float64 ? io::element_type::float64
                                                                : io::element_type::int64;
        const int64_t columns = std::max<int64_t>(1, a.columns);
        if (a.unwritten) {  // declared only: no chunk is ever written
            if (a.columns > 0) file.create_matrix(a.name, type, *a.unwritten / columns, columns);
            else file.create_array(a.name, type, *a.unwritten);
            continue;
        }
        if (a.type == kind::strings) {
            file.write_strings(a.name, a.strings);
            continue;
        }
        std::vector<std::int32_t> narrow;
        for (auto v: a.integers) narrow.push_back(std::int32_t(std::uint32_t(std::uint64_t(v))));  // wraps, like a bad writer
        const int64_t rows = a.size() / columns, used = rows * columns;
        if (a.columns > 0) {
            if (a.type == kind::int32) file.write_matrix<std::int32_t>(a.name, std::span(narrow).first(std::size_t(used)), rows, columns);
            else if (a.type == kind::int64) file.write_matrix<int64_t>(a.name, std::span(a.integers).first(std::size_t(used)), rows, columns);
            else file.write_matrix<double>(a.name, std::span(a.reals).first(std::size_t(used)), rows, columns);
        } else if (a.type == kind::int32) {
            file.write_array<std::int32_t>(a.name, narrow);
        } else if (a.type == kind::int64) {
            file.write_array<int64_t>(a.name, a.integers);
        } else {
            file.write_array<double>(a.name, a.reals);
        }
    }
    file.close();
}

} // namespace mic::fuzz
