#include "tests/engine/likelihood/likelihood_fixtures.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mic::testing {

dataset small_dataset(std::uint64_t seed, bool integer_times, std::int32_t n_cascades) {
    random_dataset_spec spec;
    spec.n_users = 9;
    spec.n_cascades = n_cascades;
    spec.edge_probability = 0.35;
    spec.self_loops = true;
    spec.mean_events_per_user = 6.0;
    spec.fraction_silent_users = 0.2;
    spec.t_start = 0.0;
    spec.t_end = 10.0;
    spec.integer_times = integer_times;
    spec.with_names = false;
    return make_random_dataset(spec, seed);
}

std::vector<double> random_sigma(std::int32_t n_cascades, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> unit(0.1, 1.0);
    const std::size_t C = std::size_t(n_cascades);
    std::vector<double> sigma(C * C);
    for (std::size_t s = 0; s < C; ++s) {
        double row = 0;
        for (std::size_t c = 0; c < C; ++c) row += (sigma[s * C + c] = unit(rng) + (s == c ? 1.0 : 0.0));
        for (std::size_t c = 0; c < C; ++c) sigma[s * C + c] /= row;
    }
    return sigma;
}

model_params random_params(const dataset& data, model_variant variant, double beta, double tau, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> mu(0.05, 0.4), w(0.05, 0.6);
    auto p = make_uniform_params(variant, beta, tau, data.header.n_cascades, data.graph, 0.0, 0.0);
    for (auto& x: p.mu) x = mu(rng);
    for (auto& x: p.weight) x = w(rng);
    if (learns_sigma(variant)) p.sigma = random_sigma(p.n_cascades, rng);
    return p;
}

std::vector<std::int32_t> all_users(const dataset& data) {
    std::vector<std::int32_t> users(std::size_t(data.header.n_users));
    std::iota(users.begin(), users.end(), 0);
    return users;
}

std::vector<double> central_gradient(const std::function<double(std::span<const double>)>& f,
                                     std::span<const double> x, double step) {
    std::vector<double> g(x.size()), y(x.begin(), x.end());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double h = step * std::max(1.0, std::abs(x[i]));
        y[i] = x[i] + h;
        const double up = f(y);
        y[i] = x[i] - h;
        const double down = f(y);
        y[i] = x[i];
        g[i] = (up - down) / (2 * h);
    }
    return g;
}

std::vector<double> central_jacobian(const std::function<std::vector<double>(std::span<const double>)>& g,
                                     std::span<const double> x, double step) {
    const std::size_t n = x.size();
    std::vector<double> J(n * n), y(x.begin(), x.end());
    for (std::size_t i = 0; i < n; ++i) {
        const double h = step * std::max(1.0, std::abs(x[i]));
        y[i] = x[i] + h;
        const auto up = g(y);
        y[i] = x[i] - h;
        const auto down = g(y);
        y[i] = x[i];
        for (std::size_t j = 0; j < n; ++j) J[i * n + j] = (up[j] - down[j]) / (2 * h);
    }
    return J;
}

model_params same_rows(const model_params& whole, const model_params& part) {
    return rows_of(whole, part.first_row, part.first_row + part.rows());
}

double relative_error(std::span<const double> a, std::span<const double> b, double scale) {
    double diff = 0, size = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff = std::max(diff, std::abs(a[i] - b[i]));
        size = std::max(size, std::abs(b[i]));
    }
    return diff / (scale + size);
}

} // namespace mic::testing
