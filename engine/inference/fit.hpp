#pragma once
// Alg. 1 of the MIC paper (SPEC §2 "Inference"): alternate
//   Σ-step     max over row-stochastic Σ of Σ_e log f(c_e|t_e)      (mic, linmic; sigma_step.hpp)
//   user step  max over θ_u ≥ 0 of L_u(θ_u | Σ), every owned user     (user_step.hpp)
// until it converges: the relative gain of the objective Φ = L + log p(M) (baseline_prior.hpp),
// (Φ_k − Φ_{k−1}) / |Φ_{k−1}|, is below `tolerance` AND every user's scaled KKT residual is within
// the user tolerance AND Σ's within the Σ tolerance (a small gain alone is no proof: at large β
// the alternation can gain little per iteration far from the optimum). It stops otherwise after
// `max_iterations` outer iterations, or when no step can increase Φ any more (stalled); both are
// reported as not converged. Iteration 0 is one user step from the starting point (the starting M, W
// are crude; a Σ-step on them would be wasted). Every step only accepts points with a larger value,
// so Φ never decreases.
//
// Distribution: users are sharded (any partition; cost_partition.hpp balances the work); the user
// step is local; the Σ-step and the totals are collectives made by every rank in the same order
// (one Σ-step, one exact sum over ranks per iteration; all loop decisions use values that are the same on
// every rank). Per-user results do not depend on the partition, and every sum over ranks is exact
// (exact_sum.hpp), so fits on 1, 2 or 3 ranks give the same bits (what that rests on: exact_sum.hpp).
//
// The Σ-step (mic, linmic) is by default a Newton step on the profile likelihood max_θ L(θ, Σ),
// taken jointly with the users' first-order response (profile_step.hpp), then the plain Σ-step
// (sigma_step.hpp: Newton iterations on Σ with M and W held fixed, until Σ is a KKT point for them).
// The profile step alone converges in 3–6 iterations where Σ and W trade off (the plain alternation
// crawls there, 20–40), but it is one Newton step on a model that is only valid within O(1/β) of the
// current point when β is large: f_u saturates to 0/1 and L is nearly piecewise linear in Σ; a
// misassigned event makes J_u (∂²L_u/∂θ∂Σ) of order β while ∇²S and the users' H_u stay bounded, so
// the profile curvature K grows like β² and the step like 1/β (on a real dataset the default fit
// stopped near Σ = I, because each step gained less than the gain tolerance). The plain step that follows solves the Σ
// problem for the current M and W wherever that lies: it is what makes progress at large β, and it
// is the safeguard when the profile step is refused or cut short. At a KKT point of Σ it stops after
// one evaluation. Both only accept a larger objective.
//
// Resuming: the state between iterations is (M, W, Σ, k, L_k); the steps use nothing else. A fit started from a checkpoint of
// iteration k with start_iteration = k and previous_objective = Φ_k repeats exactly the computations of
// the uninterrupted run from there on.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/distributed/communicator.hpp"
#include "engine/inference/baseline_prior.hpp"
#include "engine/inference/profile_step.hpp"
#include "engine/inference/projected_newton.hpp"
#include "engine/support/error.hpp"
#include "engine/inference/sigma_step.hpp"
#include "engine/inference/user_step.hpp"
#include "engine/likelihood/shard_kernels.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

struct fit_options {
    static constexpr double default_pseudo_events = 0.1;
    static constexpr double default_kkt_tolerance = 1e-7;

    double tolerance = 1e-6;  // on the relative gain of the objective
    int max_iterations = 100;
    // Every user's scaled KKT residual must be within user.tolerance and Σ's within sigma.tolerance.
    // 1e-7 is far below any statistical error and above the rounding floor that large β imposes on
    // both residuals (the gradients carry factors β; at β = 1e5 single users stop near 2e-8).
    projected_newton_options user{default_kkt_tolerance};
    sigma_step_options sigma{default_kkt_tolerance};
    // The weak prior on the baselines (baseline_prior.hpp): the fit maximises L + ε Σ log μ. The
    // default keeps every held-out event possible; 0 is the pure maximum-likelihood estimate.
    baseline_prior prior{default_pseudo_events};
    // Per rank, see user_step.hpp: 256 MiB, the default of `mic fit --feature-memory` and of `mic cv`.
    static constexpr std::size_t default_feature_budget_bytes = std::size_t(256) << 20;
    std::size_t feature_budget_bytes = default_feature_budget_bytes;
    // Resume: the iteration the start point ends, and its objective (start_iteration = 0: a fresh fit).
    int start_iteration = 0;
    std::optional<double> previous_objective;
    std::optional<double> previous_gain;  // that iteration's relative gain: the result's when no iteration is left
    // Gather the whole parameter set on rank 0 after every iteration for the callback (checkpoints).
    bool gather_every_iteration = false;
    // Σ-step by a Newton step on the profile likelihood (profile_step.hpp) followed by the plain Σ-step
    // of sigma_step.hpp; plain: Alg. 1 as printed. See uses_profile_step.
    sigma_step_kind sigma_step = sigma_step_kind::automatic;
    // Over-relaxation of each outer iteration (extrapolation.hpp), mic and linmic: the factors 2, 3, 4,
    // 6, 8 up to max_extrapolation are tried along the iteration's step; below 2 turns it off.
    double max_extrapolation = 8;
};

// How many users' kernel features the user step keeps across iterations (user_step.hpp): the rest
// are built for their solve, or recomputed at every evaluation when their features alone exceed the
// budget. Summed over ranks; the bytes are the largest rank's.
struct stored_features {
    std::int64_t users = 0;     // users whose features are kept
    std::int64_t of_users = 0;  // all users
    double max_rank_bytes = 0;  // the most any rank keeps (≤ fit_options::feature_budget_bytes)
    std::int64_t streamed = 0;  // users whose features alone exceed the budget: recomputed at every evaluation
    double largest_user_bytes = 0;  // the largest user's features, on any rank
};

struct fit_progress {
    int iteration = 0;
    double beta = 0;               // the β of the fit (a β path runs several)
    double loglik = 0;             // L at the iteration's end
    double objective = 0;          // L + log p(M), the quantity every step increases
    std::optional<double> gain;    // relative gain of the objective (none at a fresh start's iteration 0)
    double max_sigma_change = 0;   // max |ΔΣ| of the Σ-step (0 for cc, ic and iteration 0)
    double seconds = 0;            // wall time of the iteration (rank 0)
    double min_time_share = 1;     // min over ranks of (rank's compute time / mean over ranks)
    double max_time_share = 1;     // max of the same: the load imbalance
    double user_kkt = 0;           // max scaled KKT residual of the user problems
    std::int64_t users_not_converged = 0;  // users whose residual is above the user tolerance
    std::int64_t users_beta_continued = 0; // users redone along a β path after running out of iterations (user_step.hpp)
    int sigma_newton_iterations = 0;
    bool profile_step = false;     // the profile Newton step was accepted
    bool plain_step = false;       // the plain Σ-step moved Σ
    double extrapolation = 1;      // the factor α of the accepted over-relaxation (1: none; extrapolation.hpp)
    int candidate = 0;             // --beta-path auto/both: the scheme's candidate, 0 the first, 1 the second (beta_path.hpp)
    collective_counts collectives; // made by this rank during the iteration (calls, payload bytes)
    stored_features features;      // the same at every iteration of one fit_model
};

// Called on every rank after each iteration; with fit_options::gather_every_iteration `params` is, as
// fit_result::params, every user's row on the root (gathered) and this rank's rows elsewhere; else nullptr.
// The callback may throw (on every rank at once, e.g. an agreed interruption after a checkpoint):
// the fit then unwinds without further collectives.
using fit_callback = std::function<void(const fit_progress&, const model_params* params)>;
// Called on each rank after each of its users in a user step (users done, owned users): local.
using fit_progress_hook = user_step::progress_hook;

// Why a fit stopped.
enum class fit_stop {
    converged,       // gain < tolerance and every KKT residual within its tolerance
    max_iterations,  // the iteration budget ran out first
    stalled,         // no measurable gain for 3 iterations (or nothing moved), yet some KKT residual is above
                     // its tolerance
};

// Thrown by fit_model (on every rank at once) when the objective at its start is not finite: the
// start overflows or makes an event impossible, and no step can leave such a point. The message says
// what the start holds; the caller names where it came from.
class non_finite_start: public input_error {
public:
    using input_error::input_error;
};
std::string_view name_of(fit_stop stop);
// The stop named `name` (as name_of writes it), or none.
std::optional<fit_stop> fit_stop_named(std::string_view name);

struct fit_result {
    model_params params;           // on the root every user (gathered); elsewhere this rank's rows only
    double loglik = 0;             // L at params
    double log_prior = 0;          // ε Σ log μ at params (0 without a prior)
    int iterations = 0;            // the last outer iteration done
    std::optional<double> last_gain;
    bool converged = false;        // stop == converged
    fit_stop stop = fit_stop::max_iterations;
    double max_user_kkt = 0;       // at params (kkt.hpp)
    std::int64_t users_not_converged = 0;  // users whose residual at params is above the user tolerance
    double sigma_kkt = 0;
    double rho_tau = 0;            // ρ(W)·τ of the fitted W (≥ 1: supercritical)
    collective_counts collectives; // made by this rank over the whole fit
    stored_features features;

    double objective() const { return loglik + log_prior; }
    // One line for stderr when the fit did not converge: what did not, and what to try; empty when it
    // did converge.
    std::string diagnosis(const fit_options& options) const;
};

// A starting point for the owned users of `kernels.data()`: μ_u^c = (n_u^c + 1/C) / (2 (b − a))
// (half the user's rate as background) and w_vu = (n_u + 1) / (2 τ (Σ_{v ∈ F_u} n_v + 1)) (the other
// half from the neighbours), Σ = I; n counts the scored events. It holds the rows of the owned users
// only (from the first to the last owned user: model_params::first_row).
model_params initial_params(const shard_kernels& kernels, model_variant variant, double beta, double tau);

// A warm start from another fit of the same users, cascades and graph (`mic fit --init`): its μ and
// W, its Σ when the variant learns Σ (the identity for cc and ic), and β, τ of the new fit. W is
// rescaled by τ_from / τ so that every branching ratio w τ (and ρ(W)·τ) is kept when τ changes.
model_params warm_start(const model_params& from, model_variant variant, double beta, double tau);

// Collective over `comm`. `start` must match the shard on its owned users (check_params_match); its
// Σ is used for mic and linmic (the identity otherwise). τ is start.tau; the window is `window`.
// `start` may hold every row or only the owned users' rows; the fit's working set is its owned rows
// (8·C·n_own + 12·E_own bytes), taken without a copy when `start` holds exactly those: pass it with
// std::move when the caller does not need it any more.
fit_result fit_model(const communicator& comm, const shard& data, likelihood_window window, model_params start,
                     const fit_options& options, const fit_callback& callback = {}, const fit_progress_hook& progress = {});

// The rows [first owned user, last owned user + 1) of `data` ({0, 0} when it owns none).
std::pair<std::int32_t, std::int32_t> owned_rows(const shard& data);

// Collective: on the root, the owned rows of every rank's `local` assembled into one parameter set of
// data.header.n_users users (each user from the rank that owns it); an empty set on the other ranks.
model_params gather_params_on_root(const communicator& comm, const shard& data, const model_params& local);

} // namespace mic
