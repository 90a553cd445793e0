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

// Runs one user's scored events through `terms` (begun for the user) in blocks of event_block::lanes.
// next(kernel, cascade) yields the next event's kernel state and cascade, false at the end; the state
// must stay valid until its block is done. Then on_event(j, kernel, cascade, term) for each event of
// the block, in event order.
template <class Next, class OnEvent>
void run_blocks(event_terms& terms, Next&& next, OnEvent&& on_event) {
    constexpr std::size_t L = event_block::lanes;
    const double* kernels[L];
    std::int32_t cascades[L];
    double block_terms[L];
    for (;;) {
        std::size_t n = 0;
        while (n < L && next(n, kernels[n], cascades[n])) ++n;
        if (n == 0) return;
        terms.add_block(kernels, cascades, n, block_terms);
        for (std::size_t j = 0; j < n; ++j) on_event(j, kernels[j], cascades[j], block_terms[j]);
        if (n < L) return;
    }
}

// The events of stored features, in place.
auto stored_events(const user_features& f) {
    return [&f, e = std::int64_t(0)](std::size_t, const double*& kernel, std::int32_t& cascade) mutable {
        if (e == f.n_events()) return false;
        kernel = f.kernel_of(e).data();
        cascade = f.cascade[std::size_t(e)];
        ++e;
        return true;
    };
}

// The events of a started sweep, each kernel state copied into slot j of the block.
auto swept_events(kernel_sweep& sweep, event_terms& terms) {
    return [&sweep, &terms](std::size_t j, const double*& kernel, std::int32_t& cascade) {
        if (!sweep.next()) return false;
        double* slot = terms.block_slot(j);
        std::copy(sweep.kernel().begin(), sweep.kernel().end(), slot);
        kernel = slot;
        cascade = sweep.cascade();
        return true;
    };
}

constexpr double impossible = -std::numeric_limits<double>::infinity();

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
    terms_.begin(theta, !gradient.empty() || !hessian.empty());
    event_sum sum;
    run_blocks(terms_, stored_events(f), [&](std::size_t j, const double* kernel, std::int32_t c, double term) {
        sum.add(term);
        if (!hessian.empty() && term != impossible) {
            terms_.select(j);
            terms_.add_hessian(kernel, c, hessian);
        }
    });
    terms_.finish(gradient);
    const double compensator = subtract_compensator_totals(theta, f.n_cascades, f.compensator, f.window_length, gradient);
    return sum.value(compensator);
}

double user_objective::evaluate(std::span<const double> theta, std::span<double> gradient, hessian_factor& factor) {
    const user_features& f = *features_;
    clear(gradient);
    factor.start(theta.size(), std::size_t(f.n_events()) * terms_.factor_rows_per_event() + std::size_t(f.n_cascades));
    terms_.begin(theta, true);
    event_sum sum;
    run_blocks(terms_, stored_events(f), [&](std::size_t j, const double* kernel, std::int32_t c, double term) {
        sum.add(term);
        if (term != impossible) {
            terms_.select(j);
            terms_.add_factor_rows(kernel, c, factor);
        }
    });
    terms_.finish(gradient);
    factor.finish();
    const double compensator = subtract_compensator_totals(theta, f.n_cascades, f.compensator, f.window_length, gradient);
    return sum.value(compensator);
}

void user_objective::cross_hessian(std::span<const double> theta, std::span<double> cross) {
    clear(cross);
    terms_.begin(theta, true);
    run_blocks(terms_, stored_events(*features_), [&](std::size_t j, const double* kernel, std::int32_t c, double term) {
        if (term == impossible) return;
        terms_.select(j);
        terms_.add_cross_hessian(kernel, c, cross);
    });
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
    terms.begin(theta, !gradient.empty() || !hessian.empty());
    event_sum sum;
    run_blocks(terms, swept_events(sweep, terms), [&](std::size_t j, const double* kernel, std::int32_t c, double term) {
        sum.add(term);
        if (!per_cascade.empty()) per_cascade[std::size_t(c)] += term;
        if (!hessian.empty() && term != impossible) {
            terms.select(j);
            terms.add_hessian(kernel, c, hessian);
        }
    });
    terms.finish(gradient);
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
    terms.begin(theta, true);
    event_sum sum;
    run_blocks(terms, swept_events(sweep, terms), [&](std::size_t j, const double* kernel, std::int32_t c, double term) {
        sum.add(term);
        if (term != impossible) {
            terms.select(j);
            terms.add_factor_rows(kernel, c, factor);
        }
    });
    terms.finish(gradient);
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
    terms.begin(theta, true);
    run_blocks(terms, swept_events(sweep, terms), [&](std::size_t j, const double* kernel, std::int32_t c, double term) {
        if (term == impossible) return;
        terms.select(j);
        terms.add_cross_hessian(kernel, c, cross);
    });
}

} // namespace mic
