#pragma once
// The weak prior on the baselines that `mic fit` maximises with the likelihood (SPEC §2 "Baseline
// floor"): ε pseudo-events per user and cascade, spread over the training window, i.e.
//
//   log p(M) = ε Σ_{u,c} log μ_u^c + const     (a Gamma(1 + ε, 0) density on every μ_u^c)
//
// and the fit finds the MAP point max L(M, W, Σ) + log p(M). Why: the pure MLE sets μ_u^c = 0 for
// every cascade c that user u did not start in the training window (3,384 of 4,164 baselines on a
// real dataset), and under linear mixing (ic, linmic) a later event of u in c without a drive into
// c then has probability 0: held-out L = −inf. With the prior, a cascade without any event of u
// gets μ_u^c = ε / (b − a) (maximise ε log μ − μ (b − a)), so every event stays possible, and the
// bias on a user with n events in a cascade is ε events against n. ε = 0 is the pure MLE.
//
// The prior is separable per user and adds to the user objective only (it does not involve W or
// Σ):  value ε Σ_c log μ_c,  gradient ε/μ_c,  Hessian diagonal −ε/μ_c². It is a log barrier: μ
// stays > 0 along every accepted step, and −(L + log p) stays convex in θ.
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>

#include "engine/likelihood/hessian_factor.hpp"

namespace mic {

struct baseline_prior {
    double pseudo_events = 0;  // ε; 0: none (pure maximum likelihood)

    bool active() const { return pseudo_events > 0; }

    // ε Σ_c log μ_c over the baselines `mu` of one user (−inf when some μ_c = 0 and ε > 0).
    double value(std::span<const double> mu) const {
        if (!active()) return 0;
        double v = 0;
        for (double m : mu) v += m > 0 ? std::log(m) : -std::numeric_limits<double>::infinity();
        return pseudo_events * v;
    }

    // Adds the prior's value, gradient and Hessian (p×p row-major; only its first C diagonal entries)
    // for θ = (μ_0..μ_{C−1}, w...) to those of the likelihood. Spans may be empty.
    double add(std::span<const double> theta, std::size_t n_cascades, double value_in, std::span<double> gradient,
               std::span<double> hessian) const {
        if (!active()) return value_in;
        const std::size_t p = theta.size();
        for (std::size_t c = 0; c < n_cascades; ++c) {
            const double m = theta[c];
            if (!gradient.empty()) gradient[c] += pseudo_events / m;
            if (!hessian.empty()) hessian[c * p + c] -= pseudo_events / (m * m);
        }
        return value_in + value(theta.first(n_cascades));
    }

    // The same with the Hessian as a square-root factor of its negative (hessian_factor.hpp): adds
    // ε/μ_c² to A_cc (the factor must be finished).
    double add(std::span<const double> theta, std::size_t n_cascades, double value_in, std::span<double> gradient,
               hessian_factor& negative_hessian) const {
        if (!active()) return value_in;
        for (std::size_t c = 0; c < n_cascades; ++c) {
            const double m = theta[c];
            if (!gradient.empty()) gradient[c] += pseudo_events / m;
            negative_hessian.add_diagonal(c, pseudo_events / (m * m));
        }
        return value_in + value(theta.first(n_cascades));
    }

    // The start value for a baseline the prior needs positive: ε / (b − a), its MAP without events.
    double start_value(double window_length) const { return pseudo_events / window_length; }
};

} // namespace mic
