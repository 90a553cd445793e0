#pragma once
// Step 1 of Alg. 1 (variants mic and linmic): for fixed M and W,
//
//   max S(Σ) = Σ_e log f_{u_e}(c_e | t_e)   over row-stochastic Σ (σ_sc ≥ 0, Σ_c σ_sc = 1),
//
// a concave problem (SPEC §2). Rank 0 runs a projected Newton–CG method; every other rank only
// serves the collective evaluations of distributed_sigma_objective.
//
// One Newton iteration at Σ with gradient g (all on rank 0, except the products ∇²S·V):
//   active set   per row s: A_s = {c : σ_sc ≤ ε and g_sc ≤ η_s}, η_s = mean of g_sc over σ_sc > ε,
//                ε = min(0.1/C, r) (r the KKT residual, simplex.hpp); F_s = the rest.
//   reduced      b = P g, where P zeroes A and removes the mean over F_s in every row (the tangent
//                space of the constraints restricted to F).
//   Newton–CG    −P ∇²S P d = b by conjugate gradients (truncated at ‖res‖ ≤ min(0.1, √r)‖b‖, or at
//                non-positive curvature: −∇²S is only positive semidefinite).
//   bound part   d_sc = −σ_sc on A_s, its mass spread evenly over F_s (rows keep summing to 1).
//   arc          Σ(α) = P_Δ(Σ + α d) row by row, α = 1, 1/2, …, Armijo:
//                S(Σ(α)) ≥ S(Σ) + 10⁻⁴ ⟨g, Σ(α) − Σ⟩ and S(Σ(α)) ≥ S(Σ).
//   fallback     the projected gradient arc P_Δ(Σ + α g/n), an ascent arc at any non-KKT point.
//   stop         KKT residual ≤ tolerance, or ⟨g, d⟩ ≤ 8ε(|S| + n) and the full step does not lower
//                the KKT residual (optimal to working precision; below that rounding the full step is
//                taken whenever it lowers the residual: values can no longer rank points, gradients can).
// Σ is only replaced by a point with a larger finite S, so the step never decreases L (the rest of
// L does not depend on Σ: λ = Σ_c ν*_c for row-stochastic Σ).
//
// Why no collective can hang: the solver runs on rank 0 only. Before each collective it broadcasts a
// command (evaluate, Hessian product or stop); the other ranks loop on that broadcast and make
// exactly the collective it names, so all ranks make the same collectives in the same order whatever
// the CG or line-search iteration counts are. The solver's own failures are caught on rank 0, which
// then sends "stop" and an error flag, so every rank leaves the loop and throws together.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/distributed/communicator.hpp"
#include "engine/likelihood/distributed_sigma_objective.hpp"

namespace mic {

struct sigma_step_options {
    double tolerance = 1e-9;         // on simplex_kkt_residual
    int max_newton_iterations = 50;
};

struct sigma_step_result {
    double value_before = 0;   // S at the incoming Σ
    double value_after = 0;    // S at the returned Σ
    double kkt_residual = 0;   // at the returned Σ
    double max_change = 0;     // max |ΔΣ|
    int newton_iterations = 0;
    int hessian_products = 0;
    bool converged = false;             // kkt_residual ≤ tolerance
    bool at_working_precision = false;  // stopped above it: no step could be told apart by S or lowered the residual
};

// Collective. One projected Newton–CG direction at `sigma` (the same on every rank) for the curvature
// ∇²S + correction, where `correction` (C²×C² row-major, symmetric positive semidefinite; empty for
// none) is the same on every rank: with the profile term of sigma_sensitivity.hpp this is the Newton
// direction of the profile likelihood max_θ L(θ, Σ). No line search: the caller searches along
// Σ(α) = P_Δ(Σ + α d) with its own objective.
struct sigma_direction {
    double value = 0;               // S at Σ
    std::vector<double> gradient;   // ∂S/∂Σ at Σ (C×C)
    std::vector<double> direction;  // d (C×C, rows sum to 0); zero at a KKT point
    double kkt_residual = 0;        // simplex_kkt_residual at Σ
    int hessian_products = 0;
};
sigma_direction sigma_newton_direction(const communicator& comm, distributed_sigma_objective& objective,
                                       std::span<const double> sigma, std::span<const double> correction);

// Collective over `comm` (the objective's communicator). `sigma` (C×C row-major, row-stochastic) is
// the start on rank 0 and receives the result on every rank; the result is the same on every rank.
sigma_step_result sigma_step(const communicator& comm, distributed_sigma_objective& objective, std::span<double> sigma,
                             const sigma_step_options& options);

} // namespace mic
