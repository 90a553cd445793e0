#include "engine/model/exponential_kernel.hpp"

#include <cmath>
#include <string>

#include "engine/support/error.hpp"

namespace mic {

exponential_kernel::exponential_kernel(double tau): tau_(tau) {
    if (!(std::isfinite(tau) && tau > 0))
        throw input_error("kernel time scale tau = " + std::to_string(tau) + " must be finite and > 0");
    int exponent = 0;
    std::frexp(16.0 * tau, &exponent);          // 16τ = f · 2^exponent, f ∈ [0.5, 1)
    width_ = std::ldexp(1.0, exponent - 1);      // W ∈ (8τ, 16τ]
    for (std::size_t d = 0;; ++d) {
        const double value = std::exp(-double(d) * (width_ / tau_));
        if (value == 0.0) break;
        decay_.push_back(value);
    }
}

exponential_kernel::anchored_time exponential_kernel::anchor(double t) const {
    const double block = std::floor(t / width_);
    return {block, std::exp((t - block * width_) / tau_)};
}

double exponential_kernel::value(double t) const { return t > 0 ? std::exp(-t / tau_) : 0.0; }

double exponential_kernel::integral(double t_e, double a, double b) const {
    if (t_e >= b) return 0.0;
    if (t_e >= a) return -tau_ * std::expm1(-(b - t_e) / tau_);
    return -tau_ * std::exp(-(a - t_e) / tau_) * std::expm1(-(b - a) / tau_);
}

} // namespace mic
