#include "engine/likelihood/feature_block.hpp"

#include <algorithm>

#include "engine/likelihood/lane_vector.hpp"

namespace mic {
namespace {

constexpr std::size_t L = feature_lanes;
static_assert(L == vector_lanes);

// X_s for the G cascades s0 ≤ s < s0 + G: R partial sums per cascade (partial r sums the
// neighbours v ≡ r mod R in ascending order, one multiply-add each), then added pairwise
// (r with r + R/2, …). G·R ≤ 15 running sums stay in registers.
template <std::size_t G, std::size_t R>
void drive_group(const double* w, const double* block, std::size_t k, std::size_t C, std::size_t s0, double* X) {
    lane_vector acc[R][G];
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t g = 0; g < G; ++g) acc[r][g] = lane_vector{};
    const double* column = block + s0 * L;  // entry (v, s0) of the block
    std::size_t v = 0;
    for (; v + R <= k; v += R)
#pragma GCC unroll 16
        for (std::size_t r = 0; r < R; ++r)
#pragma GCC unroll 16
            for (std::size_t g = 0; g < G; ++g)
                acc[r][g] = multiply_add(load_lanes(column + ((v + r) * C + g) * L), w[v + r], acc[r][g]);
    for (std::size_t r = 0; v < k; ++v, ++r)
#pragma GCC unroll 16
        for (std::size_t g = 0; g < G; ++g)
            acc[r][g] = multiply_add(load_lanes(column + (v * C + g) * L), w[v], acc[r][g]);
    for (std::size_t width = R / 2; width > 0; width /= 2)
        for (std::size_t r = 0; r < width; ++r)
            for (std::size_t g = 0; g < G; ++g) acc[r][g] += acc[r + width][g];
    for (std::size_t g = 0; g < G; ++g) store_lanes(X + (s0 + g) * L, acc[0][g]);
}

// out[v·8 + ·] += Σ_s G[v][s][·] y[s][·] for the V neighbours v0 ≤ v < v0 + V: V independent sums
// over s sharing each load of y_s.
template <std::size_t V>
void gradient_group(const double* block, const double* y, std::size_t C, std::size_t v0, double* out) {
    lane_vector acc[V];
    for (std::size_t i = 0; i < V; ++i) acc[i] = lane_vector{};
    for (std::size_t s = 0; s < C; ++s) {
        const lane_vector ys = load_lanes(y + s * L);
#pragma GCC unroll 8
        for (std::size_t i = 0; i < V; ++i)
            acc[i] = multiply_add(load_lanes(block + ((v0 + i) * C + s) * L), ys, acc[i]);
    }
    for (std::size_t i = 0; i < V; ++i) store_lanes(out + (v0 + i) * L, load_lanes(out + (v0 + i) * L) + acc[i]);
}

} // namespace

void scatter_to_lane(std::span<const double> row, std::size_t j, double* block) {
    for (std::size_t i = 0; i < row.size(); ++i) block[i * L + j] = row[i];
}

void gather_lane(const double* block, std::size_t j, std::span<double> row) {
    for (std::size_t i = 0; i < row.size(); ++i) row[i] = block[i * L + j];
}

void clear_lanes(double* block, std::size_t size, std::size_t from) {
    if (from >= L) return;
    for (std::size_t i = 0; i < size; ++i) std::fill(block + i * L + from, block + (i + 1) * L, 0.0);
}

void block_social_drive(const double* w, const double* block, std::size_t k, std::size_t C, double* X) {
    std::size_t s = 0;
    for (; C - s >= 16; s += 8) drive_group<8, 1>(w, block, k, C, s, X);
    switch (C - s) {
#define MIC_GROUP(G) \
    case G: drive_group<G, 1>(w, block, k, C, s, X); break;
        MIC_GROUP(5) MIC_GROUP(6) MIC_GROUP(7) MIC_GROUP(8) MIC_GROUP(9) MIC_GROUP(10) MIC_GROUP(11) MIC_GROUP(12)
        MIC_GROUP(13) MIC_GROUP(14) MIC_GROUP(15)
#undef MIC_GROUP
    case 4: drive_group<4, 2>(w, block, k, C, s, X); break;
    case 3: drive_group<3, 2>(w, block, k, C, s, X); break;
    case 2: drive_group<2, 4>(w, block, k, C, s, X); break;
    case 1: drive_group<1, 8>(w, block, k, C, s, X); break;
    default: break;
    }
}

void add_block_weight_gradient(const double* block, const double* y, std::size_t k, std::size_t C, double* out) {
    std::size_t v = 0;
    for (; v + 8 <= k; v += 8) gradient_group<8>(block, y, C, v, out);
    switch (k - v) {
#define MIC_GROUP(V) \
    case V: gradient_group<V>(block, y, C, v, out); break;
        MIC_GROUP(1) MIC_GROUP(2) MIC_GROUP(3) MIC_GROUP(4) MIC_GROUP(5) MIC_GROUP(6) MIC_GROUP(7)
#undef MIC_GROUP
    default: break;
    }
}

} // namespace mic
