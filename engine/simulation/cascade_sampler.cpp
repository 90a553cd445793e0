#include "engine/simulation/cascade_sampler.hpp"

namespace mic {

cascade_sampler::cascade_sampler(const event_model& model)
    : model_(&model), nu_star_(std::size_t(model.n_cascades)), f_(std::size_t(model.n_cascades)),
      q_(std::size_t(model.n_cascades)) {}

std::int32_t cascade_sampler::draw(std::span<const double> mu, const double* drive, double uniform) {
    const std::size_t C = nu_star_.size();
    context_intensities(*model_, mu.data(), drive, nu_star_.data());
    if (model_->mixing == mixing_kind::boltzmann) {
        log_mixing(model_->mixing, model_->beta, nu_star_, 0, f_, q_);
    } else {
        // Linear mixing: f_c = ν*_c / Σ_k ν*_k (Σ_k ν*_k = λ_u(t) > 0 for a user that fired).
        double total = 0.0;
        for (std::size_t c = 0; c < C; ++c) total += nu_star_[c];
        for (std::size_t c = 0; c < C; ++c) f_[c] = nu_star_[c] / total;
    }
    std::size_t last_positive = 0;
    for (std::size_t c = 0; c < C; ++c) {
        if (!(f_[c] > 0.0)) continue;
        last_positive = c;
        if (uniform < f_[c]) return std::int32_t(c);
        uniform -= f_[c];
    }
    return std::int32_t(last_positive);
}

} // namespace mic
