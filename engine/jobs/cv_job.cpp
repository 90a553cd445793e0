#include "engine/jobs/cv_job.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

#include "engine/distributed/checked_section.hpp"
#include "engine/likelihood/shard_likelihood.hpp"

namespace mic {
namespace {

struct chain {
    model_variant variant;
    double tau;
    int fold;  // 1..K
};

std::vector<chain> chains_of(const cv_plan& plan) {
    std::vector<chain> out;
    for (const auto v : plan.variants)
        for (const double tau : plan.taus)
            for (int k = 1; k <= plan.folds(); ++k) out.push_back({v, tau, k});
    return out;
}

bool same_point(const cv_row& r, model_variant v, double beta, double tau, int fold) {
    return r.variant == std::int32_t(v) && r.beta == beta && r.tau == tau && r.fold == fold;
}

const cv_row* find_done(const cv_plan& plan, model_variant v, double beta, double tau, int fold) {
    for (const auto& r : plan.done)
        if (same_point(r, v, beta, tau, fold)) return &r;
    return nullptr;
}

// One chain on `group`: its βs in increasing order, each fit from the last; finished points reused.
void run_chain(const communicator& group, const cv_plan& plan, const chain& c, const shard& data, const cv_point_done& done,
               const cv_point_loader& load_point, const fit_progress_hook& progress, std::vector<cv_row>& rows) {
    const likelihood_window train{plan.t_start, plan.cuts[std::size_t(c.fold) - 1], true};  // from the dataset's t_start
    const likelihood_window validation{train.to, plan.cuts[std::size_t(c.fold)]};
    std::optional<model_params> last;  // the parameters of the chain's previous point (every user)
    const auto betas = cv_betas(plan, c.variant);
    for (std::size_t i = 0; i < betas.size(); ++i) {
        if (const cv_row* finished = find_done(plan, c.variant, betas[i], c.tau, c.fold)) {
            // Reused; its parameters are needed only when a later point of the chain is not finished.
            const bool later_missing = std::any_of(betas.begin() + std::ptrdiff_t(i) + 1, betas.end(),
                                                   [&](double b) { return !find_done(plan, c.variant, b, c.tau, c.fold); });
            if (later_missing && load_point) last = load_point(group, *finished);
            continue;
        }
        const auto t0 = std::chrono::steady_clock::now();
        model_params start;
        if (last) {
            start = *last;
            start.beta = betas[i];
        } else {
            run_checked(group, [&] { start = initial_params(shard_kernels(data, c.tau, train), c.variant, betas[i], c.tau); });
        }
        const fit_result fit = fit_model(group, data, train, start, plan.options, {}, progress);
        const loglik_result score = evaluate_loglik(group, data, fit.params, validation, "the fitted parameters");
        cv_row row;
        row.variant = std::int32_t(c.variant);
        row.fold = c.fold;
        row.beta = betas[i];
        row.tau = c.tau;
        row.validation_loglik = score.loglik;
        row.validation_events = score.n_events;
        row.converged = fit.converged;
        row.iterations = fit.iterations;
        row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        group.broadcast(row.seconds);  // rank 0's clock, so the row is the same on every rank
        if (done) done(group, row, fit.params);
        if (group.is_root()) rows.push_back(row);
        last = fit.params;
    }
}

} // namespace

std::vector<double> cv_betas(const cv_plan& plan, model_variant variant) {
    if (mixing_of(variant) != mixing_kind::boltzmann) return {plan.betas.empty() ? 1.0 : plan.betas.front()};
    std::vector<double> b = plan.betas;
    std::sort(b.begin(), b.end());
    return b;
}

std::size_t grid_points(const cv_plan& plan) {
    std::size_t n = 0;
    for (const auto v : plan.variants) n += cv_betas(plan, v).size() * plan.taus.size() * std::size_t(std::max(plan.folds(), 0));
    return n;
}

std::vector<cv_row> rows_in_grid(const cv_plan& plan, std::span<const cv_row> finished) {
    std::vector<cv_row> out;
    for (cv_row r : finished) {
        const auto v = model_variant(r.variant);
        if (std::find(plan.variants.begin(), plan.variants.end(), v) == plan.variants.end()) continue;
        if (std::find(plan.taus.begin(), plan.taus.end(), r.tau) == plan.taus.end()) continue;
        if (r.fold < 1 || r.fold > plan.folds()) continue;
        const auto betas = cv_betas(plan, v);
        if (mixing_of(v) != mixing_kind::boltzmann) r.beta = betas.front();  // β is unused: any earlier run's counts
        else if (std::find(betas.begin(), betas.end(), r.beta) == betas.end()) continue;
        // A point fitted again (its parameters file had gone) has a later row: the later one stands.
        const auto same = std::find_if(out.begin(), out.end(), [&](const cv_row& o) {
            return o.variant == r.variant && o.tau == r.tau && o.fold == r.fold && o.beta == r.beta;
        });
        if (same == out.end()) out.push_back(r);
        else *same = r;
    }
    return out;
}

cv_result run_cv_job(const communicator& comm, const cv_plan& requested, const shard_reader& read, const cv_point_done& done,
                     const cv_point_loader& load_point, const fit_progress_hook& progress) {
    // Points finished by an earlier run of another grid (a larger one, other models) are neither
    // reported nor chosen: the table is this grid's.
    cv_plan plan = requested;
    plan.done = rows_in_grid(requested, requested.done);
    const std::vector<chain> all = chains_of(plan);
    std::vector<chain> todo;
    for (const auto& c : all)
        for (const double b : cv_betas(plan, c.variant))
            if (!find_done(plan, c.variant, b, c.tau, c.fold)) {
                todo.push_back(c);
                break;
            }
    cv_result result;
    result.groups = std::max(1, std::min<int>(int(todo.size()), comm.size()));
    const int color = comm.rank() % result.groups;
    const communicator group = comm.split(color);

    std::vector<cv_row> mine;
    std::exception_ptr failure;
    try {
        if (!todo.empty()) {
            const auto owned = range_partition::balanced(plan.work, group.size()).owned(group.rank());
            const shard data = read(group, owned);
            for (std::size_t t = std::size_t(color); t < todo.size(); t += std::size_t(result.groups))
                run_chain(group, plan, todo[t], data, done, load_point, progress, mine);
        }
    } catch (...) {
        failure = std::current_exception();
    }
    // Every rank meets here, whatever its group did: a failure anywhere fails every rank.
    run_checked(comm, [&] {
        if (failure) std::rethrow_exception(failure);
    });
    std::vector<cv_row> rows = comm.allgatherv(std::span<const cv_row>(mine));
    rows.insert(rows.end(), plan.done.begin(), plan.done.end());

    // Order: (model, τ, fold, β) as listed in the plan.
    const auto position = [&](const cv_row& r) {
        const auto v = std::find(plan.variants.begin(), plan.variants.end(), model_variant(r.variant)) - plan.variants.begin();
        const auto t = std::find(plan.taus.begin(), plan.taus.end(), r.tau) - plan.taus.begin();
        return std::tuple(v, t, r.fold, r.beta);
    };
    std::sort(rows.begin(), rows.end(), [&](const cv_row& a, const cv_row& b) { return position(a) < position(b); });
    for (const auto& r : rows) {
        auto it = std::find_if(result.scores.begin(), result.scores.end(), [&](const cv_score& s) {
            return s.variant == model_variant(r.variant) && s.beta == r.beta && s.tau == r.tau;
        });
        if (it == result.scores.end()) it = result.scores.insert(it, {model_variant(r.variant), r.beta, r.tau, 0, 0, 0});
        it->validation_loglik += r.validation_loglik;
        it->validation_events += r.validation_events;
        it->folds_converged += r.converged;
    }
    for (std::size_t i = 1; i < result.scores.size(); ++i)
        if (result.scores[i].validation_loglik > result.scores[result.best].validation_loglik) result.best = i;
    result.rows = std::move(rows);
    return result;
}

} // namespace mic
