#include "engine/inference/user_step.hpp"

#include <algorithm>
#include <cmath>

#include "engine/likelihood/event_terms.hpp"

namespace mic {
namespace {

// L_u by one streaming pass per evaluation (no stored kernel states): the objective of the users
// that do not fit the feature budget.
class streamed_user_objective {
public:
    streamed_user_objective(kernel_sweep& sweep, const event_model& model, std::size_t owned_index, std::size_t dimension)
        : sweep_(&sweep), terms_(model, std::int32_t(dimension) - model.n_cascades), owned_(owned_index),
          dimension_(dimension) {}
    std::size_t dimension() const { return dimension_; }
    double evaluate(std::span<const double> theta, std::span<double> gradient, std::span<double> hessian) {
        return stream_user_loglik(*sweep_, terms_, owned_, theta, gradient, hessian);
    }
    double evaluate(std::span<const double> theta, std::span<double> gradient, hessian_factor& factor) {
        return stream_user_loglik(*sweep_, terms_, owned_, theta, gradient, factor);
    }
    void cross_hessian(std::span<const double> theta, std::span<double> cross) {
        stream_user_cross_hessian(*sweep_, terms_, owned_, theta, cross);
    }

private:
    kernel_sweep* sweep_;
    event_terms terms_;
    std::size_t owned_;
    std::size_t dimension_;
};

// An objective plus the baseline prior (baseline_prior.hpp): what the user step maximises.
template <class F>
class penalised_objective {
public:
    penalised_objective(F& f, const baseline_prior& prior, std::size_t n_cascades)
        : f_(&f), prior_(&prior), C_(n_cascades) {}
    std::size_t dimension() const { return f_->dimension(); }
    double evaluate(std::span<const double> theta, std::span<double> gradient, std::span<double> hessian) {
        return prior_->add(theta, C_, f_->evaluate(theta, gradient, hessian), gradient, hessian);
    }
    double evaluate(std::span<const double> theta, std::span<double> gradient, hessian_factor& factor) {
        return prior_->add(theta, C_, f_->evaluate(theta, gradient, factor), gradient, factor);
    }
    void cross_hessian(std::span<const double> theta, std::span<double> cross) { f_->cross_hessian(theta, cross); }
    // L_u alone.
    double loglik(std::span<const double> theta) { return f_->evaluate(theta, {}, {}); }

private:
    F* f_;
    const baseline_prior* prior_;
    std::size_t C_;
};

// Raises μ until L_u(θ) is finite: μ_c ← max(μ_c, floor), floor = 10⁻³ (n_u + 1)/(C (b − a)),
// doubled until every event is possible. Returns the value (−inf only if nothing helped).
template <class F>
double make_feasible(F& f, std::vector<double>& theta, std::int32_t C, double n_events, double window_length) {
    double value = f.evaluate(theta, {}, {});
    double floor = 1e-3 * (n_events + 1) / (double(C) * window_length);
    for (int attempt = 0; attempt < 64 && !std::isfinite(value); ++attempt, floor *= 2) {
        for (std::int32_t c = 0; c < C; ++c) theta[std::size_t(c)] = std::max(theta[std::size_t(c)], floor);
        value = f.evaluate(theta, {}, {});
    }
    return value;
}

// Whether a solve stopped at its iteration limit while its residual still measured progress (not
// converged, not at working precision): the case β continuation is for.
bool ran_out_of_iterations(const projected_newton_result& r, const projected_newton_options& options) {
    return !r.converged && !r.at_working_precision && std::isfinite(r.value) && r.iterations >= options.max_iterations;
}

} // namespace

std::vector<double> continuation_betas(double beta, double events_per_unit_time) {
    std::vector<double> betas;
    for (double b = beta / 10; b * events_per_unit_time > 0.1 && betas.size() < 12; b /= 10) betas.push_back(b);
    std::reverse(betas.begin(), betas.end());
    return betas;
}

user_step::user_step(const shard_kernels& kernels, std::size_t feature_budget_bytes, baseline_prior prior)
    : kernels_(&kernels), prior_(prior), sweep_(kernels) {
    const shard& data = kernels.data();
    features_.resize(data.owned.size());
    // Everyone when all fit. Otherwise the largest features that fit the budget at all are set aside
    // for one user's features at a time (so that only users larger than the whole budget are
    // streamed: streaming re-sweeps at every evaluation, not keeping only once per solve), and the
    // owned users fill the rest in owned order.
    std::vector<std::size_t> bytes(data.owned.size());
    std::size_t total = 0, largest_that_fits = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = feature_bytes(i);
        total += bytes[i];
        largest_user_bytes_ = std::max(largest_user_bytes_, bytes[i]);
        if (bytes[i] <= feature_budget_bytes) largest_that_fits = std::max(largest_that_fits, bytes[i]);
    }
    if (total > feature_budget_bytes) scratch_bytes_ = largest_that_fits;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (cached_bytes_ + bytes[i] + scratch_bytes_ > feature_budget_bytes) {  // not kept
            if (bytes[i] > scratch_bytes_) ++streamed_users_;
            continue;
        }
        features_[i] = build_user_features(sweep_, i);
        cached_bytes_ += features_[i].bytes();
        ++cached_users_;
    }
}

std::size_t user_step::feature_bytes(std::size_t owned_index) const {
    const auto [first, last] = kernels_->scored_events(owned_index);
    const std::size_t C = std::size_t(kernels_->n_cascades()), k = kernels_->data().in_neighbours(owned_index).size();
    return 8 * C * k * std::size_t(last - first) + 8 * k + 12 * std::size_t(last - first);
}

std::int64_t user_step::n_scored(std::size_t owned_index) const {
    const auto [first, last] = kernels_->scored_events(owned_index);
    return std::int64_t(last - first);
}

std::vector<double> user_step::scales(std::size_t owned_index) const {
    const std::size_t C = std::size_t(kernels_->n_cascades());
    const auto neighbours = kernels_->neighbour_locals(owned_index);
    std::vector<double> s(C + neighbours.size(), kernels_->window().length());
    for (std::size_t v = 0; v < neighbours.size(); ++v) {
        const auto K = kernels_->compensator(neighbours[v]);
        double total = 0;
        for (double x : K) total += x;
        s[C + v] = total;
    }
    return s;
}

compensated_sum user_step::log_prior(const model_params& params) const {
    compensated_sum total;
    if (!prior_.active()) return total;
    for (const std::int32_t u : owned()) total.add(prior_.value(params.mu_of(u)));
    return total;
}

template <class Visit>
void user_step::with_objective(std::size_t owned_index, const event_model& model, Visit&& visit) {
    const std::size_t dimension = std::size_t(model.n_cascades) + kernels_->data().in_neighbours(owned_index).size();
    const auto C = std::size_t(model.n_cascades);
    if (features_[owned_index].user >= 0) {
        user_objective objective(features_[owned_index], model);
        penalised_objective penalised(objective, prior_, C);
        visit(penalised);
    } else if (feature_bytes(owned_index) <= scratch_bytes_) {
        // Built for this visit only: every Newton iteration and line-search trial of the solve reads them.
        const user_features features = build_user_features(sweep_, owned_index);
        user_objective objective(features, model);
        penalised_objective penalised(objective, prior_, C);
        visit(penalised);
    } else {
        streamed_user_objective objective(sweep_, model, owned_index, dimension);
        penalised_objective penalised(objective, prior_, C);
        visit(penalised);
    }
}

user_step_summary user_step::run(model_params& params, const projected_newton_options& options, const progress_hook& progress) {
    const shard& data = kernels_->data();
    const event_model model = make_event_model(params);
    // The Newton systems in factored form (newton_direction.hpp) wherever the variant allows it.
    const bool factored = !options.dense_hessian && factor_supported(model);
    user_step_summary summary;
    // Work: (n_u + 1)(C + k_u) for n_u scored events and k_u in-neighbours — an evaluation reads
    // n_u·k_u·C kernel states and the Newton system has C + k_u coordinates — so that the fraction done
    // follows the time spent (counting events alone, the hubs of a Barabási–Albert graph, first in
    // owned order with few events each but thousands of in-neighbours, put the ETA at 44,706 s for a
    // step that took ~600 s).
    const auto work_of = [&](std::size_t i) {
        const auto [first, last] = kernels_->scored_events(i);
        return (std::size_t(last - first) + 1) * (std::size_t(model.n_cascades) + data.in_neighbours(i).size());
    };
    std::size_t all_work = 0, work_done = 0;
    for (std::size_t i = 0; i < data.owned.size(); ++i) all_work += work_of(i);
    std::function<void()> poll;
    if (progress) poll = [&] { progress(work_done, all_work); };
    for (std::size_t i = 0; i < data.owned.size(); ++i) {
        const std::int32_t u = data.owned[i];
        std::vector<double> theta = user_theta(params, u);
        const auto s = scales(i);
        // A weight whose neighbour has no event before b does not enter L_u: no evidence, so 0
        // (rather than whatever the start held, which would act on later, held-out events).
        for (std::size_t j = 0; j < theta.size(); ++j)
            if (!(s[j] > 0)) theta[j] = 0;
        // The prior's log barrier needs every baseline positive (a warm start may hold zeros).
        for (std::size_t c = 0; c < std::size_t(model.n_cascades) && prior_.active(); ++c)
            if (!(theta[c] > 0)) theta[c] = prior_.start_value(kernels_->window().length());
        const auto [first, last] = kernels_->scored_events(i);
        const double n = double(last - first);
        // One projected Newton solve of this user's problem under `m`, from and into `at`.
        const auto solve = [&](const event_model& m, std::vector<double>& at) {
            projected_newton_result r;
            with_objective(i, m, [&](auto& objective) {
                if (std::isfinite(make_feasible(objective, at, m.n_cascades, n, kernels_->window().length())))
                    r = factored ? maximise_projected_newton<hessian_factor>(objective, at, s, n, options, poll)
                                 : maximise_projected_newton<dense_hessian>(objective, at, s, n, options, poll);
                else
                    r.value = -HUGE_VAL, r.kkt_residual = HUGE_VAL;
            });
            return r;
        };
        projected_newton_result r = solve(model, theta);
        const std::vector<double> ladder = model.mixing == mixing_kind::boltzmann
                                               ? continuation_betas(model.beta, (n + 1) / kernels_->window().length())
                                               : std::vector<double>{};
        if (ran_out_of_iterations(r, options) && !ladder.empty()) {
            // β continuation (user_step.hpp): from the point reached, along β/10^J, …, β/10, then at β.
            std::vector<double> continued = theta;
            int iterations = r.iterations;
            for (const double beta : ladder) {
                event_model smoother = model;
                smoother.beta = beta;
                iterations += solve(smoother, continued).iterations;
            }
            projected_newton_result at_beta = solve(model, continued);
            iterations += at_beta.iterations;
            ++summary.beta_continued;
            // Both are points of the same problem at β: the converged one, else the larger objective.
            if (at_beta.converged || at_beta.value > r.value) {  // (r did not converge: it ran out)
                r = at_beta;
                theta.swap(continued);
            }
            r.iterations = iterations;
        }
        set_user_theta(params, u, theta);
        const double prior = prior_.value(std::span<const double>(theta).first(std::size_t(model.n_cascades)));
        summary.loglik.add(r.value - prior);
        summary.log_prior.add(prior);
        summary.max_kkt_residual = std::max(summary.max_kkt_residual, r.kkt_residual);
        summary.max_iterations = std::max(summary.max_iterations, r.iterations);
        // Converged means the residual itself is within the tolerance (a user the solver left "optimal
        // to working precision" above it is counted here, so the fit cannot call it converged).
        if (!(r.kkt_residual <= options.tolerance)) ++summary.not_converged;
        work_done += work_of(i);
        if (progress) progress(work_done, all_work);
    }
    return summary;
}

double user_step::second_derivatives(std::size_t owned_index, const event_model& model, std::span<const double> theta,
                                     std::span<double> gradient, std::span<double> hessian, std::span<double> cross) {
    double value = 0;
    with_objective(owned_index, model, [&](auto& objective) {
        value = objective.evaluate(theta, gradient, hessian);
        objective.cross_hessian(theta, cross);
    });
    return value;
}

void user_step::check(const model_params& params, std::span<double> loglik, std::span<double> residual) {
    const shard& data = kernels_->data();
    const event_model model = make_event_model(params);
    for (std::size_t i = 0; i < data.owned.size(); ++i) {
        const std::vector<double> theta = user_theta(params, data.owned[i]);
        std::vector<double> g(theta.size());
        const auto [first, last] = kernels_->scored_events(i);
        const double prior = prior_.value(std::span<const double>(theta).first(std::size_t(model.n_cascades)));
        with_objective(i, model, [&](auto& objective) {
            const double value = objective.evaluate(theta, g, {});
            // (with a baseline at 0 the penalised value is −inf: L_u is then evaluated on its own)
            loglik[i] = std::isfinite(prior) ? value - prior : objective.loglik(theta);
        });
        residual[i] = kkt_residual(theta, g, scales(i), double(last - first));
    }
}

} // namespace mic
