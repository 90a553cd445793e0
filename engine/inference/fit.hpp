#pragma once
// Alg. 1 of the MIC paper (SPEC §2 "Inference"): alternate
//   Σ-step     max over row-stochastic Σ of Σ_e log f(c_e|t_e)      (mic, linmic; sigma_step.hpp)
//   user step  max over θ_u ≥ 0 of L_u(θ_u | Σ), every owned user     (user_step.hpp)
// until the relative gain of L, (L_k − L_{k−1}) / |L_{k−1}|, is below `tolerance`, or
// `max_iterations` outer iterations. Iteration 0 is one user step from the starting point (the
// starting M, W are crude; a Σ-step on them would be wasted). Both steps only accept points with a
// larger value, so L never decreases.
//
// Distribution: users are sharded (any partition; cost_partition.hpp balances the work); the user
// step is local; the Σ-step and the totals are collectives made by every rank in the same order
// (one Σ-step, one ordered sum per iteration; all loop decisions use values that are the same on
// every rank). Per-user results do not depend on the partition, and the Σ-step sums are
// compensated, so fits on 1, 2 or 3 ranks agree to rounding.
//
// The Σ-step (mic, linmic) is by default a Newton step on the profile likelihood max_θ L(θ, Σ),
// taken jointly with the users' first-order response (profile_step.hpp): block coordinate ascent
// with the plain Σ-step (sigma_step.hpp, M and W held fixed) crawls along the direction in which Σ
// and W trade off against each other, 20–40 iterations where the profile step needs 3–6. When the
// profile step finds no ascent, the plain Σ-step is taken. Both only accept a larger L.
//
// Resuming: the state between iterations is (M, W, Σ, k, L_k); the steps use nothing else. A fit started from a checkpoint of
// iteration k with start_iteration = k and previous_loglik = L_k repeats exactly the computations of
// the uninterrupted run from there on.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

#include "engine/distributed/communicator.hpp"
#include "engine/inference/profile_step.hpp"
#include "engine/inference/projected_newton.hpp"
#include "engine/inference/sigma_step.hpp"
#include "engine/likelihood/shard_kernels.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

struct fit_options {
    double tolerance = 1e-6;  // on the relative gain of L
    int max_iterations = 100;
    projected_newton_options user;
    sigma_step_options sigma;
    std::size_t feature_budget_bytes = std::size_t(1) << 30;  // per rank, see user_step.hpp
    // Resume: the iteration the start point ends, and its L (start_iteration = 0: a fresh fit).
    int start_iteration = 0;
    std::optional<double> previous_loglik;
    // Gather the whole parameter set after every iteration for the callback (for checkpoints).
    bool gather_every_iteration = false;
    // Σ-step by a Newton step on the profile likelihood (profile_step.hpp), falling back to the plain
    // Σ-step of sigma_step.hpp when it finds no ascent; plain: Alg. 1 as printed. See uses_profile_step.
    sigma_step_kind sigma_step = sigma_step_kind::automatic;
};

struct fit_progress {
    int iteration = 0;
    double loglik = 0;
    double gain = 0;               // relative gain of L (NaN at iteration 0)
    double max_sigma_change = 0;   // max |ΔΣ| of the Σ-step (0 for cc, ic and iteration 0)
    double seconds = 0;            // wall time of the iteration (rank 0)
    double min_time_share = 1;     // min over ranks of (rank's compute time / mean over ranks)
    double max_time_share = 1;     // max of the same: the load imbalance
    double user_kkt = 0;           // max scaled KKT residual of the user problems
    std::int64_t users_not_converged = 0;
    int sigma_newton_iterations = 0;
    bool profile_step = false;     // the Σ-step was a profile Newton step (else the plain Σ-step)
};

// Called on every rank after each iteration; `params` is the gathered parameter set when
// fit_options::gather_every_iteration, else nullptr.
using fit_callback = std::function<void(const fit_progress&, const model_params* params)>;

struct fit_result {
    model_params params;           // every user (gathered), on every rank
    double loglik = 0;             // L at params
    int iterations = 0;            // the last outer iteration done
    bool converged = false;
    double max_user_kkt = 0;       // at params (kkt.hpp)
    double sigma_kkt = 0;
};

// A starting point for the owned users of `kernels.data()`: μ_u^c = (n_u^c + 1/C) / (2 (b − a))
// (half the user's rate as background) and w_vu = (n_u + 1) / (2 τ (Σ_{v ∈ F_u} n_v + 1)) (the other
// half from the neighbours), Σ = I; n counts the scored events. Rows of other users are 0 and they
// have no in-neighbours here (every rank fills only its own users; fit_model gathers).
model_params initial_params(const shard_kernels& kernels, model_variant variant, double beta, double tau);

// Collective over `comm`. `start` must match the shard on its owned users (check_params_match); its
// Σ is used for mic and linmic (the identity otherwise). τ is start.tau; the window is `window`.
fit_result fit_model(const communicator& comm, const shard& data, likelihood_window window, const model_params& start,
                     const fit_options& options, const fit_callback& callback = {});

// Collective: the owned rows of every rank's `local` assembled into one parameter set of
// data.header.n_users users (rank order; each user from the rank that owns it).
model_params gather_params(const communicator& comm, const shard& data, const model_params& local);

} // namespace mic
