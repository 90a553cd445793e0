#include "engine/inference/kkt.hpp"

#include <algorithm>

#include "engine/inference/simplex.hpp"
#include "engine/likelihood/distributed_sigma_objective.hpp"
#include "engine/likelihood/sigma_term.hpp"

namespace mic {

double sigma_kkt_residual(const communicator& comm, const shard_kernels& kernels, const model_params& params) {
    if (!learns_sigma(params.variant)) return 0;
    // Every rank makes the same collectives: n_events, one broadcast + all-reduce in evaluate.
    sigma_term local(kernels, params);
    distributed_sigma_objective objective(comm, local);
    const auto n_events = double(objective.n_events());
    std::vector<double> gradient(params.sigma.size());
    objective.evaluate(params.sigma, gradient);
    // Rank 0's Σ was evaluated; its residual is broadcast so every rank reports the same number.
    double residual = simplex_kkt_residual(params.sigma, gradient, params.n_cascades, n_events);
    comm.broadcast(residual);
    return residual;
}

kkt_report check_kkt(const communicator& comm, const shard_kernels& kernels, user_step& users,
                     const model_params& params, double user_tolerance) {
    const std::size_t n_owned = kernels.data().owned.size();
    kkt_report report;
    std::vector<double> loglik(n_owned);
    report.user_residual.resize(n_owned);
    users.check(params, loglik, report.user_residual);
    compensated_sum totals[2];
    for (double v : loglik) totals[0].add(v);
    totals[1] = users.log_prior(params);
    const auto summed = sum_over_ranks(comm, std::span<const compensated_sum>(totals));
    report.loglik = summed[0];
    report.log_prior = summed[1];
    double local_max = 0;
    std::int64_t above = 0;
    for (double r : report.user_residual) {
        local_max = std::max(local_max, r);
        above += !(r <= user_tolerance);
    }
    report.max_user_residual = comm.max(local_max);
    report.users_above = comm.sum(above);
    report.sigma_residual = sigma_kkt_residual(comm, kernels, params);
    return report;
}

} // namespace mic
