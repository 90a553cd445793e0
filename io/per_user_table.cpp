#include "io/per_user_table.hpp"

#include "io/csv_field.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
#include "io/hdf5_file.hpp"

namespace mic::io {
namespace {

void write_csv(const std::filesystem::path& path, const std::string& display, const per_user_table& t) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw input_error(display + ": cannot open the file for writing; choose a directory you can write to");
    out << "user,name,loglik,n_events\n";
    for (std::size_t u = 0; u < t.loglik.size(); ++u) {
        const std::string id = std::to_string(u);
        out << id << ',' << csv_field(t.names.empty() ? id : t.names[u]) << ',' << shortest(t.loglik[u]) << ','
            << t.n_events[u] << '\n';
    }
    out.close();
    if (!out) throw input_error(display + ": cannot finish writing the file (disk full?)");
}

void write_hdf5(const std::filesystem::path& path, const std::string& display, const per_user_table& t) {
    hdf5_file file = hdf5_file::create(path, display);
    file.write_double_attribute("from", t.from);
    file.write_double_attribute("to", t.to);
    file.write_double_attribute("loglik", t.total_loglik);
    file.write_int_attribute("n_events", t.total_events);
    file.write_string_attribute("data", t.data);
    file.write_string_attribute("params", t.params);
    std::vector<std::int32_t> users(t.loglik.size());
    for (std::size_t u = 0; u < users.size(); ++u) users[u] = static_cast<std::int32_t>(u);
    file.write_array<std::int32_t>("/user", users);
    file.write_array<double>("/loglik", t.loglik);
    file.write_array<std::int64_t>("/n_events", t.n_events);
    if (!t.names.empty()) file.write_strings("/name", t.names);
    file.close();
}

} // namespace

table_format per_user_format(const std::filesystem::path& path, const std::string& option) {
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == ".csv") return table_format::csv;
    if (extension == ".h5" || extension == ".hdf5") return table_format::hdf5;
    throw input_error(option + " " + path.string() + ": " +
                      (extension.empty() ? std::string("the name has no extension") : "unknown extension '" + extension + "'") +
                      "; end it in .csv (a text table) or .h5 (HDF5)");
}

void write_per_user_table(const std::filesystem::path& path, const std::string& display_name, const per_user_table& table,
                          table_format format) {
    if (format == table_format::csv) write_csv(path, display_name, table);
    else write_hdf5(path, display_name, table);
}

} // namespace mic::io
