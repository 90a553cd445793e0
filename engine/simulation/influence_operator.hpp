#pragma once
// The linear operator behind the closed forms of Sec. 6, on U×C matrices X (row-major, one row per
// user, one column per cascade):
//
//     K(X) = Wᵀ X S,   i.e.  K(X)_{u,c} = Σ_s (Σ_{v ∈ F_u} w_vu X_{v,s}) σ_sc,
//
// with S = Σ (coupled cascades) or S = I (independent columns). Orientation: w_vu is v's influence on
// u, so row u of Wᵀ gathers u's in-neighbours — the CSR layout of the params file, used as is.
// It is applied in O(edges·C + U·C²) without forming any U×U matrix.
//
// Where it comes from. With E[X_u^s] the expected social drive, dE[X_u^s]/dt = −E[X_u^s]/τ +
// Σ_v w_vu E[λ_v^s] (the kernel decays at rate 1/τ and every event of v in s adds w_vu). Summed over
// s (λ_u = μ_u + Σ_s X_u^s): dE[λ]/dt = −(E[λ] − μ)/τ + Wᵀ E[λ] (Eq. 27), whose solution from
// E[λ(0)] = μ is Eq. 28 with B = (I − τWᵀ)⁻¹, and E[n(t)] = ∫_0^t E[λ] is Eq. 29. For linear mixing
// (λ_u^c = ν*_u^c) the same argument per cascade gives dL/dt = −(L − M)/τ + Wᵀ L Σ for the U×C
// matrix L of E[λ_u^c], i.e. the operator K with S = Σ.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/model/model_params.hpp"

namespace mic {

class influence_operator {
public:
    // K on U×width matrices; `coupling` is width×width row-major (S), or empty for the identity.
    // Keeps a reference to `params`.
    influence_operator(const model_params& params, std::int32_t width, std::span<const double> coupling = {});

    std::int32_t n_users() const { return params_->n_users; }
    std::int32_t width() const { return width_; }
    std::size_t size() const { return std::size_t(params_->n_users) * std::size_t(width_); }

    // y = K(x); x and y of size(), not aliased.
    void apply(std::span<const double> x, std::span<double> y) const;

private:
    const model_params* params_;
    std::int32_t width_;
    std::vector<double> coupling_;  // empty: identity
};

// The solution x of (I − τK) x = b, i.e. x = Σ_k (τK)^k b — for K = Wᵀ this is x = B b with
// B = (I − τWᵀ)⁻¹. BiCGSTAB (Eigen) on the matrix-free operator, to a relative residual `tolerance`.
// Needs ρ(W)·τ < 1 (see spectral_radius.hpp); throws input_error when the solve does not converge.
std::vector<double> solve_resolvent(const influence_operator& K, double tau, std::span<const double> b,
                                    double tolerance = 1e-13);

} // namespace mic
