#pragma once
// The per-user table of `mic loglik --per-user F`: every user's log-likelihood contribution L_u and
// scored events, as CSV or HDF5 (chosen by F's extension).
//
//   CSV  (.csv):        header `user,name,loglik,n_events`, one line per user in id order; loglik
//                       with enough digits to read back the same double; names quoted when needed
//                       (RFC 4180); without names in the dataset, name repeats the id.
//   HDF5 (.h5, .hdf5):  /user int32, /loglik float64, /n_events int64, /name strings (when the
//                       dataset has names), all of length U; root attributes from, to (the window
//                       (from, to]), loglik and n_events (the totals), data and params (the input paths).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mic::io {

enum class table_format { csv, hdf5 };

// The format for `path` by its extension (case-insensitive). Throws mic::input_error naming the
// option for any other extension.
table_format per_user_format(const std::filesystem::path& path, const std::string& option = "--per-user");

struct per_user_table {
    std::vector<double> loglik;          // L_u, indexed by user id
    std::vector<std::int64_t> n_events;  // scored events of u
    std::vector<std::string> names;      // one per user, or empty
    // Context (attributes of the HDF5 form).
    double from = 0, to = 0;
    double total_loglik = 0;
    std::int64_t total_events = 0;
    std::string data, params;
};

// Writes `table` to `path` (typically an atomic_output's temporary; messages name `display_name`).
// Throws mic::input_error on write failures.
void write_per_user_table(const std::filesystem::path& path, const std::string& display_name, const per_user_table& table,
                          table_format format);

} // namespace mic::io
