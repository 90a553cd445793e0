#pragma once
// The results file of `mic spread` (HDF5) and its CSV of series for external baselines.
//
// HDF5 layout (U_s users of set s ∈ {top, random}, P test periods, M training periods):
//   /top/users               int32   U_s          evaluated users, in selection order
//   /top/observed            float64 U_s × P      truth: daily series of the test periods
//   /top/predicted_ctmp      float64 U_s × P      IDM-CTMP prediction
//   /top/predicted_ic        float64 U_s × P      Independent Cascade prediction
//   /top/training_observed   float64 U_s × M      truth series of the training periods (MASE scale)
//   /top/errors_ctmp         float64 U_s × 3      per user: MAE, RMSE, MASE (NaN when undefined)
//   /top/errors_ic           float64 U_s × 3
//   /random/...              the same for the random users
//   /summary/metrics         float64 2 × 6        rows: IDM-CTMP, IC; columns: MAE, RMSE, MASE of
//                                                 the top users, then MAE, RMSE, MASE of the random
//                                                 users (averages over users; MASE over users with a
//                                                 finite MASE; NaN when there is none)
//   /summary/n_users         int64   2 × 2        per method: users in top, random
//   /summary/n_users_mase    int64   2 × 2        per method: users with a finite MASE, top, random
//   root attributes: mic_spread_format = 1, data, train_until, window, periods, training_start,
//   training_periods, method, tolerance, seed, extrapolate_posts (0/1), follow_graph (0/1), time_unit
//
// CSV (OUT-truth.csv): header `set,user,split,period,observed,predicted_ctmp,predicted_ic,name`; one
// row per user of each set and period, split = train (periods 0..M−1, predictions empty) then test
// (periods 0..P−1); `name` is the user's name in the dataset (its id when the dataset has none; quoted
// when needed). Numbers are printed so that they read back exactly.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/jobs/spread_job.hpp"

namespace mic::io {

// Writes `r` to `path` (e.g. an atomic_output's temporary); messages name `display_name`.
void write_spread_results(const std::filesystem::path& path, const std::string& display_name, const spread_results& r);
// `user_names`: the dataset's (empty: none).
void write_spread_truth_csv(const std::filesystem::path& path, const std::string& display_name, const spread_results& r,
                            const std::vector<std::string>& user_names);

// /summary/metrics of a results file (2 × 6, row-major), for tests and tools.
std::vector<double> read_spread_metrics(const std::filesystem::path& path);

} // namespace mic::io
