#include "engine/simulation/graph_generators.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/support/random_stream.hpp"

namespace mic {
namespace {

// Stream keys: graph drawing uses its own streams of the seed, apart from the replicas (keys 0, 1, …).
constexpr std::uint64_t erdos_renyi_key = 0xe7d05000000000e1ULL;
constexpr std::uint64_t barabasi_albert_key = 0xba7ab5000000000bULL;

// CSR from per-target source lists (each sorted and made unique here).
csr_graph from_lists(std::vector<std::vector<std::int32_t>>& in) {
    csr_graph g;
    g.in_offsets.assign(1, 0);
    for (auto& list: in) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
        g.in_source.insert(g.in_source.end(), list.begin(), list.end());
        g.in_offsets.push_back(g.n_edges());
    }
    return g;
}

} // namespace

csr_graph erdos_renyi_graph(std::int32_t n_users, double p, std::uint64_t seed) {
    if (n_users < 0 || !(p >= 0.0 && p <= 1.0))
        throw std::invalid_argument("erdos_renyi_graph: need n_users >= 0 and p in [0, 1]");
    random_stream rng(seed, erdos_renyi_key);
    csr_graph g;
    g.in_offsets.assign(1, 0);
    const std::int64_t candidates = std::int64_t(n_users) - 1;  // the sources v ≠ u of one target u
    const double log_q = std::log1p(-p);                         // log(1 − p); −inf when p = 1
    for (std::int32_t u = 0; u < n_users; ++u) {
        if (p > 0.0) {
            // Gaps between successive edges are geometric: P(skip k) = (1 − p)^k p.
            for (std::int64_t j = -1;;) {
                const double skip = p < 1.0 ? std::floor(std::log(rng.uniform_positive()) / log_q) : 0.0;
                if (!(double(j) + 1.0 + skip < double(candidates))) break;
                j += 1 + std::int64_t(skip);
                g.in_source.push_back(std::int32_t(j < u ? j : j + 1));  // candidate j skips u itself
            }
        }
        g.in_offsets.push_back(g.n_edges());
    }
    return g;
}

csr_graph barabasi_albert_graph(std::int32_t n_users, std::int32_t m, std::uint64_t seed) {
    if (m < 1 || n_users <= m) throw std::invalid_argument("barabasi_albert_graph: need 1 <= m < n_users");
    random_stream rng(seed, barabasi_albert_key);
    std::vector<std::vector<std::int32_t>> in(static_cast<std::size_t>(n_users));
    std::vector<std::int32_t> ends;  // every edge end once: a uniform entry is a degree-biased user
    ends.reserve(std::size_t(n_users) * std::size_t(m) * 2);
    auto link = [&](std::int32_t a, std::int32_t b) {
        in[std::size_t(a)].push_back(b);
        in[std::size_t(b)].push_back(a);
        ends.push_back(a);
        ends.push_back(b);
    };
    for (std::int32_t a = 0; a <= m; ++a)
        for (std::int32_t b = a + 1; b <= m; ++b) link(a, b);
    std::vector<std::int32_t> chosen;
    for (std::int32_t u = m + 1; u < n_users; ++u) {
        chosen.clear();
        while (std::int32_t(chosen.size()) < m) {  // m distinct targets (m is small: linear check)
            const std::int32_t v = ends[rng.below(ends.size())];
            if (std::find(chosen.begin(), chosen.end(), v) == chosen.end()) chosen.push_back(v);
        }
        for (std::int32_t v: chosen) link(u, v);
    }
    return from_lists(in);
}

csr_graph graph_from_edges(std::int32_t n_users, std::span<const std::pair<std::int32_t, std::int32_t>> edges) {
    std::vector<std::vector<std::int32_t>> in(std::size_t(std::max(n_users, 0)));
    for (auto [v, u]: edges) {
        if (v < 0 || v >= n_users || u < 0 || u >= n_users)
            throw std::out_of_range("graph_from_edges: edge " + std::to_string(v) + " -> " + std::to_string(u) +
                                    " outside users 0.." + std::to_string(n_users - 1));
        in[std::size_t(u)].push_back(v);
    }
    return from_lists(in);
}

} // namespace mic
