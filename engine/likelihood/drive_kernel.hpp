#pragma once
// The inner loop of every stored-features evaluation: the social drive of one event from its kernel
// state, X_s = Σ_v w_v G[v][s] (G: k×C row-major), in a fixed order of summation (the same bits
// whatever the alignment of G, so that the stored-features and the streaming passes agree exactly),
// written so that the compiler vectorises it:
// - C = 1 (a dot product): 16 independent partial sums, lane j summing v ≡ j (mod 16), then added
//   pairwise — a plain loop would wait on one add per neighbour;
// - C > 1: four rows at a time, X_s += (w_0 G_0s + w_1 G_1s) + (w_2 G_2s + w_3 G_3s), vectorised
//   over s.
#include <cstddef>

namespace mic {

inline void social_drive(const double* w, const double* G, std::size_t k, std::size_t C, double* X) {
    if (C == 1) {
        constexpr std::size_t lanes = 16;
        double partial[lanes] = {};
        std::size_t v = 0;
        for (; v + lanes <= k; v += lanes)
            for (std::size_t j = 0; j < lanes; ++j) partial[j] += w[v + j] * G[v + j];
        for (std::size_t j = 0; v < k; ++v, ++j) partial[j] += w[v] * G[v];
        for (std::size_t width = lanes / 2; width > 0; width /= 2)
            for (std::size_t j = 0; j < width; ++j) partial[j] += partial[j + width];
        X[0] = partial[0];
        return;
    }
    for (std::size_t s = 0; s < C; ++s) X[s] = 0;
    std::size_t v = 0;
    for (; v + 4 <= k; v += 4) {
        const double *G0 = G + v * C, *G1 = G0 + C, *G2 = G1 + C, *G3 = G2 + C;
        const double w0 = w[v], w1 = w[v + 1], w2 = w[v + 2], w3 = w[v + 3];
        for (std::size_t s = 0; s < C; ++s) X[s] += (w0 * G0[s] + w1 * G1[s]) + (w2 * G2[s] + w3 * G3[s]);
    }
    for (; v < k; ++v) {
        const double* row = G + v * C;
        for (std::size_t s = 0; s < C; ++s) X[s] += w[v] * row[s];
    }
}

} // namespace mic
