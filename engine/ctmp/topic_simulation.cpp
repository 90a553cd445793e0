#include "engine/ctmp/topic_simulation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "engine/support/random_stream.hpp"
#include "engine/support/error.hpp"

namespace mic {
namespace {

struct post {
    std::int32_t user;
    std::int32_t topic;
    double time;
};

// j ~ S_i·: inverse transform on the off-diagonal entries of row i of Q (q_ij / q_i).
std::int32_t next_user(const ctmp_model& chain, std::int32_t i, random_stream& rng) {
    const double target = rng.uniform() * chain.rate[static_cast<std::size_t>(i)];
    double cumulative = 0.0;
    std::int32_t last = i;
    for (rate_matrix::InnerIterator it(chain.generator, i); it; ++it) {
        if (it.col() == i) continue;
        last = static_cast<std::int32_t>(it.col());
        cumulative += it.value();
        if (target < cumulative) return last;
    }
    return last;  // rounding at the end of the row
}

} // namespace

dataset simulate_topics(const ctmp_model& chain, const topic_simulation_spec& spec) {
    const std::int32_t n = chain.n_users();
    const double start_until = spec.start_until < spec.t_start ? spec.t_end : spec.start_until;
    if (n <= 0 || spec.n_topics < 0 || !(spec.t_end >= spec.t_start) || start_until > spec.t_end)
        throw input_error("generate --kind topics: need users, n_topics ≥ 0 and t_start ≤ start_until ≤ t_end");
    std::vector<post> posts;
    for (std::int32_t c = 0; c < spec.n_topics; ++c) {
        random_stream rng(spec.seed, static_cast<std::uint64_t>(c));
        auto i = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(n)));
        double t = spec.t_start + (start_until - spec.t_start) * rng.uniform();
        for (std::int64_t count = 0;;) {
            posts.push_back({i, c, t});
            const double q = chain.rate[static_cast<std::size_t>(i)];
            if (q == 0.0 || ++count >= spec.max_posts_per_topic) break;  // absorbing, or long enough
            t += rng.exponential(q);
            if (t > spec.t_end) break;
            i = next_user(chain, i, rng);
        }
    }

    dataset data;
    data.header = {n, spec.n_topics, spec.t_start, spec.t_end, spec.time_unit};
    // Events grouped by user (counting sort), each user's events ordered by (time, topic).
    auto& ev = data.events;
    ev.user_offsets.assign(static_cast<std::size_t>(n) + 1, 0);
    for (const auto& p: posts) ++ev.user_offsets[static_cast<std::size_t>(p.user) + 1];
    std::partial_sum(ev.user_offsets.begin(), ev.user_offsets.end(), ev.user_offsets.begin());
    std::vector<post> by_user(posts.size());
    {
        std::vector<std::int64_t> next(ev.user_offsets.begin(), ev.user_offsets.end() - 1);
        for (const auto& p: posts) by_user[static_cast<std::size_t>(next[static_cast<std::size_t>(p.user)]++)] = p;
    }
    posts = {};
    ev.cascade.resize(by_user.size());
    ev.time.resize(by_user.size());
    for (std::int32_t u = 0; u < n; ++u) {
        auto first = by_user.begin() + ev.user_offsets[static_cast<std::size_t>(u)];
        auto last = by_user.begin() + ev.user_offsets[static_cast<std::size_t>(u) + 1];
        std::sort(first, last, [](const post& a, const post& b) { return a.time < b.time || (a.time == b.time && a.topic < b.topic); });
    }
    for (std::size_t e = 0; e < by_user.size(); ++e) ev.cascade[e] = by_user[e].topic, ev.time[e] = by_user[e].time;

    // Graph: edge i → j for q_ij > 0, stored at j (in-neighbours ascending since rows i ascend).
    auto& g = data.graph;
    g.in_offsets.assign(static_cast<std::size_t>(n) + 1, 0);
    const auto& Q = chain.generator;
    for (Eigen::Index i = 0; i < Q.outerSize(); ++i)
        for (rate_matrix::InnerIterator it(Q, i); it; ++it)
            if (it.col() != i && it.value() > 0.0) ++g.in_offsets[static_cast<std::size_t>(it.col()) + 1];
    std::partial_sum(g.in_offsets.begin(), g.in_offsets.end(), g.in_offsets.begin());
    g.in_source.resize(static_cast<std::size_t>(g.in_offsets.back()));
    std::vector<std::int64_t> next(g.in_offsets.begin(), g.in_offsets.end() - 1);
    for (Eigen::Index i = 0; i < Q.outerSize(); ++i)
        for (rate_matrix::InnerIterator it(Q, i); it; ++it)
            if (it.col() != i && it.value() > 0.0)
                g.in_source[static_cast<std::size_t>(next[static_cast<std::size_t>(it.col())]++)] = static_cast<std::int32_t>(i);
    return data;
}

ctmp_model random_ctmp_model(const random_chain_spec& spec, std::uint64_t seed) {
    const std::int32_t n = spec.n_users;
    if (n < 2 || !(spec.mean_out_degree >= 1.0) || !(spec.rate_min > 0.0) || !(spec.rate_max >= spec.rate_min))
        throw input_error("random chain: need ≥ 2 users, mean_out_degree ≥ 1 and 0 < rate_min ≤ rate_max");
    std::vector<double> rate(static_cast<std::size_t>(n), 0.0);
    std::vector<std::int64_t> offsets{0};
    std::vector<std::int32_t> target;
    std::vector<double> probability;
    const auto max_degree = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(2.0 * spec.mean_out_degree - 1.0)));
    std::vector<std::int32_t> row;
    for (std::int32_t i = 0; i < n; ++i) {
        random_stream rng(seed, static_cast<std::uint64_t>(i));
        if (rng.uniform() >= spec.absorbing_fraction) {
            const auto degree = std::min<std::uint64_t>(1 + rng.below(max_degree), static_cast<std::uint64_t>(n - 1));
            row.clear();
            while (row.size() < degree) {  // distinct targets ≠ i, by rejection
                const auto j = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(n)));
                if (j != i && std::find(row.begin(), row.end(), j) == row.end()) row.push_back(j);
            }
            std::sort(row.begin(), row.end());
            double total = 0.0;
            const auto begin = probability.size();
            for (auto j: row) {
                target.push_back(j);
                probability.push_back(0.2 + 0.8 * rng.uniform_positive());
                total += probability.back();
            }
            for (auto k = begin; k < probability.size(); ++k) probability[k] /= total;
            rate[static_cast<std::size_t>(i)] = spec.rate_min * std::pow(spec.rate_max / spec.rate_min, rng.uniform());
        }
        offsets.push_back(static_cast<std::int64_t>(target.size()));
    }
    return make_ctmp(rate, offsets, target, probability);
}

} // namespace mic
