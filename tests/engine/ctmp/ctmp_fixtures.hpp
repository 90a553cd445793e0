#pragma once
// Small chains and hand-made topic data for the IDM-CTMP tests, and dense oracles (Eigen's
// unsupported MatrixFunctions expm) to check the sparse methods against.
#include <Eigen/Dense>
#include <cstdint>
#include <tuple>
#include <vector>

#include "engine/ctmp/rate_matrix.hpp"
#include "engine/data/event_data.hpp"

namespace mic::testing {

// The chain of a dense generator (off-diagonals ≥ 0, rows summing to 0).
ctmp_model chain_from_dense(const Eigen::MatrixXd& Q);
Eigen::MatrixXd dense_generator(const ctmp_model& model);

// A 5-user chain with rates 0.5 .. 3, one absorbing user (4), jumps to 1–3 targets.
Eigen::MatrixXd small_generator();
// A stiff 4-user chain: rates from 0.01 to 500.
Eigen::MatrixXd stiff_generator();

// exp(Qt) by Eigen's dense matrix exponential.
Eigen::MatrixXd dense_expm(const Eigen::MatrixXd& Q, double t);
// DS_i(t) = ∫_0^t (e^{Qs} q)_i ds by composite 5-point Gauss–Legendre on dense expm (panels of ≤ 0.01/max q).
double dense_spreading_size(const Eigen::MatrixXd& Q, std::int32_t i, double t);

// A dataset from (user, topic, time) posts; `in_edges` (v, u) pairs make the graph (edge v → u).
dataset dataset_from_posts(std::int32_t n_users, std::int32_t n_topics,
                           std::vector<std::tuple<std::int32_t, std::int32_t, double>> posts,
                           const std::vector<std::pair<std::int32_t, std::int32_t>>& edges = {});

} // namespace mic::testing
