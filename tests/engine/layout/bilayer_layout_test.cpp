// The bi-layer layout (engine/layout): a deterministic force layout of Σ, users over their dominant
// cascade, the user mixtures of stable and supercritical models, and the edges each panel keeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/layout/bilayer_layout.hpp"
#include "engine/layout/force_layout.hpp"
#include "engine/layout/user_mixture.hpp"
#include "engine/simulation/expected_activity.hpp"

namespace mic {
namespace {

double distance(std::span<const double> xy, std::size_t i, std::span<const double> other, std::size_t j) {
    return std::hypot(xy[2 * i] - other[2 * j], xy[2 * i + 1] - other[2 * j + 1]);
}

// A directed ring 0 → 1 → … → U−1 → 0 with weight w on every edge (ρ(W) = w) and baselines μ_u^c.
model_params ring(model_variant variant, std::int32_t U, std::int32_t C, double w, double tau) {
    csr_graph g;
    g.in_offsets.assign(1, 0);
    for (std::int32_t u = 0; u < U; ++u) {
        g.in_source.push_back((u + U - 1) % U);
        g.in_offsets.push_back(g.n_edges());
    }
    model_params p = make_uniform_params(variant, 5.0, tau, C, g, 0.0, w);
    for (std::int32_t u = 0; u < U; ++u)
        for (std::int32_t c = 0; c < C; ++c) p.mu[std::size_t(u * C + c)] = 0.01 * (1 + (u * 7 + c * 3) % 5);
    return p;
}

std::size_t nearest_cascade(const layout_panel& p, std::size_t u) {
    std::size_t best = 0;
    for (std::size_t c = 1; c < std::size_t(p.n_cascades); ++c)
        if (distance(p.user_xy, u, p.cascade_xy, c) < distance(p.user_xy, u, p.cascade_xy, best)) best = c;
    return best;
}

TEST(ForceLayout, IsTheSameForTheSameSeedAndFiniteInsideTheUnitDisc) {
    const std::vector<double> a{0, 0.7, 0, 0.1, 0.7, 0, 0.3, 0, 0, 0.3, 0, 0.5, 0.1, 0, 0.5, 0};
    const auto first = force_layout(a, 4, {.seed = 3}), second = force_layout(a, 4, {.seed = 3});
    EXPECT_EQ(first, second);
    EXPECT_NE(first, force_layout(a, 4, {.seed = 4}));
    double farthest = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        ASSERT_TRUE(std::isfinite(first[2 * i]) && std::isfinite(first[2 * i + 1]));
        farthest = std::max(farthest, std::hypot(first[2 * i], first[2 * i + 1]));
    }
    EXPECT_NEAR(farthest, 1.0, 1e-12);
}

TEST(ForceLayout, OfCascadesThatDoNotInteractIsARegularPolygon) {
    const std::vector<double> none(25, 0.0);
    const auto xy = force_layout(none, 5);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_NEAR(std::hypot(xy[2 * i], xy[2 * i + 1]), 1.0, 0.02) << i;
        EXPECT_NEAR(distance(xy, i, xy, (i + 1) % 5), 2 * std::sin(std::numbers::pi / 5), 0.03) << i;
    }
}

TEST(ForceLayout, PutsInteractingCascadesCloserThanIndependentOnes) {
    // Σ of the MIC paper's Sec. 7.2.3: cascade 1 feeds cascade 0; cascade 2 stands alone.
    const std::vector<double> affinity{0, 0.71, 0, 0.71, 0, 0, 0, 0, 0};
    const auto xy = force_layout(affinity, 3);
    EXPECT_LT(distance(xy, 0, xy, 1), 0.5 * distance(xy, 0, xy, 2));
    EXPECT_LT(distance(xy, 0, xy, 1), 0.5 * distance(xy, 1, xy, 2));
}

TEST(BilayerLayout, PlacesEachUserNearItsDominantCascadeAndASharedUserBetween) {
    const std::vector<double> sigma{1, 0, 0, 0.2, 0.8, 0, 0, 0, 1};
    // Users 0–2 all in one cascade each, user 3 split evenly between cascades 0 and 2.
    const std::vector<double> mixture{1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0, 0.5};
    const std::vector<double> sizes{1, 2, 3, 4}, cascade_sizes{1, 1, 1}, scores(12, 1.0);
    const layout_panel p = build_panel({4, 3, sigma, mixture, sizes, cascade_sizes, scores, {}}, {});
    for (std::size_t u = 0; u < 3; ++u) EXPECT_EQ(nearest_cascade(p, u), u);
    const double to_0 = distance(p.user_xy, 3, p.cascade_xy, 0), to_2 = distance(p.user_xy, 3, p.cascade_xy, 2);
    EXPECT_LT(std::abs(to_0 - to_2), 0.3 * distance(p.cascade_xy, 0, p.cascade_xy, 2));
    ASSERT_EQ(p.cascade_edges.size(), 1u);  // σ_10 = 0.2 ≥ 0.05; the diagonal is never an edge
    EXPECT_EQ(p.cascade_edges[0].from, 1);
    EXPECT_EQ(p.cascade_edges[0].to, 0);
    EXPECT_EQ(p.cascade_edges[0].weight, 0.2);
}

TEST(UserMixture, OfAStableModelIsItsStationaryCascadeSplit) {
    for (const auto variant: {model_variant::ic, model_variant::cc}) {
        const model_params p = ring(variant, 6, 3, 0.2, 2.0);  // ρ(W)·τ = 0.4
        const user_mixture m = model_mixture(p);
        EXPECT_EQ(m.method, mixture_method::stationary);
        EXPECT_NEAR(m.rho_tau, 0.4, 1e-9);
        const auto stationary = stationary_cascade_intensity(p);
        for (std::size_t u = 0; u < 6; ++u) {
            const double total = stationary[3 * u] + stationary[3 * u + 1] + stationary[3 * u + 2];
            for (std::size_t c = 0; c < 3; ++c) EXPECT_NEAR(m.share[3 * u + c], stationary[3 * u + c] / total, 1e-12);
        }
    }
}

TEST(UserMixture, OfMicIsItsMixingAtTheMeanContextIntensity) {
    // f_u = softmax(β ν̄*_u), ν̄*_u = μ_u + Σᵀ X̄_u, X̄ = (B − I) M: Σ acts on the drive only (Eq. 6).
    model_params p = ring(model_variant::mic, 6, 2, 0.2, 2.0);
    p.sigma = {1, 0, 0.7, 0.3};
    model_params independent = p;
    independent.variant = model_variant::ic;
    independent.sigma = identity_sigma(2);
    const auto bm = stationary_cascade_intensity(independent);  // exact for ic: L∞ = B M
    const user_mixture m = model_mixture(p);
    EXPECT_EQ(m.method, mixture_method::stationary);
    for (std::size_t u = 0; u < 6; ++u) {
        const double x0 = bm[2 * u] - p.mu[2 * u], x1 = bm[2 * u + 1] - p.mu[2 * u + 1];
        const double nu0 = p.mu[2 * u] + x0 + 0.7 * x1, nu1 = p.mu[2 * u + 1] + 0.3 * x1;
        const double f1 = 1 / (1 + std::exp(p.beta * (nu0 - nu1)));
        EXPECT_NEAR(m.share[2 * u + 1], f1, 1e-12) << u;
        EXPECT_NEAR(m.rate[2 * u] + m.rate[2 * u + 1], bm[2 * u] + bm[2 * u + 1], 1e-12) << u;  // (Bμ)_u
    }
}

TEST(UserMixture, OfASupercriticalModelIsOneGenerationOfInfluenceAndDoesNotFail) {
    model_params p = ring(model_variant::ic, 5, 2, 0.6, 2.0);  // ρ(W)·τ = 1.2: no stationary regime
    const user_mixture m = model_mixture(p);
    EXPECT_EQ(m.method, mixture_method::one_generation);
    EXPECT_NEAR(m.rho_tau, 1.2, 1e-9);
    for (std::int32_t u = 0; u < 5; ++u) {
        const std::int32_t v = (u + 4) % 5;  // u's only in-neighbour
        double total = 0;
        for (std::size_t c = 0; c < 2; ++c) {
            // Linear mixing, Σ = I: E[λ_u^c] ≈ μ_u^c + τ w_vu μ_v^c.
            const double expected = p.mu[std::size_t(u) * 2 + c] + 2.0 * 0.6 * p.mu[std::size_t(v) * 2 + c];
            EXPECT_NEAR(m.rate[std::size_t(u) * 2 + c], expected, 1e-15);
            total += m.share[std::size_t(u) * 2 + c];
        }
        EXPECT_NEAR(total, 1.0, 1e-12);
    }
    p.variant = model_variant::cc;  // Boltzmann: shares still finite and summing to 1
    const user_mixture b = model_mixture(p);
    for (std::size_t u = 0; u < 5; ++u) EXPECT_NEAR(b.share[2 * u] + b.share[2 * u + 1], 1.0, 1e-12);
}

TEST(BilayerLayout, ModelPanelKeepsTheEdgesAboveTheThresholdAndLinksTheLargestBaselines) {
    model_params p = ring(model_variant::ic, 4, 2, 0.1, 1.0);
    p.weight = {0.05, 0.5, 0.2, 0.09};  // w_{3→0}, w_{0→1}, w_{1→2}, w_{2→3}; threshold 0.2 · 0.5 = 0.1
    const user_mixture m = model_mixture(p);
    const layout_panel panel = model_panel(p, m.share, m.rate, {}, {.links_per_cascade = 1});
    ASSERT_EQ(panel.user_edges.size(), 2u);
    EXPECT_EQ(panel.user_edges[0].from, 0);  // heaviest first
    EXPECT_EQ(panel.user_edges[0].to, 1);
    EXPECT_EQ(panel.user_edges[1].weight, 0.2);
    ASSERT_EQ(panel.links.size(), 2u);  // per cascade, the user with the largest μ_u^c
    for (const auto& link: panel.links) {
        const auto c = std::size_t(link.from);
        for (std::size_t u = 0; u < 4; ++u) EXPECT_LE(p.mu[u * 2 + c], link.weight);
        EXPECT_EQ(p.mu[std::size_t(link.to) * 2 + c], link.weight);
    }
    EXPECT_TRUE(panel.cascade_edges.empty());  // ic: Σ = I
}

TEST(BilayerLayout, DataPanelUsesTheGraphTheEventSharesAndTheEventCounts) {
    const model_params p = ring(model_variant::ic, 4, 2, 0.1, 1.0);
    csr_graph g;
    g.in_offsets = p.in_offsets;
    g.in_source = p.in_source;
    const std::vector<double> counts{3, 1, 0, 0, 2, 2, 0, 5};  // user 1 has no events
    const layout_panel panel = data_panel(g, counts, 2, {.max_user_edges = 2});
    EXPECT_EQ(panel.mixture, (std::vector<double>{0.75, 0.25, 0.5, 0.5, 0.5, 0.5, 0, 1}));
    EXPECT_EQ(panel.user_size, (std::vector<double>{4, 0, 4, 5}));
    EXPECT_EQ(panel.cascade_size, (std::vector<double>{5, 8}));
    EXPECT_TRUE(panel.cascade_edges.empty());
    // Four edges of weight 1, at most 2 kept: the two touching the user without events go.
    ASSERT_EQ(panel.user_edges.size(), 2u);
    for (const auto& e: panel.user_edges) EXPECT_TRUE(e.from != 1 && e.to != 1) << e.from << "→" << e.to;
}

} // namespace
} // namespace mic
