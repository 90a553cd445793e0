#include "engine/simulation/spectral_radius.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <random>
#include <utility>
#include <vector>

#include "engine/simulation/graph_generators.hpp"
#include "engine/simulation/parameter_draw.hpp"
#include "tests/engine/simulation/simulation_fixtures.hpp"

namespace mic {
namespace {

using mic::testing::on_edges;

// ρ of the dense Wᵀ from Eigen's general eigensolver: the oracle.
double dense_spectral_radius(const model_params& p) {
    Eigen::MatrixXd A = Eigen::MatrixXd::Zero(p.n_users, p.n_users);
    for (std::int32_t u = 0; u < p.n_users; ++u)
        for (std::size_t i = 0; i < p.in_neighbours(u).size(); ++i) A(u, p.in_neighbours(u)[i]) = p.weights_of(u)[i];
    return Eigen::EigenSolver<Eigen::MatrixXd>(A, false).eigenvalues().cwiseAbs().maxCoeff();
}

void expect_matches_dense(const model_params& p, const char* what) {
    const auto r = influence_spectral_radius(p);
    const double exact = dense_spectral_radius(p);
    EXPECT_TRUE(r.converged) << what;
    EXPECT_NEAR(r.value, exact, 1e-8 * std::max(1.0, exact)) << what;
    EXPECT_LE(r.lower_bound, exact * (1 + 1e-12) + 1e-300) << what;  // certified bracket
    EXPECT_GE(r.upper_bound, exact * (1 - 1e-12)) << what;
}

TEST(SpectralRadius, MatchesDenseEigenvaluesOnRandomGraphs) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        parameter_draw spec;
        spec.mu = {0.1, 0.1};
        spec.weight = {0.0, 1.0};
        expect_matches_dense(draw_parameters(erdos_renyi_graph(60, 0.08, seed), spec, seed), "Erdős–Rényi");
        expect_matches_dense(draw_parameters(barabasi_albert_graph(60, 2, seed), spec, seed), "Barabási–Albert");
    }
}

TEST(SpectralRadius, ConvergesOnPeriodicAndReducibleGraphs) {
    // A directed 4-cycle (period 4: eigenvalues on a circle, all of modulus ρ): the unshifted power
    // iteration would cycle forever.
    expect_matches_dense(on_edges(4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}}, 1), "4-cycle");
    // Complete bipartite both ways (period 2: −ρ is an eigenvalue).
    std::vector<std::pair<std::int32_t, std::int32_t>> bipartite;
    for (std::int32_t a = 0; a < 3; ++a)
        for (std::int32_t b = 3; b < 7; ++b) bipartite.insert(bipartite.end(), {{a, b}, {b, a}});
    expect_matches_dense(on_edges(7, bipartite, 2), "bipartite");
    // Reducible: two cycles joined one way, a tail, a lone user and a self-loop.
    expect_matches_dense(on_edges(9, {{0, 1}, {1, 0}, {1, 2}, {2, 3}, {3, 4}, {4, 2}, {4, 5}, {5, 6}, {8, 8}}, 3),
                         "reducible");
}

TEST(SpectralRadius, IsExactlyZeroOnAGraphWithoutCycles) {
    const auto r = influence_spectral_radius(on_edges(5, {{0, 1}, {0, 2}, {1, 2}, {2, 3}, {3, 4}, {1, 4}}, 4));
    EXPECT_EQ(r.value, 0.0);
    EXPECT_EQ(r.upper_bound, 0.0);
    EXPECT_TRUE(r.converged);
    // A cycle whose weights are all zero does not count either.
    model_params p = on_edges(3, {{0, 1}, {1, 2}, {2, 0}}, 5);
    p.weight[0] = 0.0;
    EXPECT_EQ(influence_spectral_radius(p).value, 0.0);
}

TEST(SpectralRadius, ConvergesOnSeparateCyclesOfNearlyEqualRadius) {
    // Two 2-cycles, 0 ⇄ 1 with ρ = 0.5 and 2 ⇄ 3 with ρ = 0.5 (1 − 10⁻⁶), fed by a user 4. On the whole
    // W the estimate Σ(Wᵀx)/Σx averages the two radii by the mass of x on each cycle, and that mass
    // moves to the first cycle by a factor (ρ₂ + s)/(ρ₁ + s) ≈ 1 − 10⁻⁶ per iteration: 5000
    // iterations ended unconverged. A fitted W, whose weights are mostly 0, is many such components
    // (10⁶ users: 126 s of power iteration at the end of the fit, for the ρ(W)τ it reports).
    model_params p = on_edges(5, {{0, 1}, {1, 0}, {2, 3}, {3, 2}, {4, 0}, {4, 2}}, 6);
    const double second = 0.5 * (1 - 1e-6);
    for (std::int32_t u = 0; u < 4; ++u)
        for (std::size_t i = 0; i < p.in_neighbours(u).size(); ++i) {
            const std::int32_t v = p.in_neighbours(u)[i];
            p.weight[std::size_t(p.in_offsets[std::size_t(u)]) + i] = v == 4 ? 3.0 : u <= 1 ? 0.5 : second;
        }
    const auto r = influence_spectral_radius(p);
    EXPECT_TRUE(r.converged);
    EXPECT_NEAR(r.value, 0.5, 1e-10);
    EXPECT_LE(r.lower_bound, 0.5 * (1 + 1e-12));
    EXPECT_GE(r.upper_bound, 0.5 * (1 - 1e-12));
    EXPECT_LT(r.iterations, 100);
}

TEST(SpectralRadius, MatchesDenseEigenvaluesWhenZeroWeightsMakeTheGraphReducible) {
    // A fitted W has many weights exactly 0 (at their bound): many small components, users upstream
    // and downstream of them.
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        parameter_draw spec;
        spec.mu = {0.1, 0.1};
        spec.weight = {0.0, 1.0};
        model_params p = draw_parameters(erdos_renyi_graph(80, 0.05, seed), spec, seed);
        std::mt19937_64 rng(seed);
        for (double& w : p.weight)
            if (std::uniform_real_distribution<double>(0, 1)(rng) < 0.5) w = 0.0;
        expect_matches_dense(p, "Erdős–Rényi with half the weights 0");
    }
}

} // namespace
} // namespace mic
