#include "engine/simulation/strong_components.hpp"

#include <algorithm>
#include <cstddef>

namespace mic {

strong_components positive_weight_components(const model_params& p) {
    // Tarjan on the reversed graph (u → v for v ∈ F_u with w_vu > 0: the in-lists as out-lists),
    // whose components are those of the graph itself.
    const auto U = std::size_t(p.n_users);
    constexpr std::int32_t unvisited = -1;
    std::vector<std::int32_t> index(U, unvisited), low(U, 0);
    std::vector<char> on_stack(U, 0);
    std::vector<std::int32_t> stack;                      // Tarjan's stack of open users
    std::vector<std::pair<std::int32_t, std::size_t>> path;  // the DFS path: user, next in-list position
    strong_components result;
    result.of_user.assign(U, unvisited);
    std::int32_t counter = 0;
    const auto open = [&](std::int32_t u) {
        index[std::size_t(u)] = low[std::size_t(u)] = counter++;
        stack.push_back(u);
        on_stack[std::size_t(u)] = 1;
        path.emplace_back(u, 0);
    };
    for (std::size_t root = 0; root < U; ++root) {
        if (index[root] != unvisited) continue;
        open(std::int32_t(root));
        while (!path.empty()) {
            const std::int32_t u = path.back().first;
            std::size_t next = path.back().second;
            const auto in = p.in_neighbours(u);
            const auto w = p.weights_of(u);
            bool descended = false;
            while (next < in.size()) {
                const std::size_t i = next++;
                if (!(w[i] > 0.0)) continue;
                const auto v = std::size_t(in[i]);
                if (index[v] == unvisited) {
                    path.back().second = next;  // resume after this edge
                    open(in[i]);
                    descended = true;
                    break;
                }
                if (on_stack[v]) low[std::size_t(u)] = std::min(low[std::size_t(u)], index[v]);
            }
            if (descended) continue;
            const std::int32_t done = u;
            path.pop_back();
            if (low[std::size_t(done)] == index[std::size_t(done)]) {  // `done` roots a component: close it
                std::int32_t member;
                do {
                    member = stack.back();
                    stack.pop_back();
                    on_stack[std::size_t(member)] = 0;
                    result.of_user[std::size_t(member)] = result.count;
                } while (member != done);
                ++result.count;
            }
            if (!path.empty()) {
                const auto parent = std::size_t(path.back().first);
                low[parent] = std::min(low[parent], low[std::size_t(done)]);
            }
        }
    }
    return result;
}

} // namespace mic
