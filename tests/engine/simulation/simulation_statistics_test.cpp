// Statistical tests of the simulators, with fixed seeds and stated tolerances:
// - means over replicas of counts and intensities agree with Eq. 28–29 within 4 standard errors;
// - exact and Ogata simulation give the same distributions of counts per user and per cascade;
// - time-rescaling: compensator increments between a user's events are Exp(1) (Kolmogorov–Smirnov),
//   and the cascades follow f_u(·|t) (a martingale z-score per cascade).
// Each test also shows it has power: the same statistic rejects a wrong model.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/simulation/expectation_flow.hpp"
#include "engine/simulation/out_neighbours.hpp"
#include "engine/simulation/simulation.hpp"
#include "tests/engine/reference/naive_mic.hpp"
#include "tests/engine/simulation/simulation_fixtures.hpp"

namespace mic {
namespace {

constexpr double z_limit = 4.0;           // |mean − expectation| ≤ 4 standard errors
constexpr double p_limit_ks = 1e-3;       // KS tests reject below this p-value (Bonferroni where many)

simulation_options window(double horizon, simulation_method method = simulation_method::exact) {
    simulation_options o;
    o.horizon = horizon;
    o.method = method;
    return o;
}

// W with every edge reversed (w'_uv = w_vu): the closed forms with the wrong orientation of W.
model_params transposed(const model_params& p) {
    const out_neighbours out = make_out_neighbours(p);
    model_params t = p;
    t.in_offsets = out.offsets;
    t.in_source = out.target;
    t.weight = out.weight;
    return t;
}

// Samples over R replicas of n_u^c(t) and λ_u^c(t) (linear mixing: per cascade; Boltzmann: C = 1,
// user totals), and the largest |mean − closed form| / standard error over users, cascades and times.
struct replica_samples {
    std::vector<double> times{1.0, 4.0, 10.0};
    std::size_t width = 1;
    std::vector<std::vector<double>> counts, lambdas;  // [(time·U + u)·width + c][replica]
};

replica_samples draw_samples(const model_params& p, bool per_cascade) {
    const int R = 3000;
    const double horizon = 10.0;
    replica_samples s;
    const std::size_t U = std::size_t(p.n_users);
    s.width = per_cascade ? std::size_t(p.n_cascades) : 1;
    s.counts.resize(s.times.size() * U * s.width);
    s.lambdas.resize(s.counts.size());
    const auto sigma = reference::effective_sigma(p);
    const simulator sim(p);
    for (int r = 0; r < R; ++r) {
        const dataset d = to_dataset(p, sim.run_replica(window(horizon), 2024, std::uint64_t(r)), horizon);
        for (std::size_t i = 0; i < s.times.size(); ++i)
            for (std::size_t u = 0; u < U; ++u) {
                const auto in = reference::intensities_at(d, p, sigma, std::int32_t(u), s.times[i]);
                std::vector<double> n(s.width, 0.0);
                for (auto e = d.events.user_offsets[u]; e < d.events.user_offsets[u + 1]; ++e)
                    if (d.events.time[std::size_t(e)] <= s.times[i])
                        n[per_cascade ? std::size_t(d.events.cascade[std::size_t(e)]) : 0] += 1.0;
                for (std::size_t c = 0; c < s.width; ++c) {
                    const std::size_t k = (i * U + u) * s.width + c;
                    s.counts[k].push_back(n[c]);
                    // Linear mixing: λ_u^c = λ_u f_u(c) = ν*_u^c.
                    s.lambdas[k].push_back(per_cascade ? in.nu_star[c] : in.lambda);
                }
            }
    }
    return s;
}

double worst_z_score(const replica_samples& s, const model_params& p) {
    const std::size_t U = std::size_t(p.n_users), n_entries = U * s.width;
    std::vector<double> m(n_entries, 0.0);
    if (s.width > 1) m = p.mu;
    else
        for (std::size_t u = 0; u < U; ++u)
            for (double x: p.mu_of(std::int32_t(u))) m[u] += x;
    expectation_flow flow(s.width > 1 ? influence_operator(p, p.n_cascades, reference::effective_sigma(p))
                                      : influence_operator(p, 1),
                          p.tau, m);
    double worst = 0.0;
    for (std::size_t i = 0; i < s.times.size(); ++i) {
        flow.advance_to(s.times[i]);
        for (std::size_t k = 0; k < n_entries; ++k) {
            const auto n = testing::summarize(s.counts[i * n_entries + k]);
            const auto l = testing::summarize(s.lambdas[i * n_entries + k]);
            worst = std::max({worst, std::abs(n.mean - flow.count()[k]) / n.standard_error,
                              std::abs(l.mean - flow.intensity()[k]) / l.standard_error});
        }
    }
    return worst;
}

TEST(SimulationStatistics, PerCascadeCountsAndIntensitiesMatchTheClosedFormsUnderLinearMixing) {
    const model_params p = testing::small_network(model_variant::linmic, 11, 5, 2, 0.6);
    const auto samples = draw_samples(p, true);
    EXPECT_LT(worst_z_score(samples, p), z_limit);
    // Power: the closed forms with W reversed (w_uv for w_vu) or without Σ do not fit.
    EXPECT_GT(worst_z_score(samples, transposed(p)), z_limit);
    model_params independent = p;
    independent.sigma = identity_sigma(p.n_cascades);
    EXPECT_GT(worst_z_score(samples, independent), z_limit);
}

TEST(SimulationStatistics, UserCountsAndIntensitiesMatchEquations28And29UnderBoltzmannMixing) {
    const model_params p = testing::small_network(model_variant::mic, 12, 6, 3, 0.6);
    const auto samples = draw_samples(p, false);
    EXPECT_LT(worst_z_score(samples, p), z_limit);
    EXPECT_GT(worst_z_score(samples, transposed(p)), z_limit);
}

// Per-replica counts per user (U columns) then per cascade (C columns).
std::vector<std::vector<double>> count_samples(const simulator& sim, simulation_method method, int R,
                                               std::uint64_t seed) {
    const auto& p = sim.params();
    std::vector<std::vector<double>> samples(std::size_t(p.n_users + p.n_cascades));
    for (int r = 0; r < R; ++r) {
        const event_log log = sim.run_replica(window(10.0, method), seed, std::uint64_t(r));
        std::vector<double> n(samples.size(), 0.0);
        for (std::size_t i = 0; i < log.user.size(); ++i) {
            n[std::size_t(log.user[i])] += 1.0;
            n[std::size_t(p.n_users + log.cascade[i])] += 1.0;
        }
        for (std::size_t j = 0; j < n.size(); ++j) samples[j].push_back(n[j]);
    }
    return samples;
}

// The smallest two-sample KS p-value and the largest |Welch z| over users and cascades.
std::pair<double, double> compare(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
    double min_p = 1.0, max_z = 0.0;
    for (std::size_t j = 0; j < a.size(); ++j) {
        min_p = std::min(min_p, testing::ks_two_sample_pvalue(a[j], b[j]));
        const auto sa = testing::summarize(a[j]), sb = testing::summarize(b[j]);
        max_z = std::max(max_z, std::abs(sa.mean - sb.mean) / std::hypot(sa.standard_error, sb.standard_error));
    }
    return {min_p, max_z};
}

TEST(SimulationStatistics, ExactAndOgataSimulationGiveTheSameCountDistributions) {
    const model_params p = testing::small_network(model_variant::mic, 13, 6, 3, 0.6);
    const simulator sim(p);
    const int R = 1000;
    const auto exact = count_samples(sim, simulation_method::exact, R, 1);
    const auto ogata = count_samples(sim, simulation_method::ogata, R, 2);
    const double bonferroni = p_limit_ks / double(exact.size());
    const auto [min_p, max_z] = compare(exact, ogata);
    EXPECT_GT(min_p, bonferroni);
    EXPECT_LT(max_z, z_limit);
    // Power: Ogata with every μ 25 % higher is told apart by the same statistics.
    model_params louder = p;
    for (double& m: louder.mu) m *= 1.25;
    const auto [p_louder, z_louder] = compare(exact, count_samples(simulator(louder), simulation_method::ogata, R, 2));
    EXPECT_LT(p_louder, bonferroni);
    EXPECT_GT(z_louder, z_limit);
}

// One long run of a Boltzmann model with coupled cascades, shared by the two tests below.
const dataset& long_run(const model_params& p) {
    static const dataset d = to_dataset(p, simulator(p).run_replica(window(800.0), 77, 0), 800.0);
    return d;
}
const model_params& long_run_params() {
    static const model_params p = testing::small_network(model_variant::mic, 14, 6, 3, 0.6);
    return p;
}

// Λ_u(t_{i−1}, t_i] between successive events of each user (t_0 = 0), from the naive compensator.
std::vector<double> compensator_increments(const dataset& d, const model_params& p) {
    std::vector<double> out;
    for (std::int32_t u = 0; u < d.header.n_users; ++u) {
        double previous = 0.0;
        for (auto e = d.events.user_offsets[u]; e < d.events.user_offsets[u + 1]; ++e) {
            const double t = d.events.time[std::size_t(e)];
            out.push_back(reference::compensator(d, p, u, previous, t));
            previous = t;
        }
    }
    return out;
}

TEST(SimulationStatistics, CompensatorIncrementsAreUnitExponentialsByTimeRescaling) {
    const auto& p = long_run_params();
    const dataset& d = long_run(p);
    ASSERT_GT(d.events.n_events(), 3000);
    EXPECT_GT(testing::ks_exponential_pvalue(compensator_increments(d, p)), p_limit_ks);
    // Power: with a kernel 50 % too long the increments are no longer Exp(1).
    model_params wrong = p;
    wrong.tau *= 1.5;
    EXPECT_LT(testing::ks_exponential_pvalue(compensator_increments(d, wrong)), p_limit_ks);
}

TEST(SimulationStatistics, CascadesFollowTheMixingDistributionAtEachEvent) {
    // Σ_e (1[c_e = c] − f_{u_e}(c|t_e)) is a martingale with variance Σ_e f(1 − f): its z-score per
    // cascade must stay within 4.
    const auto& p = long_run_params();
    const dataset& d = long_run(p);
    const auto sigma = reference::effective_sigma(p);
    const std::size_t C = std::size_t(p.n_cascades);
    std::vector<double> excess(C, 0.0), variance(C, 0.0), excess_flat(C, 0.0), variance_flat(C, 0.0);
    for (std::int32_t u = 0; u < d.header.n_users; ++u)
        for (auto e = d.events.user_offsets[u]; e < d.events.user_offsets[u + 1]; ++e) {
            const auto in = reference::intensities_at(d, p, sigma, u, d.events.time[std::size_t(e)]);
            for (std::size_t c = 0; c < C; ++c) {
                const double hit = d.events.cascade[std::size_t(e)] == std::int32_t(c) ? 1.0 : 0.0;
                excess[c] += hit - in.f[c];
                variance[c] += in.f[c] * (1.0 - in.f[c]);
                // Power: the uniform split 1/C (what β = 0 would give) does not fit.
                excess_flat[c] += hit - 1.0 / double(C);
                variance_flat[c] += (1.0 / double(C)) * (1.0 - 1.0 / double(C));
            }
        }
    double worst_flat = 0.0;
    for (std::size_t c = 0; c < C; ++c) {
        EXPECT_LT(std::abs(excess[c]) / std::sqrt(variance[c]), z_limit) << "cascade " << c;
        worst_flat = std::max(worst_flat, std::abs(excess_flat[c]) / std::sqrt(variance_flat[c]));
    }
    EXPECT_GT(worst_flat, z_limit);
}

} // namespace
} // namespace mic
