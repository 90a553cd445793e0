#include "engine/likelihood/user_likelihood.hpp"

#include <algorithm>
#include <cassert>
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
// next(cascades, n) yields the next block of kernel states (feature_block.hpp) with its n events'
// cascades, n = 0 at the end; the block must stay valid until it is done. Then on_event(j, cascade,
// term) for each event of the block, in event order.
template <class Next, class OnEvent>
void run_blocks(event_terms& terms, Next&& next, OnEvent&& on_event) {
    constexpr std::size_t L = event_block::lanes;
    std::int32_t cascades[L];
    double block_terms[L];
    for (;;) {
        std::size_t n = 0;
        const double* block = next(cascades, n);
        if (n == 0) return;
        terms.add_block(block, cascades, n, block_terms);
        for (std::size_t j = 0; j < n; ++j) on_event(j, cascades[j], block_terms[j]);
        if (n < L) return;
    }
}

// The blocks of stored features: the whole blocks in place, then the last events (rows) copied into
// the scratch block of `terms`.
auto stored_events(const user_features& f, event_terms& terms) {
    return [&f, &terms, b = std::size_t(0)](std::int32_t* cascades, std::size_t& n) mutable -> const double* {
        constexpr std::size_t L = feature_lanes;
        const std::size_t first = b * L;
        n = std::min(L, f.cascade.size() - first);
        if (n == 0) return nullptr;
        std::copy_n(f.cascade.data() + first, n, cascades);
        const std::size_t block = b++;
        if (n == L) return f.block(block);
        double* scratch = terms.block_scratch();
        for (std::size_t j = 0; j < n; ++j) scatter_to_lane(f.tail_row(first + j), j, scratch);
        clear_lanes(scratch, f.state_size(), n);
        return scratch;
    };
}

// The blocks of a started sweep: its kernel states copied into the scratch block of `terms`.
auto swept_events(kernel_sweep& sweep, event_terms& terms) {
    return [&sweep, &terms](std::int32_t* cascades, std::size_t& n) -> const double* {
        double* scratch = terms.block_scratch();
        n = 0;
        while (n < feature_lanes && sweep.next()) {
            scatter_to_lane(sweep.kernel(), n, scratch);
            cascades[n++] = sweep.cascade();
        }
        if (n > 0) clear_lanes(scratch, sweep.kernel().size(), n);
        return scratch;
    };
}

constexpr double impossible = -std::numeric_limits<double>::infinity();

} // namespace

void user_features::kernel_row(std::int64_t e, std::span<double> row) const {
    const std::size_t event = std::size_t(e), size = state_size();
    assert(event < cascade.size() && row.size() >= size);
    if (event < n_blocks() * feature_lanes) gather_lane(block(event / feature_lanes), event % feature_lanes, row.first(size));
    else std::ranges::copy(tail_row(event), row.begin());
}

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
    constexpr std::size_t L = feature_lanes;
    const std::size_t n = std::size_t(sweep.n_scored()), size = f.state_size(), whole = n / L * L;
    f.cascade.reserve(n);
    f.time.reserve(n);
    f.kernel.resize(n * size);
    // Events e < whole into lane e mod 8 of block e / 8; the rest as rows after the blocks.
    for (std::size_t e = 0; sweep.next(); ++e) {
        assert(e < n && sweep.kernel().size() == size);
        f.cascade.push_back(sweep.cascade());
        f.time.push_back(sweep.time());
        if (e < whole) scatter_to_lane(sweep.kernel(), e % L, f.kernel.data() + e / L * size * L);
        else std::copy(sweep.kernel().begin(), sweep.kernel().end(), f.kernel.data() + e * size);
    }
    assert(f.cascade.size() == n);
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
    run_blocks(terms_, stored_events(f, terms_), [&](std::size_t j, std::int32_t, double term) {
        sum.add(term);
        if (!hessian.empty() && term != impossible) {
            terms_.select(j);
            terms_.add_hessian(hessian);
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
    run_blocks(terms_, stored_events(f, terms_), [&](std::size_t j, std::int32_t, double term) {
        sum.add(term);
        if (term != impossible) {
            terms_.select(j);
            terms_.add_factor_rows(factor);
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
    run_blocks(terms_, stored_events(*features_, terms_), [&](std::size_t j, std::int32_t, double term) {
        if (term == impossible) return;
        terms_.select(j);
        terms_.add_cross_hessian(cross);
    });
}

event_intensities user_objective::intensities(std::span<const double> theta, std::int64_t e) const {
    const std::size_t C = std::size_t(features_->n_cascades);
    std::vector<double> row(features_->state_size());
    features_->kernel_row(e, row);
    return intensities_from_kernel(*model_, theta.first(C), theta.subspan(C), row);
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
    run_blocks(terms, swept_events(sweep, terms), [&](std::size_t j, std::int32_t c, double term) {
        sum.add(term);
        if (!per_cascade.empty()) per_cascade[std::size_t(c)] += term;
        if (!hessian.empty() && term != impossible) {
            terms.select(j);
            terms.add_hessian(hessian);
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
    run_blocks(terms, swept_events(sweep, terms), [&](std::size_t j, std::int32_t, double term) {
        sum.add(term);
        if (term != impossible) {
            terms.select(j);
            terms.add_factor_rows(factor);
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
    run_blocks(terms, swept_events(sweep, terms), [&](std::size_t j, std::int32_t, double term) {
        if (term == impossible) return;
        terms.select(j);
        terms.add_cross_hessian(cross);
    });
}

} // namespace mic
