#pragma once
// The Σ-step of `mic fit` for mic and linmic: one Newton step on the profile likelihood
// P(Σ) = max_θ L(θ, Σ) (sigma_sensitivity.hpp), taken jointly in Σ and the users' θ:
//
//   K         the profile curvature Σ_u J_uᵀ(−H_u)⁻¹J_u (one C²×C² reduction)
//   d         the projected Newton–CG direction for ∇²S + K at Σ (sigma_newton_direction; rank 0)
//   Δθ        every user's first-order response (−H_u)⁻¹J_u d (local)
//   arc       Σ(α) = P_Δ(Σ + α d) row by row, θ(α) = θ + α Δθ with μ kept ≥ μ/2 (a zero baseline can
//             make an event impossible) and w ≥ 0,  α = 1, 1/2, …, 2⁻²⁰
//   accept    L(θ(α), Σ(α)) ≥ L₀ + 10⁻⁴ ⟨∂S/∂Σ, Σ(α) − Σ⟩ and L(θ(α), Σ(α)) > L₀
//             (L here is the fit's objective: the log-likelihood plus the users' baseline prior)
//
// (at a user optimum ∂L/∂θ vanishes on the free coordinates, so ∂S/∂Σ is the whole slope). No step
// is taken when Σ is a KKT point (residual ≤ sigma_tolerance) or when the predicted gain ⟨∂S/∂Σ, d⟩
// is below the rounding error of L, 8ε(|L| + n). The
// user step that follows in fit.cpp solves θ exactly at the new Σ. Near the optimum this converges
// quadratically, where the plain Σ-step (∇²S only, M and W held fixed) converges linearly with a rate
// close to 1 when Σ and W trade off.
//
// Why no collective can hang: d, its KKT residual and every L(α) are the same on every rank
// (broadcasts from rank 0 and exact sums over ranks), so every rank takes the same branches and makes the same
// collectives. K is all-reduced (only rank 0's copy is used: it computes d).
#include <cstdint>

#include "engine/distributed/communicator.hpp"
#include "engine/inference/user_step.hpp"
#include "engine/likelihood/shard_kernels.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

// Which Σ-step a fit takes. The curvature term K costs O((C + k) C⁴) per user and a C⁴ reduction:
// about one user step at C = 10, 50× that at C = 40. `automatic` takes the profile step up to
// profile_step_max_cascades cascades and the plain Σ-step (Hessian-vector products only, O(C²) per
// event) beyond.
enum class sigma_step_kind { automatic, profile, plain };
inline constexpr std::int32_t profile_step_max_cascades = 16;
constexpr bool uses_profile_step(sigma_step_kind kind, std::int32_t n_cascades) {
    return kind == sigma_step_kind::profile ||
           (kind == sigma_step_kind::automatic && n_cascades <= profile_step_max_cascades);
}

struct profile_step_options {
    double sigma_tolerance = 1e-9;  // no step when Σ's simplex KKT residual is at most this
    double bound_tolerance = 1e-9;  // a user coordinate is at its bound when θ_i s_i/(n+1) ≤ this and g_i ≤ 0
};

struct profile_step_result {
    bool moved = false;        // a point with a larger L was accepted
    double loglik_before = 0;  // L₀
    double loglik = 0;         // L at the returned point
    double kkt_residual = 0;   // Σ's simplex KKT residual at the incoming point
    int trials = 0;            // evaluations of L along the arc
    int hessian_products = 0;
};

// Collective. `local` must hold a user optimum for its Σ on the owned users (after a user step);
// when the step is accepted its Σ (every rank) and owned θ rows are replaced.
profile_step_result profile_sigma_step(const communicator& comm, const shard_kernels& kernels, user_step& users,
                                       model_params& local, const profile_step_options& options = {});

} // namespace mic
