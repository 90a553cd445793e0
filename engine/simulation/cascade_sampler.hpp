#pragma once
// Draws the cascade of an event of user u at time t from the mixing f_u(·|t) (SPEC §2, Eq. 7):
// ν*_c = μ_u^c + Σ_s σ_sc X_u^s(t), then c with probability f_u(c|t) — Boltzmann through the
// model's log_mixing (log-sum-exp, safe for β up to 1e5), linear as ν*_c / Σ_k ν*_k.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/model/mixing.hpp"

namespace mic {

class cascade_sampler {
public:
    explicit cascade_sampler(const event_model& model);

    // The cascade for background μ (size C) and drive X (size C), from one uniform number in [0, 1).
    // Falls back to the last cascade of positive probability if rounding runs past the end.
    std::int32_t draw(std::span<const double> mu, const double* drive, double uniform);

    // f_u(·|t) of the last draw (size C).
    std::span<const double> probabilities() const { return f_; }

private:
    const event_model* model_;
    std::vector<double> nu_star_, f_, q_;
};

} // namespace mic
