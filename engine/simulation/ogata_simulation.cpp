// Ogata's thinning (Ogata 1981), the reference method of simulator (see simulation.hpp).
//
// The drive X_u^s is kept in real units at the current time t. Between events every λ_u is
// non-increasing (all excitations decay), so Λ̄ = Λ(t+) bounds Λ on (t, next event]. A candidate
// t' = t + Exp(Λ̄) is accepted with probability Λ(t')/Λ̄; the user is then drawn by a linear scan of
// λ_u(t') and the cascade from f_u(·|t'). A rejected candidate lowers the bound to Λ(t').
// Every candidate costs O(U·C): this is the slow, simple oracle, deliberately unlike the exact method
// (no frame, no sum tree, no inversion of the excitation integral).
#include <cmath>

#include "engine/simulation/cascade_sampler.hpp"
#include "engine/simulation/simulation.hpp"
#include "engine/simulation/time_stall.hpp"

namespace mic {

event_log simulator::run_ogata(const simulation_options& options, random_stream& rng) const {
    const auto& p = *params_;
    const std::size_t U = std::size_t(p.n_users);
    const std::size_t C = std::size_t(p.n_cascades);
    std::vector<double> drive(U * C, 0.0);  // X_u^s(t)
    std::vector<double> lambda(U, 0.0);
    cascade_sampler sampler(model_);
    event_log log;
    double t = 0.0;
    double bound = background_.total();  // Λ(0+) = M

    time_stall_guard stall;
    while (bound > 0.0) {
        const double candidate = t + rng.exponential(bound);
        if (!(candidate <= options.horizon)) break;
        stall.step(t, candidate, p.tau);
        const double decay = std::exp(-(candidate - t) / p.tau);
        for (double& x: drive) x *= decay;
        t = candidate;
        // λ_u(t) = μ_u + Σ_s X_u^s(t), Λ(t) = Σ_u λ_u(t).
        double total = 0.0;
        for (std::size_t u = 0; u < U; ++u) {
            double l = background_.leaf(u);
            for (std::size_t s = 0; s < C; ++s) l += drive[u * C + s];
            lambda[u] = l;
            total += l;
        }
        if (!(rng.uniform() * bound < total)) {  // rejected with probability 1 − Λ(t)/Λ̄
            bound = total;
            continue;
        }
        if (options.max_events > 0 && log.n_events() == options.max_events) {
            log.truncated = true;
            break;
        }
        double target = rng.uniform() * total;
        std::size_t u = 0, last_positive = 0;
        for (; u < U; ++u) {
            if (!(lambda[u] > 0.0)) continue;
            last_positive = u;
            if (target < lambda[u]) break;
            target -= lambda[u];
        }
        if (u == U) u = last_positive;
        const std::int32_t c = sampler.draw(p.mu_of(std::int32_t(u)), drive.data() + u * C, rng.uniform());
        log.user.push_back(std::int32_t(u));
        log.cascade.push_back(c);
        log.time.push_back(t);
        // The jump of every out-neighbour; the new bound is Λ(t+).
        auto targets = out_.targets_of(std::int32_t(u));
        auto weights = out_.weights_of(std::int32_t(u));
        for (std::size_t i = 0; i < targets.size(); ++i) {
            drive[std::size_t(targets[i]) * C + std::size_t(c)] += weights[i];
            total += weights[i];
        }
        bound = total;
    }
    return log;
}

} // namespace mic
