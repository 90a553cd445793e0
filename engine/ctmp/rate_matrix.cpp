#include "engine/ctmp/rate_matrix.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "engine/support/error.hpp"

namespace mic {
namespace {

// Q from rates and off-diagonal rows (targets ascending, no diagonal): the diagonal −q_i is inserted
// in its sorted place; absorbing rows stay empty. Fills Eigen's compressed arrays directly.
ctmp_model assemble(std::vector<double> rate, std::span<const std::int64_t> offsets,
                    std::span<const std::int32_t> target, std::span<const double> value) {
    const auto n = static_cast<Eigen::Index>(rate.size());
    std::int64_t nnz = static_cast<std::int64_t>(target.size());
    for (double q: rate) nnz += q > 0.0 ? 1 : 0;
    if (nnz > std::numeric_limits<rate_matrix::StorageIndex>::max())
        throw input_error("ctmp: the rate matrix would have " + std::to_string(nnz) +
                          " entries, more than its 32-bit index allows; restrict the data (e.g. --follow-graph)");
    ctmp_model model;
    model.generator.resize(n, n);
    model.generator.resizeNonZeros(static_cast<Eigen::Index>(nnz));
    auto* outer = model.generator.outerIndexPtr();
    auto* inner = model.generator.innerIndexPtr();
    auto* values = model.generator.valuePtr();
    rate_matrix::StorageIndex p = 0;
    outer[0] = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const double q = rate[static_cast<std::size_t>(i)];
        bool diagonal_done = !(q > 0.0);
        for (auto e = offsets[static_cast<std::size_t>(i)]; e < offsets[static_cast<std::size_t>(i) + 1]; ++e) {
            const auto j = target[static_cast<std::size_t>(e)];
            if (!diagonal_done && j > i) {
                inner[p] = static_cast<rate_matrix::StorageIndex>(i), values[p++] = -q;
                diagonal_done = true;
            }
            inner[p] = j, values[p++] = value[static_cast<std::size_t>(e)];
        }
        if (!diagonal_done) inner[p] = static_cast<rate_matrix::StorageIndex>(i), values[p++] = -q;
        outer[i + 1] = p;
    }
    model.rate = std::move(rate);
    return model;
}

} // namespace

double ctmp_model::max_rate() const { return rate.empty() ? 0.0 : *std::max_element(rate.begin(), rate.end()); }

ctmp_model estimate_ctmp(const influence_network& net, const std::function<std::string(std::int32_t user)>& user_label) {
    std::vector<double> rate(static_cast<std::size_t>(net.n_users), 0.0);
    std::vector<double> value(net.target.size());
    for (std::int32_t i = 0; i < net.n_users; ++i) {
        const auto first = net.offsets[static_cast<std::size_t>(i)], last = net.offsets[static_cast<std::size_t>(i) + 1];
        if (first == last) continue;  // absorbing
        const std::int64_t m_i = std::accumulate(net.count.begin() + first, net.count.begin() + last, std::int64_t{0});
        const double delays = net.out_delay_sum[static_cast<std::size_t>(i)];
        if (!(delays > 0.0))
            throw input_error("ctmp: all " + std::to_string(m_i) + " transitions out of user " +
                              (user_label ? user_label(i) : std::to_string(i)) +
                              " have zero delay (tied timestamps), so its rate is infinite; set --min-delay to the "
                              "time resolution of the data");
        const double q = static_cast<double>(m_i) / delays;  // q_i = 1 / mean delay
        rate[static_cast<std::size_t>(i)] = q;
        for (auto e = first; e < last; ++e)  // q_ij = q_i · m_ij / m_i
            value[static_cast<std::size_t>(e)] = q * (static_cast<double>(net.count[static_cast<std::size_t>(e)]) / static_cast<double>(m_i));
    }
    return assemble(std::move(rate), net.offsets, net.target, value);
}

ctmp_model make_ctmp(std::span<const double> rate, std::span<const std::int64_t> offsets,
                     std::span<const std::int32_t> target, std::span<const double> probability) {
    const auto n = static_cast<std::int32_t>(rate.size());
    if (offsets.size() != rate.size() + 1 || target.size() != probability.size() ||
        offsets.back() != static_cast<std::int64_t>(target.size()))
        throw input_error("ctmp chain: the jump-probability CSR does not match the " + std::to_string(n) +
                          " rates; give offsets of length n+1 and one probability per target");
    std::vector<double> value(target.size());
    for (std::int32_t i = 0; i < n; ++i) {
        const double q = rate[static_cast<std::size_t>(i)];
        const auto first = offsets[static_cast<std::size_t>(i)], last = offsets[static_cast<std::size_t>(i) + 1];
        if (!(q >= 0.0) || !std::isfinite(q))
            throw input_error("ctmp chain: user " + std::to_string(i) + " has rate " + std::to_string(q) + "; rates must be finite and ≥ 0");
        if (q == 0.0 && first != last)
            throw input_error("ctmp chain: absorbing user " + std::to_string(i) + " has jump targets; give it none or a positive rate");
        if (q > 0.0 && first == last)
            throw input_error("ctmp chain: user " + std::to_string(i) + " has a positive rate but no jump target; give it one or rate 0");
        double total = 0.0;
        for (auto e = first; e < last; ++e) {
            const auto j = target[static_cast<std::size_t>(e)];
            if (j < 0 || j >= n || j == i || (e > first && j <= target[static_cast<std::size_t>(e) - 1]) ||
                !(probability[static_cast<std::size_t>(e)] > 0.0))
                throw input_error("ctmp chain: row " + std::to_string(i) + " has a bad target or probability at entry " +
                                  std::to_string(e) + "; targets must be ascending, ≠ i, in range, with probability > 0");
            total += probability[static_cast<std::size_t>(e)];
        }
        if (q > 0.0 && std::abs(total - 1.0) > 1e-9)
            throw input_error("ctmp chain: jump probabilities of user " + std::to_string(i) + " sum to " +
                              std::to_string(total) + ", not 1");
        for (auto e = first; e < last; ++e) value[static_cast<std::size_t>(e)] = q * (probability[static_cast<std::size_t>(e)] / total);
    }
    return assemble(std::vector<double>(rate.begin(), rate.end()), offsets, target, value);
}

ctmp_model ctmp_from_edge_rates(const csr_graph& graph, std::span<const double> in_edge_rate) {
    const std::int32_t n = graph.n_users();
    if (static_cast<std::int64_t>(in_edge_rate.size()) != graph.n_edges())
        throw input_error("ctmp chain: " + std::to_string(in_edge_rate.size()) + " edge rates for a graph of " +
                          std::to_string(graph.n_edges()) + " edges; give one rate per edge");
    // Transpose the in-neighbour CSR into out-rows v → u (targets come out ascending, u visited in order).
    std::vector<std::int64_t> offsets(static_cast<std::size_t>(n) + 1, 0);
    for (std::int32_t u = 0; u < n; ++u)
        for (auto e = graph.in_offsets[static_cast<std::size_t>(u)]; e < graph.in_offsets[static_cast<std::size_t>(u) + 1]; ++e)
            if (graph.in_source[static_cast<std::size_t>(e)] != u && in_edge_rate[static_cast<std::size_t>(e)] > 0.0)
                ++offsets[static_cast<std::size_t>(graph.in_source[static_cast<std::size_t>(e)]) + 1];
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    std::vector<std::int32_t> target(static_cast<std::size_t>(offsets.back()));
    std::vector<double> value(target.size());
    std::vector<double> rate(static_cast<std::size_t>(n), 0.0);
    std::vector<std::int64_t> next(offsets.begin(), offsets.end() - 1);
    for (std::int32_t u = 0; u < n; ++u)
        for (auto e = graph.in_offsets[static_cast<std::size_t>(u)]; e < graph.in_offsets[static_cast<std::size_t>(u) + 1]; ++e) {
            const auto v = graph.in_source[static_cast<std::size_t>(e)];
            const double r = in_edge_rate[static_cast<std::size_t>(e)];
            if (v == u || !(r > 0.0)) continue;
            const auto p = static_cast<std::size_t>(next[static_cast<std::size_t>(v)]++);
            target[p] = u, value[p] = r;  // q_vu = r_vu
            rate[static_cast<std::size_t>(v)] += r;
        }
    return assemble(std::move(rate), offsets, target, value);
}

jump_chain jump_probabilities(const ctmp_model& model) {
    jump_chain s;
    const auto& Q = model.generator;
    for (Eigen::Index i = 0; i < Q.outerSize(); ++i) {
        for (rate_matrix::InnerIterator it(Q, i); it; ++it) {
            if (it.col() == i) continue;
            s.target.push_back(static_cast<std::int32_t>(it.col()));
            s.probability.push_back(it.value() / model.rate[static_cast<std::size_t>(i)]);
        }
        s.offsets.push_back(static_cast<std::int64_t>(s.target.size()));
    }
    return s;
}

} // namespace mic
