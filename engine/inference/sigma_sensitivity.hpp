#pragma once
// How the users' best parameters follow Σ: the pieces of a Newton step on the profile likelihood
//
//   P(Σ) = max_{θ ≥ 0} L(θ, Σ),   θ = every user's (μ_u, w_·u).
//
// At a point where every user problem is solved (after a user step), let F_u be user u's free
// coordinates: those that enter L_u (scale s_i > 0) and are not at their bound by the user solver's
// rule with ε = bound_tolerance (belongs_on_bound, projected_newton.hpp: near the bound, pushed down,
// and pushed measurably or with a Newton step that reaches it). H_u = ∂²L_u/∂θ_F² (negative
// definite) and J_u = ∂²L_u/∂θ_F∂Σ (|F_u| × C², event_terms::add_cross_hessian). The implicit
// function theorem on ∇_θ L_u = 0 gives
//
//   dθ_u = (−H_u)⁻¹ J_u dΣ,    ∇P = ∂S/∂Σ,    ∇²P = ∇²S + Σ_u J_uᵀ (−H_u)⁻¹ J_u.
//
// The plain Σ-step (sigma_step.hpp) uses ∇²S only, i.e. holds M and W fixed. Where Σ and W trade off
// against each other, ∇²S is far more curved than ∇²P, and the alternation of Alg. 1 crawls along
// that valley (tens of iterations with gains of 1e-6). The correction K = Σ_u J_uᵀ(−H_u)⁻¹J_u is a
// C²×C² positive semidefinite matrix: each rank sums its users' terms (compensated, in owned order)
// and the totals are added in rank order, so K is the same on every rank and depends on the
// partition by ~1 ulp only.
//
// Cost per user: one pass over its events for H_u and J_u (O(n_u (k² C + k C²))), a Cholesky
// factorisation O(p³) and O(p C⁴) for J_uᵀ(−H_u)⁻¹J_u (p = C + k); memory O(p (p + C²)) for one user
// at a time. Nothing is kept across users: user_response() recomputes H_u and J_u.
#include <span>
#include <vector>

#include "engine/inference/user_step.hpp"
#include "engine/likelihood/compensated_sum.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

// Local. This rank's part of K (C²×C² row-major, K[(s·C + c)·C² + s'·C + c']): the sum over its
// owned users at the θ and Σ of `params`, compensated, for sum_over_ranks.
std::vector<compensated_sum> local_profile_curvature(user_step& users, const model_params& params,
                                                     double bound_tolerance);

// Local. The first-order response Δθ_u = (−H_u)⁻¹ J_u dΣ of every owned user to the change `dsigma`
// of Σ (C×C), 0 on coordinates that are not free: the Δθ_u of the owned users concatenated in owned
// order, each in the θ_u layout of model_params.hpp (C baselines, then the k_u in-weights) — only
// the owned rows, not a whole parameter set (which would cost 8·U·C + 12·E bytes on every rank).
std::vector<double> user_response(user_step& users, const model_params& params, std::span<const double> dsigma,
                                  double bound_tolerance);

} // namespace mic
