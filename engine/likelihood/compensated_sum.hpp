#pragma once
// Sums whose value does not depend on how users are spread over ranks (to ~1 ulp).
//
// Every per-user quantity (L_u, its per-cascade split, a user's Σ-term partials) is computed from
// that user's data alone, so it is bitwise the same on any number of ranks. Only the sums over users
// differ in rounding. Here they are Neumaier-compensated sums (error ≈ 1 ulp of the result plus
// n·ε²·Σ|x|), combined across ranks as (sum, correction) pairs, so the totals on 1, 2 or 3 ranks
// agree to ~1e-16 relative rather than ~n·1e-16.
#include <cmath>
#include <span>
#include <vector>

#include "engine/distributed/communicator.hpp"

namespace mic {

// Neumaier's variant of Kahan summation. Infinite terms make the sum infinite (no NaN from the
// correction).
struct compensated_sum {
    double sum = 0;
    double correction = 0;

    void add(double x) {
        const double t = sum + x;
        if (!std::isfinite(t)) {
            sum = t;
            return;
        }
        correction += std::abs(sum) >= std::abs(x) ? (sum - t) + x : (x - t) + sum;
        sum = t;
    }
    double value() const { return std::isfinite(sum) ? sum + correction : sum; }
};

// Collective. Every rank receives, for each i, the compensated sum over all ranks of local[i]: the
// (sum, correction) pairs of all ranks are gathered and added in rank order, so the result is the
// same on every rank. Communication O(ranks × n): for a few dozen totals, not for C×C matrices.
std::vector<double> sum_over_ranks_ordered(const communicator& comm, std::span<const compensated_sum> local);

// Collective. The same with one all-reduce of the sums and one of the corrections (O(n) per rank):
// for gradients and Hessian-vector products. The result may differ between ranks in the last bit if
// the MPI library reduces in a rank-dependent order; callers that need one value broadcast it.
std::vector<double> sum_over_ranks(const communicator& comm, std::span<const compensated_sum> local);

} // namespace mic
