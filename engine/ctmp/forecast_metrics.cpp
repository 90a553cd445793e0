#include "engine/ctmp/forecast_metrics.hpp"

#include <cmath>
#include <stdexcept>

namespace mic {

double naive_scale(std::span<const double> y) {
    if (y.size() < 2) return std::numeric_limits<double>::quiet_NaN();
    double s = 0.0;
    for (std::size_t t = 1; t < y.size(); ++t) s += std::abs(y[t] - y[t - 1]);
    s /= static_cast<double>(y.size() - 1);
    return s > 0.0 ? s : std::numeric_limits<double>::quiet_NaN();
}

forecast_errors forecast_error(std::span<const double> predicted, std::span<const double> truth, double scale) {
    if (predicted.size() != truth.size() || truth.empty())
        throw std::invalid_argument("forecast_error: predicted and truth need the same, non-zero length");
    double abs_sum = 0.0, sq_sum = 0.0;
    for (std::size_t d = 0; d < truth.size(); ++d) {
        const double e = predicted[d] - truth[d];
        abs_sum += std::abs(e);
        sq_sum += e * e;
    }
    const auto n = static_cast<double>(truth.size());
    forecast_errors out;
    out.mae = abs_sum / n;
    out.rmse = std::sqrt(sq_sum / n);
    if (std::isfinite(scale) && scale > 0.0) out.mase = out.mae / scale;
    return out;
}

average_errors average(std::span<const forecast_errors> errors) {
    average_errors out;
    for (const auto& e: errors) {
        out.mae += e.mae;
        out.rmse += e.rmse;
        ++out.n_users;
        if (std::isfinite(e.mase)) out.mase += e.mase, ++out.n_users_mase;
    }
    if (out.n_users > 0) out.mae /= static_cast<double>(out.n_users), out.rmse /= static_cast<double>(out.n_users);
    out.mase = out.n_users_mase > 0 ? out.mase / static_cast<double>(out.n_users_mase)
                                    : std::numeric_limits<double>::quiet_NaN();
    return out;
}

average_errors average(std::span<const forecast_errors> local_errors, const communicator& comm) {
    const auto all = comm.allgatherv(local_errors);
    return average(std::span<const forecast_errors>(all));
}

} // namespace mic
