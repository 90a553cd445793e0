#include "engine/ctmp/transition_rows.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "engine/support/poisson_weights.hpp"
#include "engine/ctmp/sparse_row.hpp"
#include "engine/ctmp/taylor_quadrature.hpp"
#include "engine/support/error.hpp"

namespace mic {
namespace {

void check_request(const ctmp_model& model, std::int32_t user, std::span<const double> times,
                   const propagation_options& options) {
    if (user < 0 || user >= model.n_users())
        throw input_error("ctmp: user " + std::to_string(user) + " is outside [0, " + std::to_string(model.n_users()) + ")");
    for (double t: times)
        if (!(t >= 0.0) || !std::isfinite(t)) throw input_error("ctmp: times must be finite and ≥ 0");
    if (options.method == propagation_method::taylor && options.taylor_steps < 1)
        throw input_error("ctmp: --taylor-steps must be ≥ 1");
    if (options.method == propagation_method::uniformization && !(options.tolerance > 0.0))
        throw input_error("ctmp: --tol must be > 0");
}

probability_row to_row(const std::vector<std::int32_t>& support, const std::vector<double>& value) {
    std::vector<std::pair<std::int32_t, double>> entries;
    for (std::size_t a = 0; a < support.size() && a < value.size(); ++a)
        if (value[a] != 0.0) entries.emplace_back(support[a], value[a]);
    std::sort(entries.begin(), entries.end());
    probability_row row;
    for (auto [j, p]: entries) row.state.push_back(j), row.probability.push_back(p);
    return row;
}

} // namespace

std::int64_t check_uniformization_terms(double rate_bound, double t, const propagation_options& options) {
    const double lambda = rate_bound * t;
    // R ≲ λ + 10√λ + 40 for every tolerance ≥ 1e-16 (Poisson tails beyond λ + x√λ fall like e^{-x²/2}).
    const double estimate = std::ceil(lambda + 10.0 * std::sqrt(lambda) + 40.0);
    if (estimate > static_cast<double>(options.max_terms)) {
        std::ostringstream message;
        message << "ctmp: uniformisation needs about " << estimate << " products with P for t = " << t
                << " (Λ = max q_i = " << rate_bound << ", i.e. a user with mean delay " << 1.0 / rate_bound
                << "); set --min-delay to the data's time resolution, shorten the window, or raise --max-terms";
        throw input_error(message.str());
    }
    return static_cast<std::int64_t>(estimate);
}

std::vector<probability_row> transition_rows(const ctmp_model& model, std::int32_t user, std::span<const double> times,
                                             const propagation_options& options) {
    check_request(model, user, times, options);
    detail::sparse_row v(model.n_users());
    std::vector<probability_row> rows;
    if (options.method == propagation_method::taylor) {
        for (double t: times) {  // e_iᵀ (I + Qt/n)^n
            v.reset(user);
            for (std::int64_t m = 0; m < options.taylor_steps; ++m) v.step(model.generator, t / static_cast<double>(options.taylor_steps));
            std::vector<double> value;
            v.accumulate(value, 1.0);
            rows.push_back(to_row(v.support(), value));
        }
        return rows;
    }
    const double lambda = model.max_rate();
    std::vector<truncated_weights> weights;
    std::int64_t last = 0;
    for (double t: times) {
        check_uniformization_terms(lambda, t, options);
        weights.push_back(uniformization_weights(lambda * t, weight_kind::probability, options.tolerance));
        last = std::max(last, weights.back().last());
    }
    // π(t) = Σ_k p_k(Λt) v_k, v_{k+1} = v_k (I + Q/Λ); accumulators follow the support order.
    std::vector<std::vector<double>> acc(times.size());
    v.reset(user);
    for (std::int64_t k = 0; k <= last; ++k) {
        for (std::size_t w = 0; w < times.size(); ++w)
            if (k <= weights[w].last()) v.accumulate(acc[w], weights[w].weight[static_cast<std::size_t>(k)]);
        if (k < last && lambda > 0.0) v.step(model.generator, 1.0 / lambda);
    }
    for (std::size_t w = 0; w < times.size(); ++w) rows.push_back(to_row(v.support(), acc[w]));
    return rows;
}

std::vector<double> spreading_size_forward(const ctmp_model& model, std::int32_t user, std::span<const double> times,
                                           const propagation_options& options) {
    check_request(model, user, times, options);
    detail::sparse_row v(model.n_users());
    std::vector<double> ds(times.size(), 0.0);
    if (options.method == propagation_method::taylor) {
        // c_m = e_iᵀ(I + hQ)^m q, h = t_max/n, integrated by the trapezoid rule (taylor_quadrature.hpp).
        const auto n = options.taylor_steps;
        const double h = times.empty() ? 0.0 : *std::max_element(times.begin(), times.end()) / static_cast<double>(n);
        v.reset(user);
        std::vector<double> c{v.dot(model.rate)};
        for (std::int64_t m = 0; m < n; ++m) {
            v.step(model.generator, h);
            c.push_back(v.dot(model.rate));
        }
        for (std::size_t w = 0; w < times.size(); ++w) ds[w] = detail::taylor_integral(c, h, times[w]);
        return ds;
    }
    const double lambda = model.max_rate();
    if (lambda == 0.0) return ds;  // every user absorbing: no jumps
    std::vector<truncated_weights> weights;
    std::int64_t last = 0;
    for (double t: times) {
        check_uniformization_terms(lambda, t, options);
        weights.push_back(uniformization_weights(lambda * t, weight_kind::tail, options.tolerance));
        last = std::max(last, weights.back().last());
    }
    // DS(t) = (1/Λ) Σ_k T_k(Λt) (v_k · q).
    v.reset(user);
    for (std::int64_t k = 0; k <= last; ++k) {
        const double c = v.dot(model.rate);
        for (std::size_t w = 0; w < times.size(); ++w)
            if (k <= weights[w].last()) ds[w] += weights[w].weight[static_cast<std::size_t>(k)] * c;
        if (k < last) v.step(model.generator, 1.0 / lambda);
    }
    for (auto& x: ds) x /= lambda;
    return ds;
}

} // namespace mic
