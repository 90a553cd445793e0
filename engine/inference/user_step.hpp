#pragma once
// Step 2 of Alg. 1 on one rank: for each owned user u, independently,
//
//   max L_u(θ_u | Σ)  subject to θ_u = (μ_u^0..μ_u^{C−1}, w_{v_1 u}..w_{v_k u}) ≥ 0
//
// by projected Newton (projected_newton.hpp), warm-started from the rows of the params passed in.
// The Newton systems use the exact Hessian in square-root form, −∇²L_u = ZᵀZ (hessian_factor.hpp:
// one row per event for linear mixing, 1 + C for Boltzmann, none for terms that vanish), solved in
// normal form when the user has more rows than coordinates and in Gram form otherwise
// (newton_direction.hpp): O(n_u·min(n_u, k)·k) per iteration instead of the dense O(n_u k² + k³), so
// that a complete graph of 1000 users fits in seconds. options.dense_hessian forces the dense
// Hessian (the reference path); second_derivatives always gives it. No communication: a user's result depends on its own data, Σ, β, τ and
// its starting point only, so it is bitwise the same on any number of ranks.
//
// Features are kept across outer iterations. The kernel states G_e (k×C per scored event) do not
// depend on θ, Σ or β, and building them is the costly part of an evaluation (a sweep over the
// in-neighbours' events, kernel_sweep.hpp); every Newton iteration and line-search trial of every outer iteration
// reuses them. They cost 8·C·k·n_u + 8·k + 12·n_u bytes per user (user_features::bytes()). When all owned
// users' features fit in `feature_budget_bytes` they are all kept. Otherwise the largest user's
// features that fit the budget at all are set aside, each user in owned order is kept if its features
// still fit in the rest (a user that does not fit is skipped, later smaller ones may still fit), and
// each user not kept gets them built for the duration of its solve (one sweep per outer iteration
// instead of one per evaluation). Only users whose features alone exceed the budget are evaluated by
// stream_user_loglik, which recomputes G on every evaluation with memory O(k·C + p²). Setting aside
// the largest rather than keeping more users: a streamed user costs a sweep per evaluation (tens per
// solve), a user not kept one per solve. All three give the same numbers bit for bit, and the
// features held at any time stay within the budget.
//
// Weights of in-neighbours without any event before b (scale K_v = 0) do not enter L_u; they are
// set to 0.
//
// With a baseline prior (baseline_prior.hpp, ε > 0) every objective above is L_u + ε Σ_c log μ_u^c:
// the solver, the KKT residuals and the second derivatives all see the penalised objective, and
// baselines at 0 in the start are raised to ε/(b − a) first. The reported log-likelihoods are L_u alone.
//
// β continuation (Boltzmann mixing, mic and cc). At large β the mixing saturates: log f(c | t) =
// βν*_c − logsumexp(βν*) is nearly piecewise linear in θ, its curvature β²f(1 − f) lies on the thin
// sets where an event's two likeliest cascades tie, and Newton's quadratic model holds only up to the
// next tie, so a start that misassigns many events crosses them a few per iteration. Measured on a
// heavy-tailed log at β = 1000 (3,000 users, 311 k events, cold start): one user with 219 events
// gained ~30 per iteration and stopped at the iteration limit at L = −28,993 with a residual of 499;
// its optimum is −465. When a user's solve ends at the limit still moving (not converged, not at
// working precision), it is redone from the point reached along continuation_betas (each rung from
// the last; at small β the problem is smooth and few iterations solve it) and then at β with a full
// budget, and the better of the two results at β is kept — that user then converges after 52 more
// iterations (the direct solve alone needs 490; user_step_test). It is a rescue, not a cure: on the
// 20,000-user heavy-tailed log of benchmarks/README (6.1 M events, β = 1000, τ = 0.1, cold start) the
// 7 users that ran out all stayed above the tolerance after the path, but the first user step ended at
// L = +1,235,896.8 instead of −1,247,748.7, with the largest residual 5.97 instead of 72.4.
// Users that converge at β directly are untouched (same iterates, same bits), so the cost falls only
// on users that would otherwise be reported as not converged.
//
// Feasibility: when L_u = −inf at the start (an event impossible: λ_u(t_e) = 0, or under linear
// mixing ν*_{c_e} = 0), μ_u is raised to a positive floor first. Every accepted step afterwards has a
// finite, larger value, and the log-barrier of log λ / log f keeps μ away from 0 wherever an event
// needs it.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "engine/inference/baseline_prior.hpp"
#include "engine/inference/projected_newton.hpp"
#include "engine/likelihood/compensated_sum.hpp"
#include "engine/likelihood/shard_kernels.hpp"
#include "engine/likelihood/user_likelihood.hpp"
#include "engine/model/mixing.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

struct user_step_summary {
    compensated_sum loglik;          // Σ_u L_u over the owned users at the returned θ
    compensated_sum log_prior;       // Σ_u ε Σ_c log μ_u^c (0 without a prior)
    double max_kkt_residual = 0;     // max over owned users
    int max_iterations = 0;          // Newton iterations of the slowest user
    std::int64_t not_converged = 0;  // users whose residual stayed above the tolerance
    std::int64_t beta_continued = 0; // users whose solve at β ran out of iterations and was redone along a β path
};

// The β ladder of a user's β continuation, ascending and below β: β/10^J, …, β/10, where J is the
// largest with β/10^J · r > 0.1 for the user's mean event rate r = (n_u + 1)/(b − a) (at most 12 rungs;
// empty when β/10 · r ≤ 0.1: β itself is smooth enough, and the user is not redone).
std::vector<double> continuation_betas(double beta, double events_per_unit_time);

class user_step {
public:
    // Keeps a reference to `kernels`. Builds the features of the users that fit the budget.
    user_step(const shard_kernels& kernels, std::size_t feature_budget_bytes, baseline_prior prior = {});

    const baseline_prior& prior() const { return prior_; }
    // Σ over the owned users of ε Σ_c log μ_u^c at `params` (0 without a prior).
    compensated_sum log_prior(const model_params& params) const;

    std::size_t cached_users() const { return cached_users_; }
    // The owned users (global ids) in owned order.
    const std::vector<std::int32_t>& owned() const { return kernels_->data().owned; }
    std::size_t cached_bytes() const { return cached_bytes_; }
    // The part of the budget set aside for one not-kept user's features during its solve.
    std::size_t scratch_bytes() const { return scratch_bytes_; }
    // Owned users whose features exceed the whole budget: recomputed at every evaluation.
    std::size_t streamed_users() const { return streamed_users_; }
    // The largest owned user's features (bytes; an upper bound of user_features::bytes()).
    std::size_t largest_user_bytes() const { return largest_user_bytes_; }

    // Solves every owned user's problem under params.variant/β and params.sigma (the Σ in use; the
    // identity for cc and ic), starting from and writing back into the owned rows of `params`.
    // `progress` (optional) is called with (work done, all work) after each user and before each
    // Newton iteration of a user's solve, where a user's work is (n_u + 1)(C + k_u) (one busy user
    // of a heavy-tailed log can take most of a step). Local, no collective: for progress lines and
    // stop requests. It may throw to abandon the step (run it inside run_checked so that every rank
    // learns of it); the owned rows of `params` then hold a mix of old and new values.
    using progress_hook = std::function<void(std::size_t done, std::size_t total)>;
    user_step_summary run(model_params& params, const projected_newton_options& options, const progress_hook& progress = {});

    // L_u (without the prior) and the scaled KKT residual (projected_newton.hpp, of the penalised
    // objective) of every owned user at `params`, in owned order, without changing anything.
    void check(const model_params& params, std::span<double> loglik, std::span<double> residual);

    // ∇, ∇² (p×p) of the user objective L_u + prior and ∂²L_u/∂θ∂Σ (p×C², user_objective::cross_hessian;
    // the prior does not involve Σ) of owned user i at θ under `model` (its Σ, β and mixing). Returns
    // the objective's value.
    double second_derivatives(std::size_t owned_index, const event_model& model, std::span<const double> theta,
                              std::span<double> gradient, std::span<double> hessian, std::span<double> cross);

    // n_u: the scored events of owned user i.
    std::int64_t n_scored(std::size_t owned_index) const;

    // The coordinate scales s of owned user i (b − a for μ_c, K_v = Σ_c K_v^c for w_v).
    std::vector<double> scales(std::size_t owned_index) const;

private:
    template <class Visit>
    void with_objective(std::size_t owned_index, const event_model& model, Visit&& visit);
    // The estimated bytes of owned user i's features (an upper bound of user_features::bytes()).
    std::size_t feature_bytes(std::size_t owned_index) const;

    const shard_kernels* kernels_;
    baseline_prior prior_;
    kernel_sweep sweep_;
    std::vector<user_features> features_;  // empty `kernel` and user = -1 for streamed users
    std::size_t cached_users_ = 0, cached_bytes_ = 0;
    std::size_t scratch_bytes_ = 0;  // the part of the budget for one user's features at a time
    std::size_t streamed_users_ = 0, largest_user_bytes_ = 0;
};

} // namespace mic
