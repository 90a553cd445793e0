#pragma once
// Rows of P(t) = exp(Qt) for given users, by forward propagation of the row vector e_iᵀ through the
// sparse Q (no collectives: give each rank its share of the users). Work per user is
// (number of terms) × (non-zeros of Q reachable from i), memory a few vectors of length U.
//
// uniformization: e_iᵀ P(t) = Σ_{k=0}^{R} p_k(Λt) v_k, v_{k+1} = v_k (I + Q/Λ), v_0 = e_iᵀ, Λ = max q_j,
//   with R from poisson_weights.hpp: ‖computed − exact‖₁ ≤ tolerance (plus rounding).
// taylor: e_iᵀ (I + Qt/n)^n by n products. Only an approximation (error O(1/n)); and when
//   q_j t/n > 1 for some j the matrix I + Qt/n has a negative diagonal entry, so for small n the
//   result need not be a probability vector (entries < 0 or > 1 appear; the row sum stays 1).
#include <cstdint>
#include <span>
#include <vector>

#include "engine/ctmp/propagation_options.hpp"
#include "engine/ctmp/rate_matrix.hpp"

namespace mic {

// A row of P(t) as a sparse vector: the states with non-zero probability, ascending.
struct probability_row {
    std::vector<std::int32_t> state;
    std::vector<double> probability;
};

// Rows e_userᵀ P(t) for every t in `times` (each t ≥ 0), one row per time.
std::vector<probability_row> transition_rows(const ctmp_model& model, std::int32_t user, std::span<const double> times,
                                             const propagation_options& options);

// DS_user(t) = ∫_0^t Σ_j P_user,j(s) q_j ds for every t in `times`, by the same forward propagation
// (uniformization: DS = (1/Λ) Σ_k T_k(Λt) v_k·q; taylor: trapezoid rule on the Euler iterates of
// (I + hQ), h = max(times)/n, see taylor_quadrature.hpp). One user at a time, no collectives: the reference for spreading_size.hpp, and cheap
// for a few users of a large chain.
std::vector<double> spreading_size_forward(const ctmp_model& model, std::int32_t user, std::span<const double> times,
                                           const propagation_options& options);

// The number of terms R+1 uniformisation needs for λ = Λt (an upper estimate, cheap); throws
// input_error when it exceeds options.max_terms, naming Λ and the remedies.
std::int64_t check_uniformization_terms(double rate_bound, double t, const propagation_options& options);

} // namespace mic
