#pragma once
// How rows of P(t) = exp(Qt) and spreading sizes are computed (`mic spread --method --tol`).
#include <cstdint>

namespace mic {

enum class propagation_method {
    uniformization,  // Jensen's method with a rigorous truncation bound `tolerance` (default)
    taylor,          // the paper's (I + Qt/n)^n, n = taylor_steps: no error bound; for comparison
};

struct propagation_options {
    propagation_method method = propagation_method::uniformization;
    double tolerance = 1e-8;            // uniformization: ℓ1 error of a row of P(t); absolute error of DS_i(t), in posts
    std::int64_t taylor_steps = 1000;   // taylor: n
    std::int64_t max_terms = 10'000'000;  // refuse (input_error) when a computation would need more products with P
};

} // namespace mic
