#pragma once
// One user's partial log-likelihood over the window (a, b], conditioned on all earlier history
// (SPEC §2, Eq. 15 corrected):
//
//   L_u(θ) = Σ_{e ∈ H_u, a < t_e ≤ b} [log λ_u(t_e) + log f_u(c_e | t_e)] − ∫_a^b λ_u(t) dt
//
// with θ = (μ_u^0..μ_u^{C−1}, w_{v_1 u}..w_{v_k u}) (in-neighbours ascending), for a fixed Σ, β, τ.
// −L_u is convex in θ ≥ 0 (log λ and log f are concave in θ: λ and ν* are linear in θ).
//
// Three ways to evaluate it:
// - user_features + user_objective: "build once, evaluate many", with gradient and Hessian. The
//   features are the kernel states G_e (k×C per scored event) and the compensator totals K_v (k);
//   they depend on the data, τ and the window only — not on θ, Σ or β — so a fit can keep them
//   across all its iterations. Memory 8·C·k·n_u + 8·k + 12·n_u bytes for a user with n_u scored
//   events and k in-neighbours (user_features::bytes(); a user without events costs 8 bytes per
//   in-neighbour); evaluation O(n_u·k·C) (+ O(n_u·k²·C) for the Hessian,
//   or O(n_u·k·C²) for its square-root factor, hessian_factor.hpp).
// - stream_user_loglik: the same arithmetic (bit for bit) without storing G (memory O(k·C + p²)).
// - recursive_pass (recursive_pass.hpp): value and gradient only, in O(neighbour events + n_u·C²),
//   equal to the above up to rounding. The passes over a shard (shard_likelihood.hpp) use it.
//
// Values: L_u is −inf when some scored event is impossible under θ (λ_u(t_e) = 0, or f(c_e) = 0
// under linear mixing, or an absurd θ with βν*_c = −inf under Boltzmann mixing); the gradient and
// Hessian then hold the terms of the other events only.
// No NaN arises for θ ≥ 0 with a finite value, for any β in [0, 1e5].
#include <cstdint>
#include <span>
#include <vector>

#include "engine/likelihood/event_terms.hpp"
#include "engine/likelihood/feature_block.hpp"
#include "engine/likelihood/kernel_sweep.hpp"

namespace mic {

struct user_features {
    std::int32_t user = -1;          // global id
    std::int32_t n_cascades = 0;     // C
    std::int32_t n_neighbours = 0;   // k
    double window_length = 0;        // b − a
    std::vector<std::int32_t> cascade;  // c_e of each scored event, in time order
    std::vector<double> time;           // t_e
    // The kernel states G_e[v][s] (k×C per event, n_events × k × C in all): the events in blocks of
    // eight, lane-major (feature_block.hpp), then the last n_events mod 8 one row after another (no
    // padding: a user with few events costs what its rows cost).
    std::vector<double> kernel;
    std::vector<double> compensator;    // k: K_v = Σ_c K_v^c (the objective needs no per-cascade split)

    std::int64_t n_events() const { return std::int64_t(cascade.size()); }
    std::size_t dimension() const { return std::size_t(n_cascades) + std::size_t(n_neighbours); }
    std::size_t state_size() const { return std::size_t(n_neighbours) * std::size_t(n_cascades); }
    // Events 8b..8b+7 as one block (k·C·8 doubles), b < n_blocks().
    std::size_t n_blocks() const { return cascade.size() / feature_lanes; }
    const double* block(std::size_t b) const { return kernel.data() + b * state_size() * feature_lanes; }
    // The kernel state of event e ≥ 8·n_blocks(), one of the rows after the blocks.
    std::span<const double> tail_row(std::size_t e) const {
        return std::span(kernel).subspan(e * state_size(), state_size());
    }
    // The kernel state of any event e (k×C) into `row`.
    void kernel_row(std::int64_t e, std::span<double> row) const;
    std::size_t bytes() const;
};

// The features of owned user `owned_index` of the sweep's shard (uses and restarts `sweep`).
user_features build_user_features(kernel_sweep& sweep, std::size_t owned_index);

// L_u and its derivatives from stored features. Keeps references to `features` and `model`.
class user_objective {
public:
    user_objective(const user_features& features, const event_model& model);

    std::size_t dimension() const { return features_->dimension(); }
    // L_u(θ); ∇L_u into `gradient` (size p) and ∇²L_u into `hessian` (p×p row-major, symmetric)
    // when they are non-empty (both are overwritten, not accumulated).
    double evaluate(std::span<const double> theta, std::span<double> gradient = {}, std::span<double> hessian = {});

    // The same with −∇²L_u as a square-root factor (hessian_factor.hpp; started and finished here):
    // what the user step's solver uses. Needs factor_supported(model).
    double evaluate(std::span<const double> theta, std::span<double> gradient, hessian_factor& factor);

    // ∂²L_u/∂θ∂Σ into `cross` (p × C² row-major, overwritten; see event_terms::add_cross_hessian).
    // The compensator does not involve Σ. Impossible events add nothing.
    void cross_hessian(std::span<const double> theta, std::span<double> cross);

    // λ_u, X, ν*, f at scored event e (for reports and tests).
    event_intensities intensities(std::span<const double> theta, std::int64_t e) const;

private:
    const user_features* features_;
    const event_model* model_;
    event_terms terms_;
};

// L_u of owned user `owned_index` in one streaming pass; derivatives as user_objective::evaluate.
// When `per_cascade` (size C) is non-empty, adds Σ_{e: c_e = c} ℓ_e − ∫ ν_u^c to its entry c.
double stream_user_loglik(kernel_sweep& sweep, std::size_t owned_index, const event_model& model,
                          std::span<const double> theta, std::span<double> gradient = {},
                          std::span<double> hessian = {}, std::span<double> per_cascade = {});
// The same with caller-owned scratch `terms` (built for the same event model), for passes over
// many users without allocation per user.
double stream_user_loglik(kernel_sweep& sweep, event_terms& terms, std::size_t owned_index,
                          std::span<const double> theta, std::span<double> gradient = {},
                          std::span<double> hessian = {}, std::span<double> per_cascade = {});

// The same with −∇²L_u as a square-root factor (user_objective::evaluate with a hessian_factor).
double stream_user_loglik(kernel_sweep& sweep, event_terms& terms, std::size_t owned_index,
                          std::span<const double> theta, std::span<double> gradient, hessian_factor& factor);

// ∂²L_u/∂θ∂Σ of owned user `owned_index` in one streaming pass (as user_objective::cross_hessian).
void stream_user_cross_hessian(kernel_sweep& sweep, event_terms& terms, std::size_t owned_index,
                               std::span<const double> theta, std::span<double> cross);

} // namespace mic
