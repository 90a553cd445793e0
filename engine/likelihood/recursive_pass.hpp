#pragma once
// L_u and ∇L_u in O(neighbour events + n_u·C²) per user (up to a log n_u, see below): the exponential kernel's recursion applied
// to the social drive itself, with the adjoint recursion for the gradient — no per-neighbour kernel
// state (that is what the Hessian needs; see kernel_sweep / user_likelihood).
//
// With a(j) the first scored event of u strictly after neighbour event j (ties do not excite) and
// the anchored times of exponential_kernel (E, m, D):
//   forward   X'_i = D(m_i − m_{i−1}) X'_{i−1} + Δ_i,   Δ_i[c] = Σ_{j: a(j) = i, c_j = c} w_{v_j} E_j D(m_i − m_j)
//             X_i = X'_i / E_i                                              (= Σ_v w_v g_v(t_i))
//   backward  R_i = y_i / E_i + D(m_{i+1} − m_i) R_{i+1},   y_i = ∂ℓ_i/∂X_i  (event_block, eight events at a time)
//   gradient  ∂L/∂w_v = Σ_{j ∈ H_v} R_{a(j)}[c_j] · E_j D(m_{a(j)} − m_j) − K_v
// since Σ_{i ≥ a(j)} y_i[c_j] exp(−(t_i − t_j)/τ) = R_{a(j)}[c_j] E_j D(m_{a(j)} − m_j).
// Per neighbour event: a(j), by binary search over the user's times (log₂ n_u independent steps)
// or by a merge (dependent steps, fewer when both lists are long), whichever costs less; then one
// table look-up and one multiply-add per direction. Per own event: C (recursions) + the event term
// (C² with a general Σ). Temporary memory per user:
// O(n_u·C + neighbour events).
//
// The values equal those of the kernel-state path up to rounding (≈1e-15 relative): the sums are
// taken in another order.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/likelihood/event_block.hpp"
#include "engine/likelihood/event_terms.hpp"
#include "engine/likelihood/shard_kernels.hpp"

namespace mic {

class recursive_pass {
public:
    // Keeps references to `kernels` and `model`.
    recursive_pass(const shard_kernels& kernels, const event_model& model);

    // L_u of owned user `owned_index` at θ (layout of engine/model/model_params.hpp). Fills ∇L_u into
    // `gradient` (size C + k) when non-empty; adds Σ_{e: c_e = c} ℓ_e − ∫ν_u^c to per_cascade[c]
    // when non-empty. −inf for an impossible event, as user_objective.
    double evaluate(std::size_t owned_index, std::span<const double> theta, std::span<double> gradient = {},
                    std::span<double> per_cascade = {});

    // The drives X_i (n_u × C, row i = X_u(t_i)) at the scored events of owned user `owned_index`
    // under θ (only its w part matters). Valid until the next call.
    std::span<const double> drives(std::size_t owned_index, std::span<const double> theta);

    // Scored events of the user of the last call.
    std::int64_t n_scored() const { return n_scored_; }
    // Impossible events (probability 0 under θ) of the last evaluate(), and the index among the
    // user's scored events of the first of them (−1: none).
    std::int64_t n_impossible() const { return n_impossible_; }
    std::int64_t first_impossible() const { return first_impossible_; }

private:
    void collect(std::size_t owned_index, const double* w, bool with_arrivals);
    void advance(std::size_t i, double* anchored, double* drive, std::size_t stride) const;

    struct arrival {
        std::int32_t event;    // a(j): index among the user's scored events
        std::int32_t cascade;  // c_j
        double weight;         // E_j D(m_{a(j)} − m_j)
    };

    const shard_kernels* kernels_;
    const event_model* model_;
    event_block block_;
    std::int64_t first_ = 0, n_scored_ = 0, n_impossible_ = 0, first_impossible_ = -1;
    std::vector<double> delta_, drive_, block_drive_, gradient_mu_, adjoint_, inverse_, decay_, compensator_;
    std::vector<double> own_time_;
    std::vector<std::int32_t> arrival_event_;
    std::vector<arrival> arrivals_;
    std::vector<std::size_t> arrival_offsets_;
    neighbour_prefetch prefetch_;  // the next user's in-neighbour data, spread over this user's events
    std::size_t prefetch_per_event_ = 0;
};

} // namespace mic
