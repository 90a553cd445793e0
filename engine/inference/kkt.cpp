#include "engine/inference/kkt.hpp"

#include <algorithm>

#include "engine/inference/simplex.hpp"
#include "engine/likelihood/distributed_sigma_objective.hpp"
#include "engine/likelihood/sigma_term.hpp"

namespace mic {

kkt_report check_kkt(const communicator& comm, const shard_kernels& kernels, user_step& users,
                     const model_params& params) {
    const std::size_t n_owned = kernels.data().owned.size();
    kkt_report report;
    std::vector<double> loglik(n_owned);
    report.user_residual.resize(n_owned);
    users.check(params, loglik, report.user_residual);
    compensated_sum total;
    for (double v : loglik) total.add(v);
    report.loglik = sum_over_ranks_ordered(comm, std::span(&total, 1))[0];
    double local_max = 0;
    for (double r : report.user_residual) local_max = std::max(local_max, r);
    report.max_user_residual = comm.max(local_max);
    if (learns_sigma(params.variant)) {
        // Every rank makes the same collectives: n_events, one broadcast + all-reduce in evaluate.
        sigma_term local(kernels, params);
        distributed_sigma_objective objective(comm, local);
        const auto n_events = double(objective.n_events());
        std::vector<double> gradient(params.sigma.size());
        objective.evaluate(params.sigma, gradient);
        // Rank 0's Σ was evaluated; its residual is broadcast so every rank reports the same number.
        report.sigma_residual = simplex_kkt_residual(params.sigma, gradient, params.n_cascades, n_events);
        comm.broadcast(report.sigma_residual);
    }
    return report;
}

} // namespace mic
