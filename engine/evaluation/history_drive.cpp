#include "engine/evaluation/history_drive.hpp"

#include <cmath>

namespace mic {

std::vector<double> local_history_drive(const shard& data, const model_params& params, double t0) {
    const auto C = std::size_t(params.n_cascades);
    std::vector<double> drive(data.owned.size() * C, 0.0);
    std::vector<double> g(C);  // g_v^s(t0)
    for (std::size_t i = 0; i < data.owned.size(); ++i) {
        const auto neighbours = data.in_neighbours(i);
        const auto weights = params.weights_of(data.owned[i]);
        for (std::size_t j = 0; j < neighbours.size(); ++j) {
            const std::int32_t local = data.events.local_index(neighbours[j]);
            if (local < 0 || weights[j] == 0) continue;
            std::fill(g.begin(), g.end(), 0.0);
            const auto times = data.events.times(local);
            const auto cascades = data.events.cascades(local);
            for (std::size_t e = 0; e < times.size() && times[e] <= t0; ++e)
                g[std::size_t(cascades[e])] += std::exp(-(t0 - times[e]) / params.tau);
            for (std::size_t s = 0; s < C; ++s) drive[i * C + s] += weights[j] * g[s];
        }
    }
    return drive;
}

} // namespace mic
