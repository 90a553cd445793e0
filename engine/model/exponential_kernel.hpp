#pragma once
// The kernel κ(t) = exp(−t/τ) for t > 0, else 0 (SPEC §2), in a form that makes the kernel state
// g_v^s(t) = Σ_{e ∈ H_v^s, t_e < t} exp(−(t − t_e)/τ) cheap to maintain without overflow.
//
// Anchored times. The time axis is cut into blocks of width W, the largest power of two ≤ 16τ.
// An event at t gets its block m = floor(t/W) and its scaled weight E = exp((t − mW)/τ) ∈ [1, e^16).
// Then exp(−(t − t_e)/τ) = E_e · D(m − m_e) / E  with the block decay D(d) = exp(−d W/τ).
// A running state summed at a common anchor block therefore needs one addition per event and one
// multiplication by D when it moves to a later block: no exp() in the inner loops of a pass.
//
// Why W a power of two: m·W and t − m·W are then exact in floating point (the latter by Sterbenz),
// so the only rounding is in the divisions by τ, of relative size ≈ (t − t_e)/τ · 1e-16 — the same
// as computing exp(−(t − t_e)/τ) directly. D(d) underflows to exactly 0 once d·W/τ > 745, as the
// direct formula would.
#include <cstddef>
#include <vector>

namespace mic {

class exponential_kernel {
public:
    explicit exponential_kernel(double tau);

    double tau() const { return tau_; }
    double block_width() const { return width_; }

    struct anchored_time {
        double block;   // m = floor(t / W), an integer stored as a double (exact to 2^53)
        double scaled;  // E = exp((t − m W)/τ)
    };
    anchored_time anchor(double t) const;

    // D(d) = exp(−d W/τ) for a block difference d ≥ 0 (0 once it underflows, also for d = +inf).
    double block_decay(double d) const {
        return d < double(decay_.size()) ? decay_[static_cast<std::size_t>(d)] : 0.0;
    }

    // κ(t) for t ≥ 0 computed directly (tests and references): exp(−t/τ), 0 for t ≤ 0.
    double value(double t) const;

    // ∫_a^b κ(t − t_e) dt = τ[exp(−max(0, a − t_e)/τ) − exp(−(b − t_e)/τ)] for an event at t_e
    // (0 when t_e ≥ b), computed with expm1 so that it keeps full relative precision when b − t_e ≪ τ.
    double integral(double t_e, double a, double b) const;

private:
    double tau_;
    double width_;
    std::vector<double> decay_;  // D(0), D(1), ... until it underflows
};

} // namespace mic
