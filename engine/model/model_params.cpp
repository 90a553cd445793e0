#include "engine/model/model_params.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include "engine/support/error.hpp"

namespace mic {
namespace {

[[noreturn]] void fail(std::string_view where, const std::string& what) {
    throw input_error(std::string(where) + ": " + what);
}

std::string str(double x) {
    std::ostringstream out;
    out.precision(17);
    out << x;
    return out.str();
}

void check_finite_nonnegative(std::span<const double> values, std::string_view where, const char* name,
                              const char* fix) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]) || values[i] < 0)
            fail(where, std::string(name) + "[" + std::to_string(i) + "] = " + str(values[i]) +
                            " must be finite and >= 0; " + fix);
}

void check_sigma(const model_params& p, std::string_view where) {
    const std::int32_t C = p.n_cascades;
    check_finite_nonnegative(p.sigma, where, "/sigma", "Σ is row-stochastic");
    for (std::int32_t s = 0; s < C; ++s) {
        double row = 0;
        for (std::int32_t c = 0; c < C; ++c) row += p.sigma[std::size_t(s) * C + c];
        if (std::abs(row - 1.0) > 1e-9)
            fail(where, "/sigma row " + std::to_string(s) + " sums to " + str(row) +
                            ", not 1 (Σ is row-stochastic); renormalise the row or refit");
    }
    if (learns_sigma(p.variant)) return;
    const auto identity = identity_sigma(C);
    for (std::size_t i = 0; i < identity.size(); ++i)
        if (std::abs(p.sigma[i] - identity[i]) > 1e-12)
            fail(where, "model " + std::string(name_of(p.variant)) +
                            " fixes Σ = I but /sigma is not the identity; store the identity or use model " +
                            (mixing_of(p.variant) == mixing_kind::boltzmann ? "mic" : "linmic"));
}

void check_csr(const model_params& p, std::string_view where) {
    const std::int32_t U = p.n_users;
    if (p.in_offsets.empty() || p.in_offsets.front() != 0 || p.first_row < 0 || p.first_row + p.rows() > U)
        fail(where, "/W/in_offsets has " + std::to_string(p.in_offsets.size()) + " entries starting at " +
                        (p.in_offsets.empty() ? std::string("nothing") : std::to_string(p.in_offsets.front())) +
                        " for the rows from user " + std::to_string(p.first_row) + "; it needs one entry more than the rows " +
                        "held, starting at 0, for rows within the n_users = " + std::to_string(U) + " users");
    const auto n_edges = std::int64_t(p.in_source.size());
    if (p.in_offsets.back() != n_edges || p.weight.size() != p.in_source.size())
        fail(where, "/W/in_offsets ends at " + std::to_string(p.in_offsets.back()) + " but /W/in_source has " +
                        std::to_string(n_edges) + " and /W/weight " + std::to_string(p.weight.size()) +
                        " entries; the three must agree");
    for (std::int32_t u = p.first_row; u < p.first_row + p.rows(); ++u) {
        if (p.in_offsets[p.row(u) + 1] < p.in_offsets[p.row(u)])
            fail(where, "/W/in_offsets decreases at user " + std::to_string(u) + "; offsets must be non-decreasing");
        auto in = p.in_neighbours(u);
        for (std::size_t i = 0; i < in.size(); ++i)
            if (in[i] < 0 || in[i] >= U || (i > 0 && in[i] <= in[i - 1]))
                fail(where, "/W/in_source of user " + std::to_string(u) +
                                " is not a strictly ascending list of user ids in [0, n_users)");
    }
    check_finite_nonnegative(p.weight, where, "/W/weight", "influence weights are non-negative");
}

} // namespace

std::vector<double> identity_sigma(std::int32_t n_cascades) {
    std::vector<double> sigma(std::size_t(n_cascades) * std::size_t(n_cascades), 0.0);
    for (std::int32_t c = 0; c < n_cascades; ++c) sigma[std::size_t(c) * n_cascades + c] = 1.0;
    return sigma;
}

model_params make_uniform_params(model_variant variant, double beta, double tau, std::int32_t n_cascades,
                                 const csr_graph& graph, double mu0, double w0) {
    model_params p;
    p.variant = variant;
    p.beta = beta;
    p.tau = tau;
    p.n_users = graph.n_users();
    p.n_cascades = n_cascades;
    p.mu.assign(std::size_t(p.n_users) * n_cascades, mu0);
    p.sigma = identity_sigma(n_cascades);
    p.in_offsets = graph.in_offsets;
    p.in_source = graph.in_source;
    p.weight.assign(graph.in_source.size(), w0);
    return p;
}

std::vector<double> user_theta(const model_params& params, std::int32_t u) {
    auto mu = params.mu_of(u);
    auto w = params.weights_of(u);
    std::vector<double> theta(mu.begin(), mu.end());
    theta.insert(theta.end(), w.begin(), w.end());
    return theta;
}

void set_user_theta(model_params& params, std::int32_t u, std::span<const double> theta) {
    const std::size_t C = std::size_t(params.n_cascades);
    std::copy_n(theta.begin(), C, params.mu_of(u).begin());
    std::copy(theta.begin() + std::ptrdiff_t(C), theta.end(), params.weights_of(u).begin());
}

model_params without_rows(const model_params& params) {
    model_params p;
    p.variant = params.variant;
    p.beta = params.beta;
    p.tau = params.tau;
    p.n_users = params.n_users;
    p.n_cascades = params.n_cascades;
    p.sigma = params.sigma;
    return p;
}

model_params rows_of(const model_params& params, std::int32_t first, std::int32_t last) {
    // (an empty range is held by any params: a rank that owns no user)
    if (!(first <= last && (last == first || (params.holds_row(first) && params.holds_row(last - 1)))))
        throw std::invalid_argument("rows_of: rows [" + std::to_string(first) + ", " + std::to_string(last) +
                                    ") are not all held");
    model_params p = without_rows(params);
    p.first_row = first;
    if (first == last) return p;  // no rows: in_offsets {0}
    const std::size_t C = std::size_t(params.n_cascades), r0 = params.row(first), r1 = r0 + std::size_t(last - first);
    p.mu.assign(params.mu.begin() + std::ptrdiff_t(r0 * C), params.mu.begin() + std::ptrdiff_t(r1 * C));
    const std::int64_t e0 = params.in_offsets[r0], e1 = params.in_offsets[r1];
    p.in_offsets.resize(r1 - r0 + 1);
    for (std::size_t r = r0; r <= r1; ++r) p.in_offsets[r - r0] = params.in_offsets[r] - e0;
    p.in_source.assign(params.in_source.begin() + e0, params.in_source.begin() + e1);
    p.weight.assign(params.weight.begin() + e0, params.weight.begin() + e1);
    return p;
}

void validate(const model_params& p, std::string_view where) {
    if (p.n_users < 0 || p.n_cascades < 1)
        fail(where, "n_users = " + std::to_string(p.n_users) + " and n_cascades = " + std::to_string(p.n_cascades) +
                        "; a model needs n_users >= 0 and n_cascades >= 1");
    if (!(std::isfinite(p.tau) && p.tau > 0))
        fail(where, "tau = " + str(p.tau) + "; the kernel time scale must be finite and > 0");
    if (!(std::isfinite(p.beta) && p.beta >= 0))
        fail(where, "beta = " + str(p.beta) + "; the Boltzmann inverse temperature must be finite and >= 0");
    const std::size_t C = std::size_t(p.n_cascades);
    if (p.rows() < 0 || p.mu.size() != std::size_t(p.rows()) * C)
        fail(where, "/mu has " + std::to_string(p.mu.size()) + " values for " + std::to_string(p.rows()) +
                        " rows of users; it needs rows × n_cascades = " + std::to_string(std::size_t(std::max(p.rows(), 0)) * C));
    check_finite_nonnegative(p.mu, where, "/mu", "background rates are non-negative");
    if (p.sigma.size() != C * C)
        fail(where, "/sigma has " + std::to_string(p.sigma.size()) + " values; it needs n_cascades² = " +
                        std::to_string(C * C));
    check_sigma(p, where);
    check_csr(p, where);
}

void check_params_match(const model_params& params, const shard& data, std::string_view where) {
    if (params.n_users != data.header.n_users || params.n_cascades != data.header.n_cascades)
        fail(where, "parameters are for " + std::to_string(params.n_users) + " users and " +
                        std::to_string(params.n_cascades) + " cascades but the dataset has " +
                        std::to_string(data.header.n_users) + " and " + std::to_string(data.header.n_cascades) +
                        "; use parameters fitted on this dataset");
    for (std::size_t i = 0; i < data.owned.size(); ++i) {
        if (!params.holds_row(data.owned[i]))
            fail(where, "no parameters for user " + std::to_string(data.owned[i]) + " (rows " + std::to_string(params.first_row) +
                            " to " + std::to_string(params.first_row + params.rows() - 1) + " held)");
        auto a = params.in_neighbours(data.owned[i]);
        auto b = data.in_neighbours(i);
        if (!std::equal(a.begin(), a.end(), b.begin(), b.end()))
            fail(where, "the in-neighbours of user " + std::to_string(data.owned[i]) +
                            " in /W differ from the dataset graph; use parameters fitted on this dataset");
    }
}

} // namespace mic
