#pragma once
// The transpose of the influence graph: for every user v, the users u it influences (edges v → u)
// with the weights w_vu. The params file stores W by in-neighbours (who influences u); a simulation
// needs the other direction, because an event of v raises the intensities of v's out-neighbours.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/model/model_params.hpp"

namespace mic {

struct out_neighbours {
    std::vector<std::int64_t> offsets{0};  // n_users + 1
    std::vector<std::int32_t> target;      // u for the edges v → u, ascending within each v
    std::vector<double> weight;            // w_vu

    std::int32_t n_users() const { return static_cast<std::int32_t>(offsets.size()) - 1; }
    std::span<const std::int32_t> targets_of(std::int32_t v) const {
        return std::span(target).subspan(std::size_t(offsets[v]), std::size_t(offsets[v + 1] - offsets[v]));
    }
    std::span<const double> weights_of(std::int32_t v) const {
        return std::span(weight).subspan(std::size_t(offsets[v]), std::size_t(offsets[v + 1] - offsets[v]));
    }
};

// The out-neighbour lists of W (a counting sort of the in-neighbour CSR: O(U + E)). Edges of weight
// 0 are kept (they cost a little time, never change an intensity).
out_neighbours make_out_neighbours(const model_params& params);

} // namespace mic
