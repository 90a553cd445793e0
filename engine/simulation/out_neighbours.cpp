#include "engine/simulation/out_neighbours.hpp"

namespace mic {

out_neighbours make_out_neighbours(const model_params& params) {
    const std::int32_t U = params.n_users;
    out_neighbours out;
    out.offsets.assign(std::size_t(U) + 1, 0);
    for (std::int32_t v: params.in_source) ++out.offsets[std::size_t(v) + 1];
    for (std::int32_t v = 0; v < U; ++v) out.offsets[std::size_t(v) + 1] += out.offsets[std::size_t(v)];
    out.target.resize(params.in_source.size());
    out.weight.resize(params.in_source.size());
    std::vector<std::int64_t> next(out.offsets.begin(), out.offsets.end() - 1);
    // Visiting targets u in ascending order keeps every out-list ascending.
    for (std::int32_t u = 0; u < U; ++u) {
        auto in = params.in_neighbours(u);
        auto w = params.weights_of(u);
        for (std::size_t i = 0; i < in.size(); ++i) {
            const auto slot = std::size_t(next[std::size_t(in[i])]++);
            out.target[slot] = u;
            out.weight[slot] = w[i];
        }
    }
    return out;
}

} // namespace mic
