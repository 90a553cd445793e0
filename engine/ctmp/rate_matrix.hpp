#pragma once
// The continuous-time Markov chain of IDM-CTMP: out-rates q_i and the generator Q (SPEC §3):
//   q_i = 1 / mean(delays out of i) = m_i / Σ delays out of i,   m_i = Σ_j m_ij,
//   S_ij = m_ij / m_i,   q_ij = q_i S_ij (j ≠ i),   q_ii = −q_i.
// Users with no outgoing transition are absorbing (q_i = 0, an empty row). Q is sparse (row-major
// CSR, diagonal stored in its sorted place); nothing of size U×U is ever formed.
#include <Eigen/SparseCore>
#include <cstdint>
#include <functional>
#include <string>
#include <span>
#include <vector>

#include "engine/ctmp/influence_network.hpp"
#include "engine/data/event_data.hpp"

namespace mic {

using rate_matrix = Eigen::SparseMatrix<double, Eigen::RowMajor>;

struct ctmp_model {
    std::vector<double> rate;  // q_i ≥ 0; 0 for an absorbing user
    rate_matrix generator;     // Q; rows sum to zero (up to rounding)

    std::int32_t n_users() const { return static_cast<std::int32_t>(rate.size()); }
    double max_rate() const;  // max_i q_i (0 when every user is absorbing)
};

// Rates estimated from a merged network (deterministic, so identical on every rank). Throws
// input_error naming the user (as `user_label` gives it, else by id) when all of a user's outgoing
// delays are zero (tied timestamps): its rate would be infinite; set network_options::min_delay to
// the data's time resolution.
ctmp_model estimate_ctmp(const influence_network& network,
                         const std::function<std::string(std::int32_t user)>& user_label = {});

// A known chain: rates q_i and the jump chain S as CSR rows (offsets n+1, target, probability).
// Rows of users with q_i > 0 must be non-empty, without i itself, with probabilities > 0 summing to
// 1 (to 1e-9; they are renormalised). Throws input_error otherwise.
ctmp_model make_ctmp(std::span<const double> rate, std::span<const std::int64_t> offsets,
                     std::span<const std::int32_t> target, std::span<const double> probability);

// A chain from per-edge rates on a graph: `in_edge_rate[e]` is the rate r_vu of the edge v → u with
// v = graph.in_source[e]. Then q_v = Σ_u r_vu and S_vu = r_vu / q_v. Self-loops and zero rates are
// ignored (a chain cannot jump to the state it is in).
ctmp_model ctmp_from_edge_rates(const csr_graph& graph, std::span<const double> in_edge_rate);

// S_ij of a model (the off-diagonal entries of row i divided by q_i), as CSR parallel to Q's
// off-diagonal entries: for tests and for writing the fitted chain.
struct jump_chain {
    std::vector<std::int64_t> offsets{0};
    std::vector<std::int32_t> target;
    std::vector<double> probability;
};
jump_chain jump_probabilities(const ctmp_model& model);

} // namespace mic
