#include "engine/ctmp/spreading_size.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/support/poisson_weights.hpp"
#include "engine/ctmp/taylor_quadrature.hpp"
#include "engine/ctmp/transition_rows.hpp"
#include "engine/distributed/checked_section.hpp"
#include "engine/support/error.hpp"
#include "engine/distributed/partition.hpp"

namespace mic {
namespace {

struct row_block {
    std::int32_t first, last;
};
// This rank's rows under the even range_partition.
row_block my_rows(std::int32_t n, const communicator& comm) {
    const auto p = range_partition::even(n, comm.size());
    return {std::int32_t(p.begin(comm.rank())), std::int32_t(p.end(comm.rank()))};
}

// The halo of this rank's rows of M = I + sQ: the entries of u in other ranks' rows that its rows
// (and `also_needed`) read, and the entries of its own rows that other ranks read. Planned once per
// propagation; then every step moves only these values (one alltoallv) instead of all U entries.
struct halo_plan {
    std::vector<std::vector<std::int32_t>> requests;  // per rank: the global indices asked of it, ascending
    std::vector<int> receive_counts, send_counts;     // per rank
    std::vector<std::int32_t> receive_index;          // global indices, by source rank, ascending within one
    std::vector<std::int32_t> send_offset;            // row − first of the values to send, by destination rank
};

// What this rank needs from the others (local: no collective).
halo_plan halo_requests(const ctmp_model& model, row_block rows, std::span<const std::int32_t> also_needed,
                        const communicator& comm) {
    const auto n = static_cast<std::size_t>(model.n_users());
    const auto* outer = model.generator.outerIndexPtr();
    const auto* inner = model.generator.innerIndexPtr();
    std::vector<char> needed(n, 0);
    for (std::int32_t r = rows.first; r < rows.last; ++r)
        for (auto p = outer[r]; p < outer[r + 1]; ++p) needed[static_cast<std::size_t>(inner[p])] = 1;
    for (const auto j: also_needed) needed[static_cast<std::size_t>(j)] = 1;
    const auto owners = range_partition::even(model.n_users(), comm.size());
    halo_plan plan;
    plan.requests.resize(static_cast<std::size_t>(comm.size()));
    int owner = 0;
    for (std::int32_t j = 0; j < model.n_users(); ++j) {  // ascending j: the owner only moves forward
        while (j >= owners.end(owner)) ++owner;
        if (needed[static_cast<std::size_t>(j)] && owner != comm.rank()) plan.requests[static_cast<std::size_t>(owner)].push_back(j);
    }
    for (const auto& list: plan.requests) {
        plan.receive_counts.push_back(static_cast<int>(list.size()));
        plan.receive_index.insert(plan.receive_index.end(), list.begin(), list.end());
    }
    return plan;
}

// Collective (one exchange of the index lists): what the other ranks need from this one.
void complete_halo(halo_plan& plan, row_block rows, const communicator& comm) {
    std::vector<std::int64_t> counts;
    plan.send_offset = comm.exchange(plan.requests, &counts);  // what every rank asks of this one, by rank
    plan.requests = {};
    for (auto& j: plan.send_offset) j -= rows.first;
    for (const auto c: counts) plan.send_counts.push_back(static_cast<int>(c));
}

// u_0 = q, u_{k+1} = u_k + s·(Q u_k) for k < K; visit(k, u_k) on every rank. Each rank forms
// (Q u_k)_r = Σ_j q_rj (u_k)_j for its rows, in CSR order (the same on any number of ranks), then the
// ranks swap the halo (plan_halo). visit sees u_0 whole, and for k ≥ 1 exact entries at this rank's
// rows and at `also_needed` (the others may hold stale values: callers read nothing else).
// Collectives (none on one rank): one max-reduction, then either the plan's exchange and exactly K
// alltoallv or exactly K allgatherv, as agreed, K derived from agreed values on every rank: no hang.
template <class Visit>
void propagate_backward(const ctmp_model& model, double s, std::int64_t K, const communicator& comm,
                        std::span<const std::int32_t> also_needed, Visit&& visit, const propagation_progress& progress) {
    const auto rows = my_rows(model.n_users(), comm);
    const auto [first, last] = rows;
    const auto* outer = model.generator.outerIndexPtr();
    const auto* inner = model.generator.innerIndexPtr();
    const auto* value = model.generator.valuePtr();
    std::vector<double> u(model.rate.begin(), model.rate.end());
    std::vector<double> local(static_cast<std::size_t>(last - first));
    // The halo pays when it is small: packing and unpacking touch scattered entries, while an
    // allgatherv copies all U contiguously. So it is used only when every rank's halo is under a
    // quarter of U (the choice is agreed by one max-reduction before the plan's exchange), typically
    // with many ranks and a sparse Q.
    halo_plan halo = comm.size() == 1 ? halo_plan{} : halo_requests(model, rows, also_needed, comm);
    const auto n_users = static_cast<std::int64_t>(u.size());
    const bool by_halo =
        comm.size() > 1 && comm.max(std::int64_t(4 * static_cast<std::int64_t>(halo.receive_index.size()) >= n_users)) == 0;
    if (by_halo) complete_halo(halo, rows, comm);
    else halo = {};
    std::vector<double> send(halo.send_offset.size()), receive(halo.receive_index.size());
    visit(std::int64_t{0}, u);
    for (std::int64_t k = 1; k <= K; ++k) {
        for (std::int32_t r = first; r < last; ++r) {
            double sum = 0.0;
            for (auto p = outer[r]; p < outer[r + 1]; ++p) sum += value[p] * u[static_cast<std::size_t>(inner[p])];
            local[static_cast<std::size_t>(r - first)] = u[static_cast<std::size_t>(r)] + s * sum;
        }
        if (by_halo) {
            std::copy(local.begin(), local.end(), u.begin() + first);
            for (std::size_t i = 0; i < send.size(); ++i) send[i] = local[static_cast<std::size_t>(halo.send_offset[i])];
            comm.alltoallv(send, halo.send_counts, receive, halo.receive_counts);
            for (std::size_t i = 0; i < receive.size(); ++i) u[static_cast<std::size_t>(halo.receive_index[i])] = receive[i];
        } else if (comm.size() > 1) {
            u = comm.allgatherv(std::span<const double>(local));  // row blocks in rank order = row order
        } else {
            std::copy(local.begin(), local.end(), u.begin());
        }
        visit(k, u);
        if (progress) progress(static_cast<double>(k) / static_cast<double>(K));
    }
}

void check_options(const propagation_options& options) {
    if (options.method == propagation_method::uniformization && !(options.tolerance > 0.0))
        throw input_error("ctmp: --tol must be > 0");
    if (options.method == propagation_method::taylor && (options.taylor_steps < 1 || options.taylor_steps > options.max_terms))
        throw input_error("ctmp: --taylor-steps must be in [1, --max-terms]");
}

void check_time(const spreading_table& table, double t) {
    if (!(t >= 0.0) || t > table.horizon * (1.0 + 1e-12))
        throw input_error("ctmp: a spreading size at t = " + std::to_string(t) + " is outside the table's horizon [0, " +
                          std::to_string(table.horizon) + "]; propagate with a longer horizon");
}

double weighted_sum(std::span<const double> w, std::span<const double> c) {
    const auto n = std::min(w.size(), c.size());
    double s = 0.0;
    for (std::size_t k = 0; k < n; ++k) s += w[k] * c[k];
    return s;
}

} // namespace

std::int64_t propagation_steps(const ctmp_model& model, double horizon, const propagation_options& options) {
    check_options(options);
    if (!(horizon >= 0.0) || !std::isfinite(horizon)) throw input_error("ctmp: the horizon must be finite and ≥ 0");
    if (options.method == propagation_method::taylor) return options.taylor_steps;
    const double lambda = model.max_rate();
    if (!(lambda > 0.0)) return 0;
    check_uniformization_terms(lambda, horizon, options);
    return uniformization_weights(lambda * horizon, weight_kind::tail, options.tolerance).last();
}

spreading_table propagate_spreading(const ctmp_model& model, std::span<const std::int32_t> users, double horizon,
                                    const propagation_options& options, const communicator& comm,
                                    const propagation_progress& progress) {
    run_checked(comm, [&] {
        check_options(options);
        if (!(horizon >= 0.0) || !std::isfinite(horizon)) throw input_error("ctmp: the horizon must be finite and ≥ 0");
        for (auto u: users)
            if (u < 0 || u >= model.n_users())
                throw input_error("ctmp: user " + std::to_string(u) + " is outside [0, " + std::to_string(model.n_users()) + ")");
    });
    spreading_table table;
    table.method = options.method;
    table.horizon = comm.max(horizon);  // one horizon for all ranks, so all make the same number of steps
    table.users.assign(users.begin(), users.end());
    std::int64_t K = 0;
    double s = 0.0;
    if (options.method == propagation_method::taylor) {
        K = options.taylor_steps;
        s = table.step = table.horizon / static_cast<double>(K);
    } else {
        table.rate = model.max_rate();
        table.tolerance = options.tolerance;
        if (table.rate > 0.0) {
            check_uniformization_terms(table.rate, table.horizon, options);  // same verdict on every rank
            K = uniformization_weights(table.rate * table.horizon, weight_kind::tail, options.tolerance).last();
            s = 1.0 / table.rate;
        }
    }
    table.n_terms = K + 1;
    // Recorded term by term (contiguous writes at every step), then transposed to user-major rows.
    const std::size_t n = table.users.size(), terms = static_cast<std::size_t>(table.n_terms);
    std::vector<double> by_term(n * terms);
    propagate_backward(model, s, K, comm, table.users, [&](std::int64_t k, const std::vector<double>& u) {
        for (std::size_t a = 0; a < n; ++a) by_term[static_cast<std::size_t>(k) * n + a] = u[static_cast<std::size_t>(table.users[a])];
    }, progress);
    table.coefficient.resize(n * terms);
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t k = 0; k < terms; ++k) table.coefficient[a * terms + k] = by_term[k * n + a];
    return table;
}

double spreading_size(const spreading_table& table, std::size_t a, double t) {
    check_time(table, t);
    const auto c = table.coefficients(a);
    if (table.method == propagation_method::taylor) return detail::taylor_integral(c, table.step, t);
    if (table.rate == 0.0) return 0.0;
    const auto w = uniformization_weights(table.rate * t, weight_kind::tail, table.tolerance);
    return weighted_sum(w.weight, c) / table.rate;  // (1/Λ) Σ_k T_k(Λt) c_k
}

double mean_spreading_size(const spreading_table& table, std::size_t a, double w) {
    check_time(table, w);
    if (!(w > 0.0)) return 0.0;
    const auto c = table.coefficients(a);
    if (table.method == propagation_method::taylor) return detail::taylor_mean_integral(c, table.step, w);
    if (table.rate == 0.0) return 0.0;
    const auto weights = uniformization_weights(table.rate * w, weight_kind::tail_average, table.tolerance);
    return weighted_sum(weights.weight, c) / table.rate;  // (1/Λ) Σ_k (U_k(Λw)/(Λw)) c_k
}

Eigen::MatrixXd spreading_sizes(const spreading_table& table, std::span<const double> times) {
    Eigen::MatrixXd out(static_cast<Eigen::Index>(table.users.size()), static_cast<Eigen::Index>(times.size()));
    for (std::size_t w = 0; w < times.size(); ++w) {
        check_time(table, times[w]);
        truncated_weights weights;
        if (table.method == propagation_method::uniformization && table.rate > 0.0)
            weights = uniformization_weights(table.rate * times[w], weight_kind::tail, table.tolerance);
        for (std::size_t a = 0; a < table.users.size(); ++a) {
            const auto c = table.coefficients(a);
            double ds = 0.0;
            if (table.method == propagation_method::taylor) ds = detail::taylor_integral(c, table.step, times[w]);
            else if (table.rate > 0.0) ds = weighted_sum(weights.weight, c) / table.rate;
            out(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(w)) = ds;
        }
    }
    return out;
}

std::vector<double> spreading_sizes_all_users(const ctmp_model& model, std::span<const double> times,
                                              const propagation_options& options, const communicator& comm,
                                              const propagation_progress& progress) {
    std::vector<double> t(times.begin(), times.end());
    comm.broadcast(t);  // root's times on every rank: all ranks then take the same number of steps
    run_checked(comm, [&] {
        check_options(options);
        for (double x: t)
            if (!(x >= 0.0) || !std::isfinite(x)) throw input_error("ctmp: times must be finite and ≥ 0");
    });
    const std::size_t W = t.size();
    // Plain variables, not a structured binding: the lambdas below capture them (C++20 allows
    // capturing bindings, clang 14 — the fuzz build's compiler — does not yet).
    const row_block rows = my_rows(model.n_users(), comm);
    const std::int32_t first = rows.first, last = rows.last;
    std::vector<double> acc(static_cast<std::size_t>(last - first) * W, 0.0);
    const double t_max = t.empty() ? 0.0 : *std::max_element(t.begin(), t.end());

    if (options.method == propagation_method::taylor) {
        // Trapezoid rule on u_k = (I + hQ)^k q, h = t_max/n, accumulated interval by interval.
        const auto n = options.taylor_steps;
        const double h = t_max / static_cast<double>(n);
        std::vector<detail::grid_position> at;
        for (double x: t) at.push_back(detail::locate(x, h, n));
        std::vector<double> previous(static_cast<std::size_t>(last - first));
        propagate_backward(model, h, n, comm, {}, [&](std::int64_t k, const std::vector<double>& u) {
            for (std::int32_t r = first; r < last; ++r) {
                const auto b = static_cast<std::size_t>(r - first);
                const double c1 = u[static_cast<std::size_t>(r)], c0 = previous[b];
                for (std::size_t w = 0; k > 0 && w < W; ++w) {
                    const auto j = k - 1;  // interval [jh, (j+1)h]
                    if (j < at[w].m) acc[b * W + w] += 0.5 * h * (c0 + c1);
                    else if (j == at[w].m && at[w].f > 0.0) acc[b * W + w] += h * (at[w].f * c0 + 0.5 * at[w].f * at[w].f * (c1 - c0));
                }
                previous[b] = c1;
            }
        }, progress);
    } else if (const double lambda = model.max_rate(); lambda > 0.0) {
        std::vector<truncated_weights> weights;
        std::int64_t K = 0;
        for (double x: t) {
            check_uniformization_terms(lambda, x, options);
            weights.push_back(uniformization_weights(lambda * x, weight_kind::tail, options.tolerance));
            K = std::max(K, weights.back().last());
        }
        propagate_backward(model, 1.0 / lambda, K, comm, {}, [&](std::int64_t k, const std::vector<double>& u) {
            for (std::size_t w = 0; w < W; ++w) {
                if (k > weights[w].last()) continue;
                const double tk = weights[w].weight[static_cast<std::size_t>(k)] / lambda;  // DS += T_k(Λt) u_k / Λ
                for (std::int32_t r = first; r < last; ++r)
                    acc[static_cast<std::size_t>(r - first) * W + w] += tk * u[static_cast<std::size_t>(r)];
            }
        }, progress);
    }
    return comm.allgatherv(std::span<const double>(acc));  // row blocks in rank order = user order
}

} // namespace mic
