#pragma once
// Sums whose value does not depend on how users are spread over ranks.
//
// Every per-user quantity (L_u, its per-cascade split, a user's Σ-term partials) is computed from
// that user's data alone, so it is bitwise the same on any number of ranks. Only the sums over users
// could differ in rounding. Each rank sums its users with Neumaier compensation (error ≈ n·ε²·Σ|x|,
// ~1e-32 relative), and the ranks' (sum, correction) pairs are combined exactly (exact_sum.hpp), so
// the totals on 1, 2 or 3 ranks are the same bits.
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

// Collective. Every rank receives, for each i, the sum over all ranks of local[i]: each rank's
// (sum, correction) pair is added exactly into integer bins, the bins are summed over the ranks
// (an integer all-reduce: exact in any order), and the exact total is read back by one fixed
// procedure (within 2 ulp; exact_sum.hpp). So the result is the same bits on every rank and on every
// number of ranks, as long as each rank's own compensated sum is accurate beyond the last bit of the
// total — it is to ~1e-32 of the terms' magnitudes, so only totals cancelled by more than ~16 orders
// of magnitude could differ. An infinite or NaN total is returned as such. Communication: 70 int64
// and 1 double per value, in all-reduces of at most 4096 values.
std::vector<double> sum_over_ranks(const communicator& comm, std::span<const compensated_sum> local);

} // namespace mic
