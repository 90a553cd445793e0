#include "engine/likelihood/distributed_sigma_objective.hpp"

#include <algorithm>
#include <vector>

namespace mic {

distributed_sigma_objective::distributed_sigma_objective(communicator comm, sigma_term& local)
    : comm_(std::move(comm)), local_(&local) {}

std::int64_t distributed_sigma_objective::n_events() const { return comm_.sum<std::int64_t>(local_->n_events()); }

double distributed_sigma_objective::evaluate(std::span<const double> sigma, std::span<double> gradient) {
    const std::size_t n = std::size_t(n_cascades()) * std::size_t(n_cascades());
    std::vector<double> at(sigma.begin(), sigma.end());
    at.resize(n);
    comm_.broadcast(std::span(at));
    // Slot 0: the value; slots 1..C²: the gradient.
    std::vector<compensated_sum> local(n + 1);
    local_->evaluate(at, local[0], std::span(local).subspan(1));
    const auto total = sum_over_ranks(comm_, local);
    std::copy(total.begin() + 1, total.end(), gradient.begin());
    return total[0];
}

void distributed_sigma_objective::hessian_times(std::span<const double> direction, std::span<double> out) {
    const std::size_t n = std::size_t(n_cascades()) * std::size_t(n_cascades());
    std::vector<double> v(direction.begin(), direction.end());
    v.resize(n);
    comm_.broadcast(std::span(v));
    std::vector<compensated_sum> local(n);
    local_->hessian_times(v, local);
    const auto total = sum_over_ranks(comm_, local);
    std::copy(total.begin(), total.end(), out.begin());
}

} // namespace mic
