// The special cases of SPEC §2 and the numerical corners: ic = linmic with Σ = I, cc = mic with
// Σ = I, C = 1 is a plain multivariate Hawkes process (a hand-computed value), β up to 1e5, users
// without events or in-neighbours, and an impossible event.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/likelihood/shard_likelihood.hpp"
#include "engine/likelihood/user_likelihood.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"
#include "tests/engine/reference/naive_mic.hpp"

namespace mic {
namespace {

using namespace mic::testing;

// Per-user L_u of every user of `data` under `params` over `window`, through the streaming pass.
std::vector<double> user_values(const dataset& data, const model_params& params, likelihood_window window) {
    const auto s = make_shard(data, all_users(data));
    const shard_kernels kernels(s, params.tau, window);
    return local_loglik(kernels, params).result.per_user;
}

TEST(SpecialCases, IcEqualsLinmicWithIdentitySigma) {
    const auto data = small_dataset(21);
    auto ic = random_params(data, model_variant::ic, 0.0, 1.2, 5);
    auto linmic = ic;
    linmic.variant = model_variant::linmic;  // Σ = I already
    const likelihood_window window{1.0, 10.0};
    const auto a = user_values(data, ic, window), b = user_values(data, linmic, window);
    EXPECT_EQ(a, b);
    // And with Σ = I linear mixing makes λ^c = ν^c: L_u = Σ_e log ν_{u}^{c_e}(t_e) − ∫ λ_u.
    for (std::int32_t u = 0; u < ic.n_users; ++u) {
        double direct = -reference::compensator(data, ic, u, window.from, window.to);
        for (auto e = data.events.user_offsets[u]; e < data.events.user_offsets[u + 1]; ++e) {
            const double t = data.events.time[e];
            if (t <= window.from || t > window.to) continue;
            direct += std::log(reference::intensities_at(data, ic, identity_sigma(3), u, t).nu[data.events.cascade[e]]);
        }
        EXPECT_NEAR(a[u], direct, 1e-13 * (1 + std::abs(direct)));
    }
}

TEST(SpecialCases, CcEqualsMicWithIdentitySigma) {
    const auto data = small_dataset(22, true);
    auto cc = random_params(data, model_variant::cc, 4.0, 0.7, 6);
    auto mic_params = cc;
    mic_params.variant = model_variant::mic;
    EXPECT_EQ(user_values(data, cc, {0.5, 10.0}), user_values(data, mic_params, {0.5, 10.0}));
}

// Hand-computed C = 1 example (a plain bivariate Hawkes process; the mixing is f = 1, log f = 0).
// τ = 1, window (0, 3]. User 0: no in-neighbours, μ_0 = 0.5, events at t = 1 and t = 2.
// User 1: in-neighbours {0, 1} with w_01 = 0.8, w_11 = 0.3 (self-loop), μ_1 = 0.2, events at 2, 2.5.
//   L_0 = 2 log 0.5 − 0.5·3 = −1.3862943611198906 − 1.5 = −2.886294361119891
//   λ_1(2)   = 0.2 + 0.8 e^{−1}                          (user 0's event at t = 2 is a tie: excluded)
//            = 0.2 + 0.8·0.36787944117144233 = 0.4943035529371539,  log = −0.7046054708796523
//   λ_1(2.5) = 0.2 + 0.8(e^{−1.5} + e^{−0.5}) + 0.3 e^{−0.5}
//            = 0.2 + 0.8(0.22313016014842982 + 0.6065306597126334) + 0.3·0.6065306597126334
//            = 1.0456878538026406,  log = 0.044674902180213
//   ∫_0^3 λ_1 = 0.2·3 + 0.8[(1 − e^{−2}) + (1 − e^{−1})] + 0.3[(1 − e^{−1}) + (1 − e^{−0.5})]
//            = 0.6 + 0.8·1.4967852755919450 + 0.3·1.0255898991159243 = 2.1051051902083335
//   L_1 = −0.7046054708796523 + 0.044674902180213 − 2.1051051902083335 = −2.7650357589077728
//   L   = −5.651330120027664
TEST(SpecialCases, WithOneCascadeTheModelIsAHawkesProcessWithTheHandComputedValue) {
    dataset data;
    data.header = {.n_users = 2, .n_cascades = 1, .t_start = 0.0, .t_end = 3.0, .time_unit = "s"};
    data.events.user_offsets = {0, 2, 4};
    data.events.cascade = {0, 0, 0, 0};
    data.events.time = {1.0, 2.0, 2.0, 2.5};
    data.graph.in_offsets = {0, 0, 2};
    data.graph.in_source = {0, 1};
    for (auto v: all_variants) {
        auto p = make_uniform_params(v, 3.0, 1.0, 1, data.graph, 0.0, 0.0);
        p.mu = {0.5, 0.2};
        p.weight = {0.8, 0.3};
        const auto values = user_values(data, p, {0.0, 3.0});
        EXPECT_NEAR(values[0], -2.886294361119891, 1e-15) << name_of(v);
        EXPECT_NEAR(values[1], -2.7650357589077728, 2e-15) << name_of(v);
        const auto s = make_shard(data, all_users(data));
        const auto total = evaluate_loglik(make_local_communicator(), s, p, {0.0, 3.0});
        EXPECT_NEAR(total.loglik, -5.651330120027664, 4e-15) << name_of(v);
        EXPECT_EQ(total.n_events, 4);
    }
}

TEST(SpecialCases, BetaUpToOneHundredThousandGivesFiniteValuesAndDerivatives) {
    const auto data = small_dataset(23);
    const auto s = make_shard(data, all_users(data));
    const likelihood_window window{1.0, 10.0};
    const shard_kernels kernels(s, 0.9, window);
    kernel_sweep sweep(kernels);
    for (double beta: {0.0, 1e-8, 1.0, 1e3, 1e5}) {
        const auto p = random_params(data, model_variant::mic, beta, 0.9, 7);
        const auto model = make_event_model(p);
        for (std::int32_t u = 0; u < p.n_users; ++u) {
            const auto theta = user_theta(p, u);
            std::vector<double> g(theta.size()), H(theta.size() * theta.size());
            const double value = stream_user_loglik(sweep, std::size_t(u), model, theta, g, H);
            ASSERT_TRUE(std::isfinite(value)) << "beta " << beta << " user " << u;
            for (double x: g) ASSERT_TRUE(std::isfinite(x));
            for (double x: H) ASSERT_TRUE(std::isfinite(x));
            const double naive = reference::user_loglik(data, p, u, window.from, window.to);
            // At β = 1e5 log f ≈ −β Δν*: the values are large and carry β·ε-sized rounding.
            EXPECT_NEAR(value, naive, 1e-12 * (1 + std::abs(naive))) << "beta " << beta;
        }
    }
}

TEST(SpecialCases, UsersWithoutEventsOrInNeighboursOnlyPayTheirBaselineCompensator) {
    auto data = small_dataset(24);
    const auto p = random_params(data, model_variant::linmic, 1.0, 1.0, 8);
    const auto values = user_values(data, p, {2.0, 9.0});
    int checked = 0;
    for (std::int32_t u = 0; u < p.n_users; ++u) {
        if (data.events.user_offsets[u] != data.events.user_offsets[u + 1]) continue;
        const double expected = -reference::compensator(data, p, u, 2.0, 9.0);
        EXPECT_NEAR(values[u], expected, 1e-14 * (1 + std::abs(expected)));
        ++checked;
    }
    EXPECT_GT(checked, 0);  // the dataset has silent users
}

TEST(SpecialCases, AnEventWithZeroIntensityGivesMinusInfinityAndNoNaN) {
    // User 1 has μ = 0 and its only in-neighbour fires after it: λ_1(t) = 0 at its event.
    dataset data;
    data.header = {.n_users = 2, .n_cascades = 2, .t_start = 0.0, .t_end = 5.0, .time_unit = "s"};
    data.events.user_offsets = {0, 1, 2};
    data.events.cascade = {0, 1};
    data.events.time = {3.0, 1.0};
    data.graph.in_offsets = {0, 0, 1};
    data.graph.in_source = {0};
    for (auto v: all_variants) {
        auto p = make_uniform_params(v, 2.0, 1.0, 2, data.graph, 0.3, 0.5);
        p.mu[2] = p.mu[3] = 0.0;
        const auto s = make_shard(data, all_users(data));
        const shard_kernels kernels(s, 1.0, {0.0, 5.0});
        kernel_sweep sweep(kernels);
        const auto theta = user_theta(p, 1);
        std::vector<double> g(3), H(9);
        EXPECT_EQ(stream_user_loglik(sweep, 1, make_event_model(p), theta, g, H), -HUGE_VAL);
        for (double x: g) EXPECT_TRUE(std::isfinite(x));
        for (double x: H) EXPECT_TRUE(std::isfinite(x));
        const auto total = evaluate_loglik(make_local_communicator(), s, p, {0.0, 5.0});
        EXPECT_EQ(total.loglik, -HUGE_VAL);
        EXPECT_TRUE(std::isfinite(total.per_user[0]));
    }
}

} // namespace
} // namespace mic
