#pragma once
// The Σ-term of the log-likelihood (SPEC §2, Alg. 1 step 1) over one rank's owned users:
//
//   S(Σ) = Σ_e log f_{u_e}(c_e | t_e),   ν*_e = μ_{u_e} + Σᵀ x_e,   x_e = X_{u_e}(t_e) (C values)
//
// For fixed M and W the drives x_e do not depend on Σ, so they are collected once (one pass,
// O(events × k × C)) and every evaluation afterwards costs O(events × C²) (Boltzmann) or
// O(events × C) (linear), with no kernel recomputation.
//
// Derivatives, with q_e = ∂φ/∂ν*, M_e = ∂²φ/∂ν*² (engine/model/mixing.hpp):
//   ∂S/∂σ_sc = Σ_e x_s q_c                       (C×C, the gradient is Σ_e x_e q_eᵀ)
//   ∇²S = Σ_e (x_e x_eᵀ) ⊗ M_e,   Boltzmann M_e = −β²(diag f_e − f_e f_eᵀ)
// We give exact Hessian-vector products rather than the Hessian: (∇²S)·V = Σ_e x_e (M_e Vᵀx_e)ᵀ
// costs 2C² flops per event (Boltzmann) or O(C) (linear: M_e = −e_c e_cᵀ/ν*_c² + 11ᵀ/D², so only
// (Vᵀx)_c and x·(V1) are needed), with one C×C all-reduce per product; the full Hessian would cost
// C⁴ per event (the M_e differ per event, so the Kronecker sum does not factor) and a C⁴ reduction
// (6.25 M doubles for C = 50). A projected Newton–CG step on rank 0 needs one product per CG
// iteration. The linear term is taken literally, log ν*_c − log Σ_k ν*_k, so its derivatives hold
// for any Σ; on row-stochastic Σ, Σ_k ν*_k = λ.
//
// Memory: per scored event x_e (C doubles) and c_e: 8·C + 4 bytes per event (84 B for C = 10: 0.84 GB
// for 10 M events on one rank, divided among ranks), plus C doubles per owned user. hessian_times
// recomputes f_e (Boltzmann) or (ν*_c, D) (linear) from x_e and the Σ of the last evaluate with the
// same functions in the same order, so its numbers are those a per-event cache would give bit for
// bit; the recomputation costs C² + C exponentials per event against the product's 2C², and saves
// the 8·C bytes per event such a cache held (half of this object).
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/likelihood/compensated_sum.hpp"
#include "engine/likelihood/shard_kernels.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

class sigma_term {
public:
    // Collects x_e for every scored event of the owned users of kernels.data(), with M, W, β and the
    // mixing of `params` (params.sigma is not used: Σ is the variable).
    sigma_term(const shard_kernels& kernels, const model_params& params);

    std::int32_t n_cascades() const { return C_; }
    std::int64_t n_events() const { return std::int64_t(cascade_.size()); }
    std::size_t bytes() const;

    // Local S(Σ) (−inf if some event is impossible under linear mixing) and, when `gradient` is
    // non-empty, ∂S/∂Σ at [s*C + c]. As compensated sums over owned users (for the distributed
    // layer); Remembers what hessian_times needs at this Σ.
    void evaluate(std::span<const double> sigma, compensated_sum& value, std::span<compensated_sum> gradient);
    // Local (∇²S)·V at the Σ of the last evaluate: out[s*C + c] = Σ_{s',c'} ∂²S/∂σ_sc∂σ_s'c' V[s'*C + c'].
    void hessian_times(std::span<const double> direction, std::span<compensated_sum> out) const;

    // Convenience: the same as plain numbers.
    double evaluate(std::span<const double> sigma, std::span<double> gradient = {});
    void hessian_times(std::span<const double> direction, std::span<double> out) const;

private:
    std::int32_t C_;
    mixing_kind mixing_;
    double beta_;
    std::vector<std::int64_t> user_offsets_{0};  // events of owned user i: [user_offsets[i], user_offsets[i+1])
    std::vector<double> mu_;                     // owned × C
    std::vector<double> drive_;                  // events × C: x_e
    std::vector<std::int32_t> cascade_;          // c_e
    std::vector<double> sigma_;                  // Σ of the last evaluate (C×C), read by hessian_times
    std::vector<double> row_sums_;               // its row sums r_s = Σ_c σ_sc
    bool impossible_ = false;                    // some event had f(c) = 0 at the last evaluate

    // Linear mixing at event e of an owned user with baselines mu: ν*_c = μ_c + Σ_s σ_sc x_s and
    // D = Σ_c μ_c + Σ_s x_s r_s, at the Σ of the last evaluate (one definition for evaluate and
    // hessian_times, so both see the same bits).
    std::pair<double, double> linear_terms(const double* mu, const double* x, std::size_t c) const;
};

} // namespace mic
