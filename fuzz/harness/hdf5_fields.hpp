#pragma once
// An HDF5 file described field by field — scalar root attributes and arrays — so that a fuzzer can
// damage a valid mic file the ways files get damaged (a value, a type, a length, a shape, a missing
// or renamed field, a size declared but never written) and then write it with HDF5. The readers
// under test never see this description: only the file.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/harness/fuzz_bytes.hpp"

namespace mic::fuzz {

struct attribute_field {
    enum class kind { integer, real, text } type = kind::integer;
    std::string name;
    std::int64_t integer = 0;
    double real = 0;
    std::string text;
};

struct array_field {
    enum class kind { int32, int64, float64, strings } type = kind::int64;
    std::string name;
    std::vector<std::int64_t> integers;  // int32 and int64 arrays
    std::vector<double> reals;           // float64 arrays
    std::vector<std::string> strings;    // string arrays
    std::int64_t columns = 0;            // > 0: written as a matrix with this many columns
    std::optional<std::int64_t> unwritten;  // declared with this many elements, no data written

    std::int64_t size() const;
};

struct hdf5_fields {
    std::vector<attribute_field> attributes;
    std::deque<array_field> arrays;  // a deque: add_array's references stay valid as arrays are added

    void add(std::string name, std::int64_t value);
    void add(std::string name, double value);
    void add(std::string name, std::string value);
    array_field& add_array(std::string name, array_field::kind type);
};

// Applies up to `max_mutations` damages chosen by `in`.
void mutate(hdf5_fields& file, fuzz_bytes& in, int max_mutations);

// Writes the file; throws mic::input_error when HDF5 cannot write what was described.
void write(const hdf5_fields& file, const std::filesystem::path& path);

} // namespace mic::fuzz
