#pragma once
// What `mic cv` keeps between runs, so that an interrupted grid resumes without refitting a finished
// point: a directory with
//   state.json           {"data_checksum": …, "cuts": […], "t_start": …, "options": "…"}: what the rows belong to
//   rows.jsonl           one finished point per line (appended by the rank that finished it)
//   point-<key>.h5       its fitted parameters (the warm start of the chain's next β)
// and the table of a finished grid, stored in the params file of the best point (/cv/…).
#include <filesystem>
#include <string>
#include <vector>

#include "engine/jobs/cv_job.hpp"

namespace mic::io {

class hdf5_file;

struct cv_state_key {
    std::string data_checksum;
    std::vector<double> cuts;
    double t_start = 0;
    std::string options;  // the options that change a point's fit (tolerances, prior)
};

// The finished rows of a state directory that belongs to `key` (a rerun resumes from them); none when
// the directory does not exist. When it belongs to another dataset, split or options: emptied with
// `reset` (--force), else input_error. Creates it with `key` when needed.
std::vector<cv_row> open_cv_state(const std::filesystem::path& dir, const cv_state_key& key, bool reset);

// The finished rows recorded in `dir` (those whose parameters file exists; a line cut short is skipped).
std::vector<cv_row> read_cv_rows(const std::filesystem::path& dir);

std::filesystem::path cv_point_path(const std::filesystem::path& dir, const cv_row& row);
// Appends a finished row (one line, one write).
void append_cv_row(const std::filesystem::path& dir, const cv_row& row);

// /cv/rows (n × 9: variant, fold, beta, tau, validation loglik, events, converged, iterations, seconds),
// /cv/scores (m × 6: variant, beta, tau, validation loglik, events, folds converged), attribute-free.
void write_cv_table(hdf5_file& file, const cv_result& result);

} // namespace mic::io
