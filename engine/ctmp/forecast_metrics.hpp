#pragma once
// Accuracy of a predicted series against the truth (the paper's Tables 1–2): MAE, RMSE, MASE per
// user, and their averages over a set of users.
//
//   MAE  = (1/n) Σ_d |ŷ_d − y_d|,   RMSE = √((1/n) Σ_d (ŷ_d − y_d)²)   over the evaluated periods;
//   MASE = MAE / s, with s the in-sample MAE of the naive one-step forecast on the user's training
//          series y'_1..y'_m (no seasonality):  s = (1/(m−1)) Σ_{t=2}^{m} |y'_t − y'_{t−1}|
//          (Hyndman & Koehler 2006). MASE is NaN when s is 0 or m < 2 (a constant or too short
//          training series); such users are left out of the MASE average and counted apart.
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "engine/distributed/communicator.hpp"

namespace mic {

struct forecast_errors {
    double mae = 0.0;
    double rmse = 0.0;
    double mase = std::numeric_limits<double>::quiet_NaN();
};

// s of the definition above; NaN when undefined.
double naive_scale(std::span<const double> training_truth);

// Errors of `predicted` against `truth` (same length ≥ 1), MASE scaled by `scale`.
forecast_errors forecast_error(std::span<const double> predicted, std::span<const double> truth, double scale);

struct average_errors {
    double mae = 0.0, rmse = 0.0, mase = 0.0;  // means over users (MASE over users with a finite MASE)
    std::int64_t n_users = 0;
    std::int64_t n_users_mase = 0;
};

// Averages, summed in the order given.
average_errors average(std::span<const forecast_errors> errors);

// Collective: the average over every rank's users. The per-user errors are gathered in rank order
// and summed in that order on every rank, so with users handed out in contiguous blocks of one
// list (share_of in user_selection.hpp) the result is identical on any number of ranks.
average_errors average(std::span<const forecast_errors> local_errors, const communicator& comm);

} // namespace mic
