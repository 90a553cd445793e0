// L_u, its gradient and Hessian, for all four variants: against the naive O(N²) reference, against
// finite differences, concavity along random lines, and stored features = streaming pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "engine/likelihood/recursive_pass.hpp"
#include "engine/likelihood/user_likelihood.hpp"
#include "tests/engine/likelihood/likelihood_fixtures.hpp"
#include "tests/engine/reference/naive_mic.hpp"

namespace mic {
namespace {

using namespace mic::testing;

struct user_case {
    dataset data;
    shard whole;
    model_params params;
    likelihood_window window{2.0, 9.5};
};

// τ = 1.1 keeps the 10-unit horizon inside one anchor block (W = 16); τ = 0.3 spreads it over
// three (W = 4), so both the in-block and the cross-block arithmetic are exercised.
user_case make_case(model_variant v, std::uint64_t seed, bool ties = false, double beta = 2.0, double tau = 1.1) {
    user_case c;
    c.data = small_dataset(seed, ties);
    c.whole = make_shard(c.data, all_users(c.data));
    c.params = random_params(c.data, v, beta, tau, seed + 100);
    return c;
}

// Calls fn(u, objective, θ_u) for every user of the case, with stored features.
template <class F>
void for_each_user_objective(const user_case& c, F&& fn) {
    const shard_kernels kernels(c.whole, c.params.tau, c.window);
    kernel_sweep sweep(kernels);
    const auto model = make_event_model(c.params);
    for (std::int32_t u = 0; u < c.params.n_users; ++u) {
        const auto features = build_user_features(sweep, std::size_t(u));
        user_objective objective(features, model);
        fn(u, objective, user_theta(c.params, u));
    }
}

struct setting {
    model_variant variant;
    bool ties;
    double tau;
};
std::vector<setting> all_settings() {
    std::vector<setting> out;
    for (auto v: all_variants)
        for (bool ties: {false, true})
            for (double tau: {1.1, 0.3}) out.push_back({v, ties, tau});
    return out;
}

TEST(UserLikelihood, MatchesTheNaiveReferenceForAllVariantsWithAndWithoutTies) {
    for (const auto [v, ties, tau]: all_settings()) {
        const auto c = make_case(v, 11, ties, 2.0, tau);
        const auto sigma = reference::effective_sigma(c.params);
        for_each_user_objective(c, [&](std::int32_t u, user_objective& objective, const std::vector<double>& theta) {
            const double naive = reference::user_loglik(c.data, c.params, u, c.window.from, c.window.to);
            EXPECT_NEAR(objective.evaluate(theta), naive, 1e-13 * (1 + std::abs(naive))) << name_of(v) << " user " << u;
            // Intensities at every scored event.
            const auto& ev = c.whole.events;
            std::int64_t e = 0;
            for (double t: ev.times(ev.local_index(u))) {
                if (t <= c.window.from || t > c.window.to) continue;
                const auto got = objective.intensities(theta, e++);
                const auto want = reference::intensities_at(c.data, c.params, sigma, u, t);
                EXPECT_NEAR(got.lambda, want.lambda, 1e-14 * want.lambda);
                EXPECT_LT(relative_error(got.drive, want.drive), 1e-14);
                EXPECT_LT(relative_error(got.nu, want.nu), 1e-14);
                EXPECT_LT(relative_error(got.nu_star, want.nu_star), 1e-14);
                EXPECT_LT(relative_error(got.f, want.f), 1e-13);
            }
        });
    }
}

TEST(UserLikelihood, StoredFeaturesAndTheStreamingPassGiveIdenticalValuesAndDerivatives) {
    // Users with whole blocks of eight events kept lane-major and users with rows after them (the
    // last n mod 8 events) are both among them.
    std::size_t users_with_blocks = 0, users_with_rows = 0;
    for (auto v: all_variants) {
        const auto c = make_case(v, 12, true, 2.0, 0.3);
        const shard_kernels kernels(c.whole, c.params.tau, c.window);
        kernel_sweep sweep(kernels);
        const auto model = make_event_model(c.params);
        for (std::int32_t u = 0; u < c.params.n_users; ++u) {
            const auto theta = user_theta(c.params, u);
            const std::size_t p = theta.size();
            std::vector<double> g1(p), g2(p), h1(p * p), h2(p * p);
            const double streamed = stream_user_loglik(sweep, std::size_t(u), model, theta, g1, h1);
            const auto features = build_user_features(sweep, std::size_t(u));
            user_objective objective(features, model);
            EXPECT_EQ(objective.evaluate(theta, g2, h2), streamed);
            EXPECT_EQ(g1, g2);
            EXPECT_EQ(h1, h2);
            EXPECT_EQ(objective.evaluate(theta), streamed);  // value-only path: same arithmetic
            // The compensator is kept as one total per in-neighbour, not k×C rows.
            const std::size_t n = std::size_t(features.n_events()), k = std::size_t(features.n_neighbours),
                              C = std::size_t(features.n_cascades);
            EXPECT_EQ(features.bytes(), 8 * C * k * n + 8 * k + 12 * n);
            users_with_blocks += features.n_blocks() > 0 && k > 0;
            users_with_rows += n % feature_lanes != 0 && k > 0;
        }
    }
    EXPECT_GT(users_with_blocks, 0u);
    EXPECT_GT(users_with_rows, 0u);
}

TEST(UserLikelihood, StoredFeaturesHoldEachEventsKernelStateWhereverItsCountEndsAndAgreeWithTheStream) {
    // Windows ending at several times, so that users' event counts end on every residue mod 8,
    // a non-zero multiple of eight (whole blocks only) among them: each stored state equals the
    // sweep's bit for bit, and the stored value and gradient equal the streamed ones.
    const auto c = make_case(model_variant::mic, 12, false, 2.0, 0.3);
    const auto model = make_event_model(c.params);
    std::vector<bool> residues(feature_lanes, false);
    for (double to = 1.0; to <= 10.0; to += 0.1) {
        const shard_kernels kernels(c.whole, c.params.tau, {0.0, to});
        kernel_sweep sweep(kernels);
        for (std::int32_t u = 0; u < c.params.n_users; ++u) {
            const auto features = build_user_features(sweep, std::size_t(u));
            const std::size_t n = std::size_t(features.n_events());
            if (n == 0 || features.n_neighbours == 0) continue;
            residues[n % feature_lanes] = true;
            std::vector<double> row(features.state_size());
            sweep.start(std::size_t(u));
            for (std::int64_t e = 0; sweep.next(); ++e) {
                features.kernel_row(e, row);
                ASSERT_TRUE(std::equal(row.begin(), row.end(), sweep.kernel().begin())) << "user " << u << ", event " << e;
            }
            const auto theta = user_theta(c.params, u);
            std::vector<double> streamed_gradient(theta.size()), stored_gradient(theta.size());
            const double streamed = stream_user_loglik(sweep, std::size_t(u), model, theta, streamed_gradient);
            user_objective objective(features, model);
            EXPECT_EQ(objective.evaluate(theta, stored_gradient), streamed) << "user " << u << ", " << n << " events";
            EXPECT_EQ(stored_gradient, streamed_gradient) << "user " << u << ", " << n << " events";
        }
    }
    for (std::size_t r = 0; r < feature_lanes; ++r) EXPECT_TRUE(residues[r]) << "no user with n mod 8 = " << r;
}

TEST(UserLikelihood, TheRecursivePassAgreesWithTheKernelStatePathToRounding) {
    for (const auto [v, ties, tau]: all_settings()) {
        const auto c = make_case(v, 16, ties, 2.0, tau);
        const shard_kernels kernels(c.whole, c.params.tau, c.window);
        kernel_sweep sweep(kernels);
        const auto model = make_event_model(c.params);
        recursive_pass pass(kernels, model);
        for (std::int32_t u = 0; u < c.params.n_users; ++u) {
            const auto theta = user_theta(c.params, u);
            std::vector<double> g1(theta.size()), g2(theta.size()), pc1(3, 0.0), pc2(3, 0.0);
            const double a = stream_user_loglik(sweep, std::size_t(u), model, theta, g1, {}, pc1);
            const double b = pass.evaluate(std::size_t(u), theta, g2, pc2);
            EXPECT_NEAR(a, b, 1e-14 * (1 + std::abs(a))) << name_of(v) << " user " << u;
            EXPECT_LT(relative_error(g2, g1), 1e-14) << name_of(v) << " user " << u;
            EXPECT_LT(relative_error(pc2, pc1), 1e-14) << name_of(v) << " user " << u;
            EXPECT_EQ(pass.n_scored(), sweep.n_scored());
            EXPECT_EQ(pass.evaluate(std::size_t(u), theta), b);  // value alone: same arithmetic
        }
    }
}

TEST(UserLikelihood, TheRecursivePassAgreesOnUsersWithManyEvents) {
    random_dataset_spec spec;
    spec.n_users = 5;
    spec.edge_probability = 0.6;
    spec.self_loops = true;
    spec.mean_events_per_user = 120;
    spec.fraction_silent_users = 0.0;
    spec.t_end = 40.0;
    spec.with_names = false;
    user_case c;
    c.data = make_random_dataset(spec, 17);
    c.whole = make_shard(c.data, all_users(c.data));
    c.params = random_params(c.data, model_variant::mic, 1.5, 0.4, 18);
    c.window = {2.0, 40.0};
    const shard_kernels kernels(c.whole, c.params.tau, c.window);
    kernel_sweep sweep(kernels);
    const auto model = make_event_model(c.params);
    recursive_pass pass(kernels, model);
    for (std::int32_t u = 0; u < c.params.n_users; ++u) {
        const auto theta = user_theta(c.params, u);
        std::vector<double> g1(theta.size()), g2(theta.size());
        const double a = stream_user_loglik(sweep, std::size_t(u), model, theta, g1);
        const double b = pass.evaluate(std::size_t(u), theta, g2);
        EXPECT_GT(sweep.n_scored(), 64);
        EXPECT_NEAR(a, b, 1e-13 * std::abs(a));
        EXPECT_LT(relative_error(g2, g1), 1e-13);
        EXPECT_NEAR(a, reference::user_loglik(c.data, c.params, u, c.window.from, c.window.to), 1e-12 * std::abs(a));
    }
}

// Heavy-tailed activity: users with 2000, 400, 40 and 3 events on a complete graph with self-loops,
// half of the times on a grid of 0.05 so that many events of different users tie. The recursive pass
// places neighbour events by binary search when one list is short and by a merge when both are long
// (2000 against 400): both must give the kernel-state path's values.
TEST(UserLikelihood, TheRecursivePassAgreesForHeavyAndLightUsersWithTies) {
    std::mt19937_64 rng(23);
    std::uniform_real_distribution<double> time(0.0, 50.0);
    std::uniform_int_distribution<std::int32_t> cascade(0, 2);
    user_case c;
    dataset& d = c.data;
    const std::int32_t counts[] = {2000, 400, 40, 3};
    d.header = {.n_users = 4, .n_cascades = 3, .t_start = 0.0, .t_end = 50.0, .time_unit = "s"};
    for (std::int32_t u = 0; u < 4; ++u) {
        std::vector<double> times(std::size_t(counts[u]));
        for (std::size_t i = 0; i < times.size(); ++i)
            times[i] = i % 2 ? std::round(time(rng) * 20.0) / 20.0 : time(rng);
        std::sort(times.begin(), times.end());
        for (double t: times) {
            d.events.time.push_back(t);
            d.events.cascade.push_back(cascade(rng));
        }
        d.events.user_offsets.push_back(d.events.n_events());
        for (std::int32_t v = 0; v < 4; ++v) d.graph.in_source.push_back(v);
        d.graph.in_offsets.push_back(d.graph.n_edges());
    }
    c.whole = make_shard(d, all_users(d));
    c.window = {1.0, 50.0};
    for (auto v: all_variants) {
        c.params = random_params(d, v, 1.5, 0.7, 29);
        const shard_kernels kernels(c.whole, c.params.tau, c.window);
        kernel_sweep sweep(kernels);
        const auto model = make_event_model(c.params);
        recursive_pass pass(kernels, model);
        for (std::int32_t u = 0; u < 4; ++u) {
            const auto theta = user_theta(c.params, u);
            std::vector<double> g1(theta.size()), g2(theta.size());
            const double a = stream_user_loglik(sweep, std::size_t(u), model, theta, g1);
            const double b = pass.evaluate(std::size_t(u), theta, g2);
            EXPECT_NEAR(a, b, 1e-13 * std::abs(a)) << name_of(v) << " user " << u;
            EXPECT_LT(relative_error(g2, g1), 1e-13) << name_of(v) << " user " << u;
        }
    }
}

TEST(UserLikelihood, GradientAndHessianMatchFiniteDifferencesForAllVariants) {
    for (auto v: all_variants) {
        const auto c = make_case(v, 13, false, 2.0, 0.3);
        for_each_user_objective(c, [&](std::int32_t u, user_objective& objective, const std::vector<double>& theta) {
            const std::size_t p = theta.size();
            std::vector<double> g(p), H(p * p);
            objective.evaluate(theta, g, H);
            auto value = [&](std::span<const double> x) { return objective.evaluate(x); };
            auto gradient = [&](std::span<const double> x) {
                std::vector<double> out(p);
                objective.evaluate(x, out);
                return out;
            };
            // Central differences with h = 1e-6: truncation ~h²·|L'''| ≈ 1e-10, rounding ~1e-16/h.
            EXPECT_LT(relative_error(g, central_gradient(value, theta, 1e-6)), 1e-7) << name_of(v) << " user " << u;
            EXPECT_LT(relative_error(H, central_jacobian(gradient, theta, 1e-6)), 1e-7) << name_of(v) << " user " << u;
            for (std::size_t i = 0; i < p; ++i)
                for (std::size_t j = 0; j < i; ++j) EXPECT_EQ(H[i * p + j], H[j * p + i]);
        });
    }
}

TEST(UserLikelihood, IsConcaveAlongRandomLinesInTheUserParameters) {
    std::mt19937_64 rng(14);
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    for (auto v: all_variants) {
        const auto c = make_case(v, 15, false, 3.0);
        for_each_user_objective(c, [&](std::int32_t u, user_objective& objective, const std::vector<double>& theta0) {
            const std::size_t p = theta0.size();
            for (int line = 0; line < 5; ++line) {
                std::vector<double> d(p);
                for (auto& x: d) x = 0.04 * unit(rng);  // θ0 ≥ 0.05: θ0 + t d stays > 0 for |t| ≤ 1
                auto at = [&](double t) {
                    std::vector<double> x(theta0);
                    for (std::size_t i = 0; i < p; ++i) x[i] += t * d[i];
                    return objective.evaluate(x);
                };
                // Midpoint concavity on a grid of chords, and dᵀ∇²L d ≤ 0.
                for (double t1 = -1.0; t1 < 1.0; t1 += 0.25) {
                    const double t2 = t1 + 0.5;
                    const double mid = at(0.5 * (t1 + t2)), chord = 0.5 * (at(t1) + at(t2));
                    EXPECT_GE(mid, chord - 1e-12 * (1 + std::abs(mid))) << name_of(v) << " user " << u;
                }
                std::vector<double> g(p), H(p * p);
                objective.evaluate(theta0, g, H);
                double curvature = 0;
                for (std::size_t i = 0; i < p; ++i)
                    for (std::size_t j = 0; j < p; ++j) curvature += d[i] * H[i * p + j] * d[j];
                EXPECT_LE(curvature, 1e-12) << name_of(v) << " user " << u;
            }
        });
    }
}

} // namespace
} // namespace mic
