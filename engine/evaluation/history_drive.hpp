#pragma once
// The social drive a simulation of a test window starts from: for every owned user u and cascade s,
//
//   X_u^s(t0) = Σ_{v ∈ F_u} w_vu Σ_{e ∈ H_v^s, t_e ≤ t0} exp(−(t0 − t_e)/τ)
//
// (the events at or before t0 are history: they excite the window (t0, b] and are not in it). Local:
// owned users in owned order, C values each; the evaluate job gathers them in rank order.
#include <vector>

#include "engine/data/event_data.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

std::vector<double> local_history_drive(const shard& data, const model_params& params, double t0);

} // namespace mic
