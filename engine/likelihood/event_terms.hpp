#pragma once
// The two pieces of a user's partial log-likelihood (SPEC §2), with their derivatives with respect
// to the user's parameters θ = (μ_0..μ_{C−1}, w_1..w_k) (layout in engine/model/model_params.hpp):
//
//   event term   ℓ_e = log λ_u(t_e) + log f_u(c_e | t_e),   from the kernel state G_e (k×C)
//   compensator  ∫_a^b λ_u = (b − a) Σ_c μ_c + Σ_v w_v K_v,  K_v = Σ_c K_v^c  (linear in θ)
//
// With X = Gᵀw, λ = Σμ + ΣX, ν* = μ + ΣᵀX, φ = log f(c), q = ∂φ/∂ν*, M = ∂²φ/∂ν*², B = GΣ (k×C):
//   ∂ℓ/∂μ = 1/λ + q                       ∂ℓ/∂w = G (Σq + 1/λ)
//   ∇²ℓ = −a aᵀ/λ² + [[M, M Bᵀ], [B M, B M Bᵀ]],   a = (1_C, G 1_C)
// The event term is computed by event_block, eight events at a time, for the stored-features
// objective and the streaming kernel-state pass (begin/add_block/finish on blocks of kernel states laid
// out as feature_block.hpp says, so those two agree bit for bit) and for the recursive pass (which
// only differs in how X is summed).
#include <cstdint>
#include <span>
#include <vector>

#include "engine/likelihood/event_block.hpp"
#include "engine/likelihood/hessian_factor.hpp"
#include "engine/model/mixing.hpp"

namespace mic {

class event_terms {
public:
    // Scratch for users with up to `k` in-neighbours (grown on demand by begin()).
    event_terms(const event_model& model, std::int32_t k);

    // A user's events go through in blocks of up to eight (event_block: the events in the lanes of a
    // vector), the same way for the stored-features objective and the streaming pass, so that their
    // values and derivatives agree bit for bit (a line search compares values from both kinds of
    // call). For one user:
    //   begin(θ, derivatives);
    //   per block: add_block(block, cascades, n, terms), then for each event j with a finite term
    //     that needs second derivatives: select(j) and add_hessian / add_factor_rows /
    //     add_cross_hessian;
    //   finish(gradient) adds ∇ of the summed terms (needs derivatives).
    // A block holds the kernel states (k×C each, k = θ.size() − C) of its events lane-major
    // (feature_block.hpp; k·C·8 doubles, zeros in lanes ≥ n). An event whose term is −inf
    // (λ_u(t_e) ≤ 0 or φ = −inf: impossible under θ; with μ > 0 it never happens) adds no derivatives.
    void begin(std::span<const double> theta, bool derivatives);
    // ℓ_j of events j < n ≤ event_block::lanes into terms[j]; with derivatives, ∇ℓ_j is summed.
    // `block` must stay valid until the next add_block (select reads it).
    void add_block(const double* block, const std::int32_t* cascades, std::size_t n, double* terms);
    // Makes event j of the last block (a finite term) the one the second derivatives below are of.
    // Only after begin(θ, derivatives = true): a block without derivatives keeps no lane state.
    void select(std::size_t j);
    // Adds Σ ∇ℓ_j over the blocks since begin() to `gradient` (size C + k).
    void finish(std::span<double> gradient);
    // A block (k·C·8 doubles) for callers whose kernel states are not kept lane-major (the streaming
    // pass, the last events of stored features): fill with scatter_to_lane and clear_lanes.
    double* block_scratch();

    // ∇²ℓ of the selected event added to `hessian` ((C+k)² row-major).
    void add_hessian(std::span<double> hessian);

    // −∇²ℓ of the selected event appended to `factor` as the rows of a square-root factor,
    // −∇²ℓ_e = Σ_r z_r z_rᵀ, every row of the form (α, G β) (α, β ∈ R^C), where terms that are zero
    // for the variant take no work:
    //   linear mixing (Σ row-stochastic, so Σ_k ν*_k = λ and ℓ_e = log ν*_c):   z = n_c / ν*_c,
    //       n_c = ∂ν*_c/∂θ = (e_c, G Σ_{·c})                                       (1 row)
    //   Boltzmann: z_0 = a/λ,  a = (1_C, G 1_C), and for C > 1, from
    //       −∂²φ/∂ν*² = β² (diag f − f fᵀ) = Σ_i β² f_i (e_i − f)(e_i − f)ᵀ:
    //       z_i = β √f_i (e_i − f, B (e_i − f)),  B = G Σ                          (1 + C rows; rows
    //       with β² f_i λ² ≤ 1e-24 are left out: below the rounding of the log λ row)
    // Needs factor_supported(model).
    void add_factor_rows(hessian_factor& factor);
    // Rows add_factor_rows appends per event at most.
    std::size_t factor_rows_per_event() const;

    // The cross derivatives ∂²ℓ/∂θ∂Σ of the selected event added to `cross` (p × C² row-major,
    // p = C + k: cross[i·C² + s·C + c] = ∂²ℓ_e/∂θ_i∂σ_sc), for Σ perturbed freely (off the simplex).
    // λ = Σμ + ΣX does not involve Σ, so only φ contributes; with ν*_c = μ_c + Σ_s σ_sc x_s,
    //   ∂φ/∂σ_sc = x_s q_c,   ∂²φ/∂μ_j∂σ_sc = x_s M_cj,   ∂²φ/∂w_v∂σ_sc = G_vs q_c + x_s (B M)_vc.
    void add_cross_hessian(std::span<double> cross);

    // One event term from the social drive X (C values), one event at a time: the plain scalar
    // reference for event_block (tests). When `gradient_mu` is non-null, adds ∂ℓ/∂μ (C values) to it
    // and writes y = ∂ℓ/∂X = Σq + 1/λ to `y`. Returns −inf (adding nothing) for an impossible event.
    double from_drive(const double* mu, const double* drive, std::int32_t c, double* gradient_mu, double* y);

private:
    void add_hessian_terms(std::span<const double> kernel, std::int32_t k, std::int32_t c, std::span<double> hessian);
    // B = G Σ and P = B M (k×C each), with M_ = ∂²φ/∂ν*² at the selected event.
    void couple(std::span<const double> kernel, std::size_t k);

    const event_model* model_;
    // The selected event: its kernel state G (k×C, gathered from its block), cascade, λ, X, ν*, f, q
    // (C each), M (C×C).
    std::vector<double> kernel_;
    std::int32_t cascade_ = 0;
    double lambda_ = 0;
    std::vector<double> drive_, nu_star_, f_, q_, M_;
    std::vector<double> a_, B_, P_, M_padded_;
    // The blocks: θ and k of the user, whether derivatives are summed, the last block, its events and
    // cascades, its drives and y (C × lanes, lane-major), ∂/∂μ and ∂/∂w per lane (C × lanes and
    // k × lanes), the scratch block.
    std::span<const double> theta_;
    std::size_t k_ = 0;
    bool derivatives_ = false;
    const double* block_kernels_ = nullptr;
    std::size_t block_events_ = 0;
    std::int32_t block_cascades_[event_block::lanes] = {};
    event_block block_;
    std::vector<double> block_drive_, block_y_, gradient_mu_lanes_, gradient_w_lanes_, scratch_;
};

// Whether event_terms::add_factor_rows applies: Boltzmann mixing, or linear mixing with every
// row of Σ summing to 1 within 1e-12 (the user step's Σ always does).
bool factor_supported(const event_model& model);

// ∫_a^b λ_u dt for θ, with compensator rows K (k×C: K_v^c) and window length b − a. Subtracts its
// gradient from `gradient` when non-empty (its Hessian is 0), and the per-cascade split
// (b − a) μ_c + Σ_v w_v K_v^c = ∫ ν_u^c from `per_cascade` when non-empty.
double subtract_compensator(std::span<const double> theta, std::int32_t n_cascades,
                            std::span<const double> compensator, double window_length,
                            std::span<double> gradient, std::span<double> per_cascade);

// K_v = Σ_c K_v^c of each in-neighbour (k values) from the rows K (k×C), summed in cascade order.
std::vector<double> compensator_totals(std::span<const double> compensator, std::int32_t n_cascades);

// The same ∫_a^b λ_u dt from the totals K_v alone (k values; no per-cascade split): bit for bit what
// subtract_compensator gives, in k instead of k·C numbers (what stored features keep).
double subtract_compensator_totals(std::span<const double> theta, std::int32_t n_cascades,
                                   std::span<const double> totals, double window_length, std::span<double> gradient);

} // namespace mic
