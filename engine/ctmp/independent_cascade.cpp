#include "engine/ctmp/independent_cascade.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_set>

#include "engine/support/random_stream.hpp"
#include "engine/support/error.hpp"

namespace mic {

out_adjacency followers(const csr_graph& graph) {
    const std::int32_t n = graph.n_users();
    out_adjacency out;
    out.offsets.assign(static_cast<std::size_t>(n) + 1, 0);
    for (auto v: graph.in_source) ++out.offsets[static_cast<std::size_t>(v) + 1];
    std::partial_sum(out.offsets.begin(), out.offsets.end(), out.offsets.begin());
    out.target.resize(graph.in_source.size());
    std::vector<std::int64_t> next(out.offsets.begin(), out.offsets.end() - 1);
    for (std::int32_t u = 0; u < n; ++u)  // u ascending: every list comes out ascending
        for (auto v: graph.in_neighbours(u)) out.target[static_cast<std::size_t>(next[static_cast<std::size_t>(v)]++)] = u;
    return out;
}

out_adjacency successors(const influence_network& net) { return {net.offsets, net.target}; }

double daily_spreading_size(std::span<const post_window> training_windows, double n_training_days) {
    if (training_windows.empty() || !(n_training_days > 0.0)) return 0.0;
    double sum = 0.0;
    for (const auto& w: training_windows) sum += w.observed;
    return sum / static_cast<double>(training_windows.size()) / n_training_days;
}

std::vector<double> daily_spreading_sizes(const dataset& share, const topic_posts& share_topics, double train_start,
                                          double train_cut, double day, const communicator& comm) {
    const auto n = static_cast<std::size_t>(share.events.user_offsets.size()) - 1;
    const period_grid grid{train_start, train_cut - train_start, 1};
    const double n_days = (train_cut - train_start) / day;
    // Σ over this rank's windows of each user: the truth (an integer count, so every partial sum is
    // exact in double below 2^53) and the number of windows.
    std::vector<double> observed(n, 0.0);
    std::vector<std::int64_t> windows(n, 0);
    for (std::size_t u = 0; u < n; ++u) {
        const auto mine = post_windows(share, share_topics, static_cast<std::int32_t>(u), grid);
        for (const auto& w: mine) observed[u] += w.observed;
        windows[u] = static_cast<std::int64_t>(mine.size());
    }
    // Cannot hang: every rank makes these two sums with vectors of n_users entries (the header's,
    // the same on every rank); nothing above throws on one rank only.
    comm.sum(std::span<double>(observed));
    comm.sum(std::span<std::int64_t>(windows));
    std::vector<double> dds(n, 0.0);
    for (std::size_t u = 0; u < n; ++u)  // daily_spreading_size of the merged windows
        if (windows[u] > 0 && n_days > 0.0) dds[u] = observed[u] / static_cast<double>(windows[u]) / n_days;
    return dds;
}

independent_cascade make_independent_cascade(out_adjacency graph, std::span<const double> dds) {
    if (static_cast<std::int64_t>(dds.size()) != graph.n_users())
        throw input_error("ic: " + std::to_string(dds.size()) + " DDS values for a graph of " +
                          std::to_string(graph.n_users()) + " users");
    independent_cascade ic{std::move(graph), std::vector<double>(dds.size(), 0.0)};
    for (std::size_t u = 0; u < dds.size(); ++u) ic.activation[u] = dds[u] > 0.0 ? std::min(1.0, 1.0 / dds[u]) : 0.0;
    return ic;
}

std::int64_t ic_steps(double age, double step) {
    return age > 0.0 ? static_cast<std::int64_t>(std::ceil(age / step)) : 0;
}

double expected_activations(const independent_cascade& ic, std::int32_t user, std::int64_t steps, const ic_options& options) {
    if (steps <= 0) return 0.0;
    const auto neighbours = ic.graph.neighbours(user);
    const double p = ic.activation[static_cast<std::size_t>(user)];
    if (steps == 1) {  // exact: each neighbour other than the seed is activated with probability p_u
        const auto others = std::count_if(neighbours.begin(), neighbours.end(), [&](std::int32_t v) { return v != user; });
        return p * static_cast<double>(others);
    }
    if (options.runs < 1) throw input_error("ic: --ic-runs must be ≥ 1");
    random_stream rng(options.seed, static_cast<std::uint64_t>(user));
    double total = 0.0;
    std::unordered_set<std::int32_t> active;
    std::vector<std::int32_t> frontier, next;
    for (std::int64_t run = 0; run < options.runs; ++run) {
        active = {user};
        frontier.assign(1, user);
        for (std::int64_t s = 0; s < steps && !frontier.empty(); ++s) {
            next.clear();
            for (auto v: frontier) {  // v's one chance on each inactive neighbour
                const double pv = ic.activation[static_cast<std::size_t>(v)];
                for (auto w: ic.graph.neighbours(v))
                    if (!active.contains(w) && rng.uniform() < pv) active.insert(w), next.push_back(w);
            }
            total += static_cast<double>(next.size());
            frontier.swap(next);
        }
    }
    return total / static_cast<double>(options.runs);
}

std::vector<double> ic_predictions(const independent_cascade& ic, std::int32_t user, std::span<const post_window> windows,
                                   const ic_options& options) {
    std::map<std::int64_t, double> by_steps;  // one evaluation per distinct number of steps
    std::vector<double> out;
    for (const auto& w: windows) {
        const auto s = ic_steps(w.age, options.step);
        auto it = by_steps.find(s);
        if (it == by_steps.end()) it = by_steps.emplace(s, expected_activations(ic, user, s, options)).first;
        out.push_back(it->second);
    }
    return out;
}

} // namespace mic
