#include "engine/likelihood/user_likelihood.hpp"

#include <algorithm>
#include <limits>

namespace mic {
namespace {

constexpr double minus_infinity = -std::numeric_limits<double>::infinity();

// Sums the event terms in event order; −inf is sticky and adds no derivatives (see header).
class event_sum {
public:
    void add(double term) {
        if (term == minus_infinity) impossible_ = true;
        else sum_ += term;
    }
    double value(double compensator) const { return impossible_ ? minus_infinity : sum_ - compensator; }

private:
    double sum_ = 0;
    bool impossible_ = false;
};

void clear(std::span<double> values) { std::fill(values.begin(), values.end(), 0.0); }

} // namespace

std::size_t user_features::bytes() const {
    return (kernel.size() + compensator.size() + time.size()) * sizeof(double) + cascade.size() * sizeof(std::int32_t);
}

user_features build_user_features(kernel_sweep& sweep, std::size_t owned_index) {
    const shard_kernels& kernels = sweep.kernels();
    sweep.start(owned_index);
    user_features f;
    f.user = kernels.data().owned[owned_index];
    f.n_cascades = kernels.n_cascades();
    f.n_neighbours = sweep.n_neighbours();
    f.window_length = kernels.window().length();
    const std::size_t n = std::size_t(sweep.n_scored()), block = std::size_t(f.n_neighbours) * std::size_t(f.n_cascades);
    f.cascade.reserve(n);
    f.time.reserve(n);
    f.kernel.reserve(n * block);
    while (sweep.next()) {
        f.cascade.push_back(sweep.cascade());
        f.time.push_back(sweep.time());
        f.kernel.insert(f.kernel.end(), sweep.kernel().begin(), sweep.kernel().end());
    }
    f.compensator = compensator_totals(sweep.compensator(), f.n_cascades);
    return f;
}

user_objective::user_objective(const user_features& features, const event_model& model)
    : features_(&features), model_(&model), terms_(model, features.n_neighbours) {}

double user_objective::evaluate(std::span<const double> theta, std::span<double> gradient, std::span<double> hessian) {
    const user_features& f = *features_;
    clear(gradient);
    clear(hessian);
    event_sum sum;
    for (std::int64_t e = 0; e < f.n_events(); ++e)
        sum.add(terms_.add(theta, f.kernel_of(e), f.cascade[std::size_t(e)], gradient, hessian));
    const double compensator = subtract_compensator_totals(theta, f.n_cascades, f.compensator, f.window_length, gradient);
    return sum.value(compensator);
}

double user_objective::evaluate(std::span<const double> theta, std::span<double> gradient, hessian_factor& factor) {
    const user_features& f = *features_;
    clear(gradient);
    factor.start(theta.size(), std::size_t(f.n_events()) * terms_.factor_rows_per_event() + std::size_t(f.n_cascades));
    event_sum sum;
    for (std::int64_t e = 0; e < f.n_events(); ++e)
        sum.add(terms_.add(theta, f.kernel_of(e), f.cascade[std::size_t(e)], gradient, factor));
    factor.finish();
    const double compensator = subtract_compensator_totals(theta, f.n_cascades, f.compensator, f.window_length, gradient);
    return sum.value(compensator);
}

void user_objective::cross_hessian(std::span<const double> theta, std::span<double> cross) {
    const user_features& f = *features_;
    clear(cross);
    for (std::int64_t e = 0; e < f.n_events(); ++e) terms_.add_cross_hessian(theta, f.kernel_of(e), f.cascade[std::size_t(e)], cross);
}

event_intensities user_objective::intensities(std::span<const double> theta, std::int64_t e) const {
    const std::size_t C = std::size_t(features_->n_cascades);
    return intensities_from_kernel(*model_, theta.first(C), theta.subspan(C), features_->kernel_of(e));
}

double stream_user_loglik(kernel_sweep& sweep, event_terms& terms, std::size_t owned_index,
                          std::span<const double> theta, std::span<double> gradient, std::span<double> hessian,
                          std::span<double> per_cascade) {
    const shard_kernels& kernels = sweep.kernels();
    clear(gradient);
    clear(hessian);
    sweep.start(owned_index);
    event_sum sum;
    while (sweep.next()) {
        const double term = terms.add(theta, sweep.kernel(), sweep.cascade(), gradient, hessian);
        sum.add(term);
        if (!per_cascade.empty()) per_cascade[std::size_t(sweep.cascade())] += term;
    }
    const double compensator = subtract_compensator(theta, kernels.n_cascades(), sweep.compensator(),
                                                    kernels.window().length(), gradient, per_cascade);
    return sum.value(compensator);
}

double stream_user_loglik(kernel_sweep& sweep, event_terms& terms, std::size_t owned_index,
                          std::span<const double> theta, std::span<double> gradient, hessian_factor& factor) {
    const shard_kernels& kernels = sweep.kernels();
    clear(gradient);
    sweep.start(owned_index);
    factor.start(theta.size(), std::size_t(sweep.n_scored()) * terms.factor_rows_per_event() +
                                   std::size_t(kernels.n_cascades()));
    event_sum sum;
    while (sweep.next()) sum.add(terms.add(theta, sweep.kernel(), sweep.cascade(), gradient, factor));
    factor.finish();
    const double compensator = subtract_compensator(theta, kernels.n_cascades(), sweep.compensator(),
                                                    kernels.window().length(), gradient, {});
    return sum.value(compensator);
}

double stream_user_loglik(kernel_sweep& sweep, std::size_t owned_index, const event_model& model,
                          std::span<const double> theta, std::span<double> gradient, std::span<double> hessian,
                          std::span<double> per_cascade) {
    event_terms terms(model, std::int32_t(theta.size()) - model.n_cascades);
    return stream_user_loglik(sweep, terms, owned_index, theta, gradient, hessian, per_cascade);
}

void stream_user_cross_hessian(kernel_sweep& sweep, event_terms& terms, std::size_t owned_index,
                               std::span<const double> theta, std::span<double> cross) {
    clear(cross);
    sweep.start(owned_index);
    while (sweep.next()) terms.add_cross_hessian(theta, sweep.kernel(), sweep.cascade(), cross);
}

} // namespace mic
