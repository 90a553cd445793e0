#include "engine/simulation/graph_generators.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/simulation/out_neighbours.hpp"
#include "engine/simulation/parameter_draw.hpp"
#include "engine/support/error.hpp"

namespace mic {
namespace {

void expect_valid_csr(const csr_graph& g, bool allow_self_loops) {
    for (std::int32_t u = 0; u < g.n_users(); ++u) {
        auto in = g.in_neighbours(u);
        EXPECT_TRUE(std::is_sorted(in.begin(), in.end()));
        EXPECT_EQ(std::adjacent_find(in.begin(), in.end()), in.end()) << "repeated edge into " << u;
        for (auto v: in) {
            EXPECT_TRUE(v >= 0 && v < g.n_users());
            if (!allow_self_loops) {
                EXPECT_NE(v, u);
            }
        }
    }
}

TEST(ErdosRenyiGraph, HasTheExpectedNumberOfEdgesAndNoSelfLoops) {
    const std::int32_t U = 3000;
    const double p = 0.002;
    const csr_graph g = erdos_renyi_graph(U, p, 5);
    expect_valid_csr(g, false);
    const double pairs = double(U) * (U - 1);
    EXPECT_NEAR(double(g.n_edges()), p * pairs, 4 * std::sqrt(pairs * p * (1 - p)));  // 4 binomial sd
}

TEST(ErdosRenyiGraph, IncludesEveryOrderedPairWithTheSameProbability) {
    // Over many seeds, each of the 20 ordered pairs of 5 users appears in a fraction p of the graphs:
    // this checks the geometric skips, including the step over u itself.
    const std::int32_t U = 5;
    const double p = 0.3;
    const int graphs = 4000;
    std::vector<int> hits(std::size_t(U * U), 0);
    for (int s = 0; s < graphs; ++s) {
        const csr_graph g = erdos_renyi_graph(U, p, std::uint64_t(s));
        for (std::int32_t u = 0; u < U; ++u)
            for (auto v: g.in_neighbours(u)) ++hits[std::size_t(v * U + u)];
    }
    const double sd = std::sqrt(graphs * p * (1 - p));
    for (std::int32_t v = 0; v < U; ++v)
        for (std::int32_t u = 0; u < U; ++u)
            if (u == v) {
                EXPECT_EQ(hits[std::size_t(v * U + u)], 0);
            } else {
                EXPECT_NEAR(hits[std::size_t(v * U + u)], graphs * p, 4 * sd) << v << " -> " << u;
            }
}

TEST(ErdosRenyiGraph, DependsOnlyOnItsSeedAndCoversTheExtremeProbabilities) {
    EXPECT_EQ(erdos_renyi_graph(200, 0.05, 9).in_source, erdos_renyi_graph(200, 0.05, 9).in_source);
    EXPECT_NE(erdos_renyi_graph(200, 0.05, 9).in_source, erdos_renyi_graph(200, 0.05, 10).in_source);
    EXPECT_EQ(erdos_renyi_graph(50, 0.0, 1).n_edges(), 0);
    EXPECT_EQ(erdos_renyi_graph(50, 1.0, 1).n_edges(), 50 * 49);
    EXPECT_THROW(erdos_renyi_graph(50, 1.5, 1), std::invalid_argument);
}

TEST(BarabasiAlbertGraph, IsSymmetricWithTheRightEdgeCountAndAHeavyTail) {
    const std::int32_t U = 20000, m = 3;
    const csr_graph g = barabasi_albert_graph(U, m, 2);
    expect_valid_csr(g, false);
    const std::int64_t undirected = std::int64_t(m) * (m + 1) / 2 + std::int64_t(U - m - 1) * m;
    EXPECT_EQ(g.n_edges(), 2 * undirected);
    std::int64_t max_degree = 0;
    for (std::int32_t u = 0; u < U; ++u) {
        auto in = g.in_neighbours(u);
        EXPECT_GE(std::int64_t(in.size()), m);
        max_degree = std::max<std::int64_t>(max_degree, std::int64_t(in.size()));
        for (auto v: in) {  // v → u implies u → v
            auto back = g.in_neighbours(v);
            EXPECT_TRUE(std::binary_search(back.begin(), back.end(), u));
        }
    }
    // Power law P(k) ~ k⁻³: the largest degree grows like √U (≈ 100s here); an ER graph of the same
    // mean degree 6 would stay below ~25.
    EXPECT_GT(max_degree, 100);
}

TEST(GraphFromEdges, SortsRemovesRepeatsKeepsSelfLoopsAndRejectsUnknownUsers) {
    const std::vector<std::pair<std::int32_t, std::int32_t>> edges{{2, 0}, {1, 0}, {2, 0}, {1, 1}, {0, 2}};
    const csr_graph g = graph_from_edges(3, edges);
    EXPECT_EQ(g.in_offsets, (std::vector<std::int64_t>{0, 2, 3, 4}));
    EXPECT_EQ(g.in_source, (std::vector<std::int32_t>{1, 2, 1, 0}));
    const std::vector<std::pair<std::int32_t, std::int32_t>> bad{{0, 3}};
    EXPECT_THROW(graph_from_edges(3, bad), std::out_of_range);
}

TEST(OutNeighbours, AreTheTransposeOfTheInNeighbourLists) {
    parameter_draw spec;
    spec.mu = {0.1, 0.2};
    spec.weight = {0.0, 1.0};
    const model_params p = draw_parameters(erdos_renyi_graph(300, 0.03, 4), spec, 4);
    const out_neighbours out = make_out_neighbours(p);
    std::set<std::tuple<int, int, double>> from_in, from_out;
    for (std::int32_t u = 0; u < p.n_users; ++u)
        for (std::size_t i = 0; i < p.in_neighbours(u).size(); ++i)
            from_in.emplace(p.in_neighbours(u)[i], u, p.weights_of(u)[i]);
    for (std::int32_t v = 0; v < out.n_users(); ++v) {
        EXPECT_TRUE(std::is_sorted(out.targets_of(v).begin(), out.targets_of(v).end()));
        for (std::size_t i = 0; i < out.targets_of(v).size(); ++i)
            from_out.emplace(v, out.targets_of(v)[i], out.weights_of(v)[i]);
    }
    EXPECT_EQ(from_in, from_out);
}

TEST(ParameterDraw, DrawsWithinTheRangesFromTheSeedAndRejectsEmptyRanges) {
    parameter_draw spec;
    spec.n_cascades = 3;
    spec.mu = {0.0, 0.2};
    spec.weight = {0.5, 0.6};
    const csr_graph g = erdos_renyi_graph(40, 0.1, 1);
    const model_params p = draw_parameters(g, spec, 8);
    EXPECT_EQ(p.mu.size(), 40u * 3u);
    for (double m: p.mu) EXPECT_TRUE(m >= 0.0 && m < 0.2);
    for (double w: p.weight) EXPECT_TRUE(w >= 0.5 && w < 0.6);
    EXPECT_EQ(p.in_source, g.in_source);
    EXPECT_EQ(draw_parameters(g, spec, 8).weight, p.weight);
    EXPECT_NE(draw_parameters(g, spec, 9).weight, p.weight);
    spec.mu = {0.3, 0.2};
    EXPECT_THROW(draw_parameters(g, spec, 8), input_error);
    spec.mu = {0.0, 0.2};
    spec.sigma = {1, 0, 0, 0.5, 0.4, 0, 0, 0, 1};  // row 1 sums to 0.9
    spec.variant = model_variant::mic;
    EXPECT_THROW(draw_parameters(g, spec, 8), input_error);
}

} // namespace
} // namespace mic
