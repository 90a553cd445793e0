#pragma once
// First-order optimality of a fitted model, measured where a fit stops:
// - per owned user, the scaled KKT residual of max L_u(θ_u | Σ) s.t. θ_u ≥ 0 (projected_newton.hpp:
//   dimensionless, 0 exactly at a KKT point);
// - for Σ (mic, linmic), the projected-gradient residual of max S(Σ) over row-stochastic Σ
//   (simplex.hpp: in units of probability; 0 for cc and ic, whose Σ is fixed).
#include <vector>

#include "engine/distributed/communicator.hpp"
#include "engine/inference/user_step.hpp"
#include "engine/likelihood/shard_kernels.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

struct kkt_report {
    double loglik = 0;                 // L over all ranks (compensated, rank order)
    std::vector<double> user_residual; // this rank's owned users, in owned order
    double max_user_residual = 0;      // over all ranks
    double sigma_residual = 0;         // over all ranks' events
};

// Collective over `comm`. `users` must be built on `kernels` (it supplies the user objectives).
kkt_report check_kkt(const communicator& comm, const shard_kernels& kernels, user_step& users,
                     const model_params& params);

} // namespace mic
