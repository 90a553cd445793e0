#pragma once
// Spreading sizes of IDM-CTMP (SPEC §3): the expected number of posts of a topic by the chain
// within t after user i posts it — the expected number of jumps of the chain started at i:
//   DS_i(t) = ∫_0^t Σ_j P_ij(s) q_j ds = ∫_0^t (e^{Qs} q)_i ds.
//
// All users at once, backwards. With u_k = M^k q (a column vector over all users), M = I + Q/Λ:
//   DS_i(t) = (1/Λ) Σ_k T_k(Λt) (u_k)_i,   T_k(λ) = P(Poisson(λ) > k)   (poisson_weights.hpp),
// with |error| ≤ tolerance posts (0 ≤ (u_k)_i ≤ Λ). One sparse product M u per term serves every
// user, so 10^4 users cost what one does. The products are sharded by rows: rank r computes its
// block of rows of M u_k, and one collective per term brings each rank the entries of u_{k+1} its
// rows read from other ranks: an alltoallv of the halo (planned once) when every rank's halo is under
// U/4 doubles — many ranks and a sparse Q — else an allgatherv of all U.
// Row sums are formed in the same order on any number of ranks, so results are bit-identical on
// 1, 2, 3, ... ranks. Cost ≈ (Λ t + O(√(Λt))) × nnz(Q); a single very fast user (tiny mean delay)
// makes Λ large: see propagation_options::max_terms and network_options::min_delay.
//
// A `spreading_table` keeps, for this rank's requested users, the coefficients c_k = (u_k)_i for
// k ≤ K (K set by the horizon), so DS_i(t) can then be evaluated for any 0 ≤ t ≤ horizon without
// communication (e.g. the per-topic ages end_d − t_φ of the daily series).
// Under --method taylor, M = I + hQ with h = horizon/n and DS is the trapezoid rule on the c_k.
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "engine/ctmp/propagation_options.hpp"
#include "engine/ctmp/rate_matrix.hpp"
#include "engine/distributed/communicator.hpp"

namespace mic {

struct spreading_table {
    propagation_method method = propagation_method::uniformization;
    double horizon = 0.0;    // DS(t) is available for 0 ≤ t ≤ horizon
    double rate = 0.0;       // uniformization: Λ = max_i q_i (0: every user absorbing, DS ≡ 0)
    double step = 0.0;       // taylor: h = horizon / n
    double tolerance = 0.0;  // uniformization: error bound of every DS value, in posts
    std::vector<std::int32_t> users;  // this rank's users, as requested
    std::int64_t n_terms = 0;         // coefficients per user
    std::vector<double> coefficient;  // users.size() × n_terms: c_k of users[a] at [a·n_terms + k]

    std::span<const double> coefficients(std::size_t a) const {
        return std::span(coefficient).subspan(a * static_cast<std::size_t>(n_terms), static_cast<std::size_t>(n_terms));
    }
};

// Called on every rank after each propagation step with the fraction of the steps done (local, no
// collective), for progress lines on long propagations.
using propagation_progress = std::function<void(double fraction)>;

// The number of propagation steps (sparse products) for the horizon t: uniformisation ≈ Λt +
// O(√(Λt)), Taylor the --taylor-steps. For the log before a long propagation. Local; throws
// input_error for bad options or when max_terms would be exceeded (the same verdict on every rank).
std::int64_t propagation_steps(const ctmp_model& model, double horizon, const propagation_options& options);

// Collective: every rank passes its own users (any, possibly none) and the same horizon and options.
// Throws agreed_error on every rank for bad arguments, input_error when max_terms would be exceeded.
spreading_table propagate_spreading(const ctmp_model& model, std::span<const std::int32_t> users, double horizon,
                                    const propagation_options& options, const communicator& comm,
                                    const propagation_progress& progress = {});

// DS_{users[a]}(t), 0 ≤ t ≤ table.horizon. Local.
double spreading_size(const spreading_table& table, std::size_t a, double t);

// (1/w) ∫_0^w DS_{users[a]}(τ) dτ, 0 < w ≤ table.horizon: the expected DS of a post made at a
// uniformly random time of a window of length w, counted to the window's end (for
// --extrapolate-posts). Uniformisation uses the closed-form tail_average weights. Local.
double mean_spreading_size(const spreading_table& table, std::size_t a, double w);

// DS of every table user at every time: a users.size() × times.size() matrix. Local.
Eigen::MatrixXd spreading_sizes(const spreading_table& table, std::span<const double> times);

// Collective: DS_u(t) of every user u at each of `times` (same on every rank), e.g. the coverage
// used to pick the top-K users. Returns n_users × times.size() values, row-major (user u, time w at
// u·times.size() + w), identical on every rank. Memory O(U · times), not O(U · K).
std::vector<double> spreading_sizes_all_users(const ctmp_model& model, std::span<const double> times,
                                              const propagation_options& options, const communicator& comm,
                                              const propagation_progress& progress = {});

} // namespace mic
