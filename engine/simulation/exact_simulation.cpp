// The exact method of simulator (see simulation.hpp).
//
// State, in a frame anchored at t_ref (every excitation decays at the same rate 1/τ, so one common
// factor e^{−(t − t_ref)/τ} converts the whole frame to time t):
//   D_u^s  with X_u^s(t) = D_u^s e^{−(t − t_ref)/τ}        (social drive of u in cascade s)
//   S_u = Σ_s D_u^s, kept in a sum tree                   (excitation part of λ_u)
// An event of v in cascade c at t_e adds w_vu e^{(t_e − t_ref)/τ} to D_u^c and S_u of each
// out-neighbour u. Stored values grow like e^{(t − t_ref)/τ}; once t − t_ref exceeds rescale_after·τ
// (≤ 500: values stay below ~e^500 ≈ 1e217, far from overflow) the frame is re-anchored at t: O(U·C), once every few hundred τ.
//
// Next event after t (Dassios & Zhao 2013): between events Λ(t + s) = M + E e^{−s/τ}, with
// M = Σ_u μ_u and E = e^{−(t − t_ref)/τ} Σ_u S_u. It is the superposition of
//   - a Poisson process of rate M: first point a ~ Exp(M);
//   - a Poisson process of intensity E e^{−s/τ}: with V ~ Exp(1), its first point b solves
//     ∫_0^b E e^{−r/τ} dr = E τ (1 − e^{−b/τ}) = V, i.e. b = −τ log(1 − V/(Eτ)), and it has no
//     point at all when V ≥ Eτ (its total mass Eτ is finite).
// The next event is at t + min(a, b). Which term fired decides the user: the background picks u with
// probability μ_u / M, the excitation with probability S_u / Σ S (the ratio of two intensities that
// decay at the same rate does not change between events) — together λ_u(t)/Λ(t).
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/simulation/cascade_sampler.hpp"
#include "engine/simulation/simulation.hpp"
#include "engine/simulation/time_stall.hpp"

namespace mic {

event_log simulator::run_exact(const simulation_options& options, random_stream& rng) const {
    const auto& p = *params_;
    const std::size_t C = std::size_t(p.n_cascades);
    const double tau = p.tau;
    const double M = background_.total();
    constexpr double never = std::numeric_limits<double>::infinity();

    std::vector<double> drive(std::size_t(p.n_users) * C, 0.0);  // D_u^s
    sum_tree excitation(std::size_t(p.n_users));                 // S_u
    if (!options.initial_drive.empty()) {
        // The history before `start`: D_u^s = X_u^s(start) in the frame anchored at t_ref = start.
        std::copy(options.initial_drive.begin(), options.initial_drive.end(), drive.begin());
        std::vector<double> totals(std::size_t(p.n_users), 0.0);
        for (std::size_t u = 0; u < totals.size(); ++u)
            for (std::size_t s = 0; s < C; ++s) totals[u] += drive[u * C + s];
        excitation.assign(totals);
    }
    cascade_sampler sampler(model_);
    std::vector<double> x(C);
    event_log log;
    std::vector<double> adds;  // the jumps w_vu e^{(t − t_ref)/τ} of one event, in out-list order
    double t = options.start, t_ref = options.start;
    // e^{−(t − t_ref)/τ} for the current t and t_ref, recomputed whenever either changes (the same
    // expression on the same doubles as before: bit for bit the value an inline call would give).
    double now = std::exp(-(t - t_ref) / tau);

    time_stall_guard stall;
    for (;;) {
        const double excitation_now = excitation.total() * now;  // E
        // Four draws per event, whatever happens: a replica's stream stays aligned.
        const double ea = rng.exponential(1.0);
        const double v = rng.exponential(1.0);
        const double a = M > 0.0 ? ea / M : never;
        const double mass = excitation_now * tau;  // E τ: expected number of points of the excitation term
        const double b = v < mass ? -tau * std::log1p(-v / mass) : never;
        const double next = t + std::min(a, b);
        if (!(next <= options.horizon)) break;
        if (options.max_events > 0 && log.n_events() == options.max_events) {
            log.truncated = true;
            break;
        }
        stall.step(t, next, tau);
        t = next;
        if (t - t_ref > options.rescale_after * tau) {  // re-anchor the frame at t (see the top)
            const double factor = std::exp(-(t - t_ref) / tau);
            for (double& d: drive) d *= factor;
            excitation.scale(factor);
            t_ref = t;
        }
        const double pick = rng.uniform();
        const auto u = std::int32_t(a <= b ? background_.find(pick * M) : excitation.find(pick * excitation.total()));

        // Start the loads of u's state and out-list now; the cascade draw below hides their latency.
        const double* du = drive.data() + std::size_t(u) * C;
        __builtin_prefetch(du);
        __builtin_prefetch(du + C - 1);
        auto targets = out_.targets_of(u);
        auto weights = out_.weights_of(u);
        if (!targets.empty()) {
            __builtin_prefetch(targets.data());
            __builtin_prefetch(targets.data() + targets.size() - 1);
            __builtin_prefetch(weights.data());
            __builtin_prefetch(weights.data() + weights.size() - 1);
        }

        // X_u^s(t) = D_u^s e^{−(t − t_ref)/τ}: the drive of the events strictly before t.
        now = std::exp(-(t - t_ref) / tau);
        for (std::size_t s = 0; s < C; ++s) x[s] = du[s] * now;
        const std::int32_t c = sampler.draw(p.mu_of(u), x.data(), rng.uniform());
        log.user.push_back(u);
        log.cascade.push_back(c);
        log.time.push_back(t);

        // Excite the out-neighbours: w_vu at time t is w_vu e^{(t − t_ref)/τ} in the frame.
        const double jump = 1.0 / now;
        for (std::size_t i = 0; i < targets.size(); ++i) {  // independent loads: start them all first
            __builtin_prefetch(drive.data() + std::size_t(targets[i]) * C + std::size_t(c));
            excitation.prefetch(std::size_t(targets[i]));
        }
        adds.resize(targets.size());
        for (std::size_t i = 0; i < targets.size(); ++i) {
            const double add = weights[i] * jump;
            adds[i] = add;
            drive[std::size_t(targets[i]) * C + std::size_t(c)] += add;
        }
        // One batched update: the same leaves, the same tree as one excitation.add(target, add) each.
        excitation.add(targets, adds);
    }
    return log;
}

} // namespace mic
