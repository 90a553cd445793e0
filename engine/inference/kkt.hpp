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
    double log_prior = 0;              // the users' baseline prior over all ranks
    std::vector<double> user_residual; // this rank's owned users, in owned order
    double max_user_residual = 0;      // over all ranks
    std::int64_t users_above = 0;      // users over all ranks with a residual above `user_tolerance`
    double sigma_residual = 0;         // over all ranks' events
};

// Collective over `comm`. Σ's residual alone (0 for cc and ic): the same on every rank.
double sigma_kkt_residual(const communicator& comm, const shard_kernels& kernels, const model_params& params);

// Collective over `comm`. `users` must be built on `kernels` (it supplies the user objectives, with
// their baseline prior: the residuals are those of the fit's objective).
kkt_report check_kkt(const communicator& comm, const shard_kernels& kernels, user_step& users,
                     const model_params& params, double user_tolerance);

} // namespace mic
