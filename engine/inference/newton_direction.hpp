#pragma once
// The Newton step of projected_newton.hpp on the free coordinates F: with A = −∇²f (positive
// semidefinite for a concave f),
//
//   (A_FF + δI) d_F = g_F,   δ = 0 when A_FF is positive definite (Cholesky succeeds and the
//                            solution is finite), else 1e-12·max_i A_ii, ×10 until it works.
//
// A comes in one of three forms, and each is solved where it is cheapest:
// - a dense Hessian ∇²f (p×p row-major): the exact Newton step as it always was, O(|F|³);
// - hessian_factor, normal form (A = ZᵀZ accumulated, m ≥ p): the same on A_FF, O(|F|³);
// - hessian_factor, rows form (Z: m × p kept, m < p): with m ≥ |F| the normal matrix Z_FᵀZ_F is
//   formed (O(m |F|²)); with m < |F| (a user with fewer events than free in-neighbours: A_FF is
//   singular, of rank ≤ m) the Gram form: with Z_Fᵀ = Q R (Householder, O(|F| m²)), Q = [Q₁ Q₂],
//       d_F = Q₁ (R Rᵀ + δI)⁻¹ Q₁ᵀ g_F + Q₂ Q₂ᵀ g_F / δ_null,
//   the exact Newton step on the range of Z_Fᵀ (where f is curved) plus a scaled gradient step on
//   its null space, along which f is linear (only the compensator changes: no event's intensity
//   moves), so no curvature can scale it; δ_null = mean_{i∈F} A_ii gives it the size of a diagonal
//   Newton step, and the projected arc search then cuts it at the bounds. Cost per iteration
//   O(m² |F|) = O(n_u² k) instead of O(n_u k²) + O(k³).
// Each returns false (d untouched) when no δ worked.
#include <cstddef>
#include <span>
#include <vector>

#include "engine/likelihood/hessian_factor.hpp"

namespace mic {

// ∇²f as a dense p×p row-major matrix (objectives that give the exact Hessian).
struct dense_hessian {
    std::size_t p = 0;
    std::vector<double> values;
    void resize(std::size_t n) {
        p = n;
        values.assign(n * n, 0.0);
    }
};

bool newton_direction(const dense_hessian& hessian, std::span<const std::size_t> free,
                      std::span<const double> gradient, std::span<double> direction);

bool newton_direction(const hessian_factor& negative_hessian, std::span<const std::size_t> free,
                      std::span<const double> gradient, std::span<double> direction);

// A_ii, the diagonal of A = −∇²f in either form (for the diagonally scaled gradient arc).
inline double negative_curvature(const dense_hessian& hessian, std::size_t i) { return -hessian.values[i * hessian.p + i]; }
inline double negative_curvature(const hessian_factor& negative_hessian, std::size_t i) {
    return negative_hessian.diagonal(i);
}

// f(θ) with ∇f and the curvature of either form at θ.
template <class F>
double evaluate_with_curvature(F& f, std::span<const double> theta, std::span<double> gradient, dense_hessian& hessian) {
    return f.evaluate(theta, gradient, std::span<double>(hessian.values));
}
template <class F>
double evaluate_with_curvature(F& f, std::span<const double> theta, std::span<double> gradient,
                               hessian_factor& negative_hessian) {
    return f.evaluate(theta, gradient, negative_hessian);
}

} // namespace mic
