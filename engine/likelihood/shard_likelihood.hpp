#pragma once
// The log-likelihood of a window over all users, users sharded across ranks (SPEC §2):
//
//   L = Σ_u L_u,   L_u = Σ_{e ∈ H_u, a < t_e ≤ b} [log λ_u(t_e) + log f_u(c_e|t_e)] − ∫_a^b λ_u
//
// "Compute locally, then reduce": local_loglik and local_loglik_gradient are pure per-rank passes
// over the owned users (no communication); evaluate_loglik runs the local pass inside run_checked
// and then reduces. Both use recursive_pass: a pass costs O(Σ_u (neighbour events of u + n_u C²))
// ≈ O(events × (in-degree + C²)) time (C² from ν* = μ + ΣᵀX; O(events × (in-degree + C)) when
// Σ = I), and O(events + edges + users × C) memory (no U×U or events×U array; per-user
// temporaries O(n_u C + neighbour events of u)).
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/distributed/communicator.hpp"
#include "engine/likelihood/compensated_sum.hpp"
#include "engine/likelihood/shard_kernels.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

// Per-cascade split: per_cascade[c] = Σ_{e: c_e = c} log λ_{u_e}^c(t_e) − Σ_u ∫_a^b ν_u^c dt with
// λ_u^c = λ_u f_u(c|·) (Eq. 9) and ν_u^c = μ_u^c + X_u^c (Eq. 5), so Σ_c per_cascade[c] = L.
// The compensator is split by ν^c (closed form; exact for ic, where λ^c = ν^c) because ∫ λ_u f_u(c|t)
// has no closed form under Boltzmann mixing.
// An event with probability 0 under the params (λ_u(t) = 0, or f_u(c|t) = 0 under linear mixing):
// it makes L = −inf.
struct impossible_event {
    std::int32_t user = 0, cascade = 0;
    double time = 0;
};

struct loglik_result {
    double loglik = 0;                             // L over all ranks' users
    std::int64_t impossible_events = 0;            // over all ranks
    std::optional<impossible_event> first_impossible;  // the earliest by time (ties: lowest user), all ranks
    std::int64_t n_events = 0;                     // scored events over all ranks
    std::vector<double> per_cascade;               // C, over all ranks
    std::vector<std::int64_t> per_cascade_events;  // C, over all ranks
    std::vector<std::int32_t> users;               // this rank's owned users (= shard.owned)
    std::vector<double> per_user;                  // L_u of those users
    std::vector<std::int64_t> per_user_events;     // their scored events
};

// The local part: per-user values and counts filled, per_cascade holding this rank's sums, and
// loglik / n_events this rank's totals (compensated sums in owned-user order).
struct local_loglik_parts {
    loglik_result result;
    compensated_sum total;
    std::vector<compensated_sum> per_cascade;
};
local_loglik_parts local_loglik(const shard_kernels& kernels, const model_params& params);

// Collective over `comm`: every rank passes its shard (users sharded any way, e.g. range_partition::even)
// and the same params and window. Checks the params against the shard (`params_name` starts the
// error message) and throws agreed_error on every rank if any rank finds a problem. The totals are
// compensated sums reduced in rank order: equal on every rank and across rank counts to ~1e-16.
loglik_result evaluate_loglik(const communicator& comm, const shard& data, const model_params& params,
                              likelihood_window window, std::string_view params_name = "model parameters");

// Gradient of L over this rank's owned users with respect to their parameters: mu is owned × C
// (∂L/∂μ_u^c at [i*C + c] for u = owned[i]), weight is aligned with data.in_source (∂L/∂w_vu).
struct shard_gradient {
    std::vector<double> mu;
    std::vector<double> weight;
};
// Returns the local L (no communication) and fills `gradient`.
double local_loglik_gradient(const shard_kernels& kernels, const model_params& params, shard_gradient& gradient);

} // namespace mic
