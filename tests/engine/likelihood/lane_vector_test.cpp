// multiply_padded: the small products of the Hessian terms against the plain triple loop, bit for bit.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "engine/likelihood/lane_vector.hpp"

namespace mic {
namespace {

TEST(MultiplyPadded, GivesTheBitsOfThePlainLoopForEveryShape) {
    // Rows around the group of four and C around the eight lanes; B padded with zeros to P.
    std::mt19937_64 rng(23);
    std::uniform_real_distribution<double> value(-2.0, 2.0);
    for (std::size_t C: {1u, 2u, 7u, 8u, 9u, 10u, 16u, 17u})
        for (std::size_t rows = 0; rows <= 9; ++rows) {
            const std::size_t P = (C + vector_lanes - 1) / vector_lanes * vector_lanes;
            std::vector<double> A(rows * C), B(C * C), padded(C * P, 0.0);
            for (auto& a: A) a = value(rng);
            for (auto& b: B) b = value(rng);
            for (std::size_t s = 0; s < C; ++s)
                for (std::size_t j = 0; j < C; ++j) padded[s * P + j] = B[s * C + j];
            std::vector<double> want(rows * C, 0.0), got(rows * C, -1.0);
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t s = 0; s < C; ++s)
                    for (std::size_t j = 0; j < C; ++j) want[r * C + j] += A[r * C + s] * B[s * C + j];
            multiply_padded(A.data(), rows, C, padded.data(), P, got.data());
            for (std::size_t i = 0; i < want.size(); ++i)
                ASSERT_EQ(got[i], want[i]) << "C " << C << ", rows " << rows << ", entry " << i;
        }
}

} // namespace
} // namespace mic
