#pragma once
// Comparisons of a simulated curve with the real one (the MIC paper's Sec. 7.1 and Fig. 4): over the
// points b of a curve (bins of an intensity), with real values r_b and simulated s_b,
//
//   relative L1 distance   l1 = Σ_b |r_b − s_b| / Σ_b r_b     (0: identical; ∞ when Σ r = 0 ≠ Σ s)
//   inverse L1 distance    1 / (1 + l1)                        (1: identical, → 0 as they part)
//   Pearson correlation    cov(r, s) / (sd(r) sd(s))           (NaN when either curve is constant)
//
// and ranked activity: counts sorted in decreasing order, so that rank k compares the k-th most
// active user (or cascade) of the data with the k-th most active of a replica.
#include <cstdint>
#include <span>
#include <vector>

namespace mic {

double inverse_l1_distance(std::span<const double> real, std::span<const double> simulated);
double pearson_correlation(std::span<const double> x, std::span<const double> y);

// Counts sorted in decreasing order.
std::vector<double> ranked(std::span<const double> counts);

// Mean and standard deviation (n − 1 denominator; 0 for one replica) from sums over n replicas.
struct moments {
    std::vector<double> mean, sd;
};
moments moments_of(std::span<const double> sum, std::span<const double> sum_of_squares, std::int64_t n);

} // namespace mic
