#pragma once
// The strongly connected components of the influence graph's positive-weight edges (v → u when
// w_vu > 0), by Tarjan's algorithm without recursion (a path may be as long as the user count):
// O(U + edges) time, O(U) memory. Components are numbered in the order Tarjan completes them.
// spectral_radius.cpp uses them: ρ(W) is the largest ρ of W restricted to one component, and
// restricted to one component W is irreducible, where power iteration's bounds converge.
#include <cstdint>
#include <vector>

#include "engine/model/model_params.hpp"

namespace mic {

struct strong_components {
    std::vector<std::int32_t> of_user;  // component of each user
    std::int32_t count = 0;
};

strong_components positive_weight_components(const model_params& params);

} // namespace mic
