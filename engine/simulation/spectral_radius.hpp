#pragma once
// The spectral radius ρ(W) of the influence matrix, and the stability figure ρ(W)·τ: the MIC
// process has a stationary regime (and finite E[λ(t)] as t → ∞) iff ρ(W)·τ < 1 (Sec. 6, Eq. 28).
//
// Method: power iteration on the non-negative matrix Wᵀ (ρ(Wᵀ) = ρ(W)), in O(edges) per step, never
// a dense U×U matrix. Why it works (Perron–Frobenius): for A ≥ 0, ρ(A) is itself an eigenvalue with a
// non-negative eigenvector, and for the shifted A + sI (s > 0) the eigenvalue ρ + s strictly
// dominates in modulus every other eigenvalue λ + s with λ ≠ ρ (|λ + s| < |λ| + s ≤ ρ + s unless
// λ = ρ), so the iteration converges to the Perron direction even when A is periodic (e.g. a
// bipartite graph, where −ρ is also an eigenvalue and the unshifted iteration oscillates).
// Each step also yields certified bounds (Collatz–Wielandt): for any x > 0,
//     min_u (Ax)_u / x_u ≤ ρ(A) ≤ max_u (Ax)_u / x_u,
// and the shifted iteration keeps x > 0. The estimate is Σ(Ax)/Σx; the run stops when it meets the
// upper bound to the relative tolerance.
// For a reducible W (some user cannot reach another through positive weights) the iteration on the
// whole of W may not converge in practice: separate components of nearly equal radius ρ₁ > ρ₂ share
// the mass of x, the estimate Σ(Ax)/Σx averages their radii, and the mass moves to the first only by
// (ρ₂ + s)/(ρ₁ + s) per step. So ρ(W) is taken as the largest ρ of W restricted to one strongly connected
// component (strong_components.hpp; W is block triangular in their order), each by the iteration above,
// largest component first; a component whose largest in-weight sum is below a ρ already certified
// is skipped. An irreducible W is one component: the iteration on the whole of W. A graph without a
// cycle of positive weights (a DAG, where Wᵀ is nilpotent) has no such component and ρ = 0 exactly.
#include <cstdint>

#include "engine/model/model_params.hpp"

namespace mic {

struct spectral_radius_estimate {
    double value = 0.0;        // the estimate of ρ(W)
    double upper_bound = 0.0;  // certified: ρ(W) ≤ upper_bound
    double lower_bound = 0.0;  // certified: ρ(W) ≥ lower_bound
    std::int32_t iterations = 0;  // summed over the components iterated
    bool converged = false;    // upper_bound − value ≤ tolerance·upper_bound
};

spectral_radius_estimate influence_spectral_radius(const model_params& params, double tolerance = 1e-10,
                                                   std::int32_t max_iterations = 5000);

} // namespace mic
