#pragma once
// The parameters Θ = (M, W, Σ) of a MIC model, with β and τ, in memory — the in-memory twin of the
// params file (SPEC §5). A struct holds either every user's row (a file read, a simulation) or only
// the rows of a range of users [first_row, first_row + rows()): a fitting rank holds its own users'
// rows, since L_u reads μ_u and the weights into u only (memory O(owned users + their in-edges)
// instead of O(U·C + E) per rank and per copy).
//
// Layouts (r = u − first_row, the row of user u; r = u when every row is held):
//   mu[r*C + c]     = μ_u^c                          (rows()×C, row-major)
//   sigma[s*C + c]  = σ_sc, row-stochastic           (C×C, row-major; the identity for cc and ic)
//   W in the CSR layout of the graph: the in-neighbours v of u are
//   in_source[in_offsets[r] .. in_offsets[r+1]) (ascending) and weight[i] = w_{v u} for v = in_source[i];
//   in_offsets has rows() + 1 entries starting at 0.
//
// The parameter vector of one user (the user-step unknowns), used by engine/likelihood:
//   θ_u = (μ_u^0 .. μ_u^{C-1}, w_{v_1 u} .. w_{v_k u}),  v_1 < .. < v_k the in-neighbours of u.
#include <cassert>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "engine/data/event_data.hpp"
#include "engine/model/model_variant.hpp"

namespace mic {

struct model_params {
    model_variant variant = model_variant::mic;
    double beta = 1.0;  // Boltzmann inverse temperature (unused by linear mixing)
    double tau = 1.0;   // kernel time scale: κ(t) = exp(-t/τ)
    std::int32_t n_users = 0;
    std::int32_t n_cascades = 0;
    std::vector<double> mu;
    std::vector<double> sigma;
    std::vector<std::int64_t> in_offsets{0};
    std::vector<std::int32_t> in_source;
    std::vector<double> weight;
    std::int32_t first_row = 0;  // the first user whose row is held

    // The number of rows held, and whether they are every user's.
    std::int32_t rows() const { return std::int32_t(in_offsets.size()) - 1; }
    bool holds_every_row() const { return first_row == 0 && rows() == n_users; }
    bool holds_row(std::int32_t u) const { return u >= first_row && u < first_row + rows(); }
    // The row of user u (which must be held: checked where assertions are on, as in the sanitized tests).
    std::size_t row(std::int32_t u) const {
        assert(holds_row(u));
        return std::size_t(u - first_row);
    }

    std::span<const double> mu_of(std::int32_t u) const {
        return std::span(mu).subspan(row(u) * std::size_t(n_cascades), std::size_t(n_cascades));
    }
    std::span<double> mu_of(std::int32_t u) {
        return std::span(mu).subspan(row(u) * std::size_t(n_cascades), std::size_t(n_cascades));
    }
    std::span<const std::int32_t> in_neighbours(std::int32_t u) const {
        return std::span(in_source).subspan(std::size_t(in_offsets[row(u)]), std::size_t(in_offsets[row(u) + 1] - in_offsets[row(u)]));
    }
    std::span<const double> weights_of(std::int32_t u) const {
        return std::span(weight).subspan(std::size_t(in_offsets[row(u)]), std::size_t(in_offsets[row(u) + 1] - in_offsets[row(u)]));
    }
    std::span<double> weights_of(std::int32_t u) {
        return std::span(weight).subspan(std::size_t(in_offsets[row(u)]), std::size_t(in_offsets[row(u) + 1] - in_offsets[row(u)]));
    }
};

// The model of `params` — variant, β, τ, users, cascades and Σ — holding no rows (first_row 0).
model_params without_rows(const model_params& params);

// The rows of users [first, last) of `params` (which must hold them), with its Σ, β, τ and variant.
model_params rows_of(const model_params& params, std::int32_t first, std::int32_t last);

// C×C identity, row-major.
std::vector<double> identity_sigma(std::int32_t n_cascades);

// Parameters on `graph` with μ_u^c = mu0 for all u, c, w_vu = w0 on every edge and Σ = I.
model_params make_uniform_params(model_variant variant, double beta, double tau, std::int32_t n_cascades,
                                 const csr_graph& graph, double mu0, double w0);

// θ_u of user u (see the layout above), and its inverse.
std::vector<double> user_theta(const model_params& params, std::int32_t u);
void set_user_theta(model_params& params, std::int32_t u, std::span<const double> theta);

// Checks sizes (of the rows held: every row, or a part as a fitting rank holds), finiteness, μ ≥ 0, w ≥ 0, τ > 0, β ≥ 0, the CSR layout, and Σ:
// entries ≥ 0 with row sums 1 (to 1e-9), and Σ = I for cc and ic. Throws input_error with one line starting with
// `where` (e.g. the params file name).
void validate(const model_params& params, std::string_view where);

// Checks that `params` fit the data of `data`: same numbers of users and cascades, a row for every
// owned user, and for every owned user the same in-neighbours as the dataset graph. Throws input_error starting with `where`.
void check_params_match(const model_params& params, const shard& data, std::string_view where);

} // namespace mic
