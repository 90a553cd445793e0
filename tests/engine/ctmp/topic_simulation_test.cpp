// Synthetic topics from a known chain, and the estimator recovering that chain from them.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/ctmp/influence_network.hpp"
#include "engine/ctmp/topic_simulation.hpp"
#include "tests/support/test_world.hpp"

namespace mic {
namespace {

using testing::world;

const random_chain_spec small_chain{.n_users = 12, .mean_out_degree = 2.5, .rate_min = 0.5, .rate_max = 4.0, .absorbing_fraction = 0.25};

TEST(TopicSimulation, ProducesAValidDatasetWhoseTransitionsAreChainEdges) {
    const auto chain = random_ctmp_model(small_chain, 1);
    const auto data = simulate_topics(chain, {.n_topics = 500, .t_end = 1e9, .start_until = 10.0, .seed = 9});
    ASSERT_EQ(data.events.user_offsets.size(), 13u);
    for (std::int32_t u = 0; u < 12; ++u)
        for (auto e = data.events.user_offsets[u] + 1; e < data.events.user_offsets[u + 1]; ++e)
            ASSERT_LE(data.events.time[static_cast<std::size_t>(e) - 1], data.events.time[static_cast<std::size_t>(e)]);
    // Consecutive posts of a topic are jumps of the chain, so following the graph drops none of them.
    const auto all = build_influence_network(data, {}, world());
    const auto followed = build_influence_network(data, {.follow_graph = true}, world());
    EXPECT_GT(all.n_transitions(), 500);
    EXPECT_EQ(all.count, followed.count);
    // Same seed, same data; another seed, other data.
    EXPECT_EQ(simulate_topics(chain, {.n_topics = 500, .t_end = 1e9, .start_until = 10.0, .seed = 9}).events.time, data.events.time);
    EXPECT_NE(simulate_topics(chain, {.n_topics = 500, .t_end = 1e9, .start_until = 10.0, .seed = 8}).events.time, data.events.time);
}

// Largest |estimate − truth| in standard errors, over the rates q_i (sd q/√m_i for the inverse of a
// mean of m_i exponential delays) and the jump probabilities S_ij (sd √(S(1−S)/m_i)).
struct recovery {
    double max_z = 0.0;
    double max_rate_error = 0.0;  // relative
    int checked = 0;              // users visited at least 10 times
};
recovery recover(const ctmp_model& chain, std::int32_t n_topics) {
    const auto data = simulate_topics(chain, {.n_topics = n_topics, .t_end = 1e9, .start_until = 100.0, .seed = 4});
    const auto net = build_influence_network(data, {}, world());
    const auto fit = estimate_ctmp(net);
    recovery r;
    for (std::int32_t i = 0; i < chain.n_users(); ++i) {
        const auto first = net.offsets[static_cast<std::size_t>(i)], last = net.offsets[static_cast<std::size_t>(i) + 1];
        double m = 0.0;
        for (auto e = first; e < last; ++e) m += static_cast<double>(net.count[static_cast<std::size_t>(e)]);
        const double q = chain.rate[static_cast<std::size_t>(i)];
        if (q == 0.0) {
            EXPECT_EQ(m, 0.0);  // absorbing users never pass a topic on
            continue;
        }
        if (m < 10.0) continue;  // too rarely visited for a normal approximation
        ++r.checked;
        r.max_z = std::max(r.max_z, std::abs(fit.rate[static_cast<std::size_t>(i)] - q) / (q / std::sqrt(m)));
        r.max_rate_error = std::max(r.max_rate_error, std::abs(fit.rate[static_cast<std::size_t>(i)] - q) / q);
        for (rate_matrix::InnerIterator it(chain.generator, i); it; ++it) {
            if (it.col() == i) continue;
            const double s = it.value() / q, s_hat = fit.generator.coeff(i, it.col()) / fit.rate[static_cast<std::size_t>(i)];
            r.max_z = std::max(r.max_z, std::abs(s_hat - s) / std::sqrt(s * (1.0 - s) / m + 1e-300));
        }
    }
    return r;
}

TEST(TopicSimulation, EstimatedRatesAndJumpProbabilitiesConvergeToTheTruth) {
    const auto chain = random_ctmp_model(small_chain, 1);
    const auto few = recover(chain, 1000), many = recover(chain, 30000);
    int active = 0;
    for (double q: chain.rate) active += q > 0.0;
    EXPECT_EQ(many.checked, active);
    EXPECT_LT(few.max_z, 4.5);
    EXPECT_LT(many.max_z, 4.5);
    EXPECT_LT(many.max_rate_error, 0.05);
    EXPECT_LT(many.max_rate_error, few.max_rate_error / 2.0);  // 30× the data: errors shrink like 1/√n
}

} // namespace
} // namespace mic
