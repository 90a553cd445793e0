#include "engine/likelihood/recursive_pass.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include "engine/likelihood/first_later.hpp"

namespace mic {

recursive_pass::recursive_pass(const shard_kernels& kernels, const event_model& model)
    : kernels_(&kernels), model_(&model), block_(model) {}

void recursive_pass::collect(std::size_t owned_index, const double* w, bool with_arrivals) {
    const shard& data = kernels_->data();
    const auto& kernel = kernels_->kernel();
    const auto* events = kernels_->events();
    const std::size_t C = std::size_t(model_->n_cascades);
    const auto locals = kernels_->neighbour_locals(owned_index);
    const std::size_t k = locals.size();
    const auto [first, last] = kernels_->scored_events(owned_index);
    const std::size_t n = std::size_t(last - first);
    first_ = first;
    n_scored_ = last - first;
    const auto* own = events + first;

    // Δ_i: each neighbour event j with t_j < t_{n−1} arrives at a(j) = first scored i with t_i > t_j.
    delta_.assign(n * C, 0.0);
    arrivals_.clear();
    arrival_offsets_.assign(1, 0);
    compensator_.resize(k * C);
    own_time_.resize(n + 1);
    for (std::size_t i = 0; i < n; ++i) own_time_[i] = own[i].time;
    own_time_[n] = std::numeric_limits<double>::infinity();  // sentinel: every search finds an i
    for (std::size_t v = 0; v < k; ++v) {
        const auto local = std::size_t(locals[v]);
        const auto row = kernels_->compensator(std::int32_t(local));
        std::copy(row.begin(), row.end(), compensator_.begin() + std::ptrdiff_t(v * C));
        if (n > 0) {
            // The neighbour's events before the user's last scored event ...
            const auto* begin = events + data.events.offsets[local];
            const auto* end = std::lower_bound(begin, events + data.events.offsets[local + 1], own_time_[n - 1],
                                               [](const auto& e, double t) { return e.time < t; });
            // ... each placed at a(j) = the first i with own_time[i] > t_j, by whichever is cheaper:
            // - branch-free binary searches, m·⌈log₂(n + 1)⌉ steps, independent of one another and run
            //   eight at a time in lockstep, so that the core overlaps them (measured ≈ 0.6 ns a step
            //   one at a time, before the lockstep);
            // - a branch-free merge, n + m steps, but one chain of dependent loads and compares
            //   (≈ 3.2 ns a step): cheaper when both lists are long, as for two heavy users.
            // The factor 4 stays below the measured ratio 3.2 / 0.6 ≈ 5.3, as a margin for the
            // searches' cache misses on long lists.
            const std::size_t m = std::size_t(end - begin);
            arrival_event_.resize(m);
            if (m * std::size_t(std::bit_width(n)) <= 4 * (n + m)) {
                first_later_each(own_time_.data(), n + 1, m, [begin](std::size_t j) { return begin[j].time; },
                                 arrival_event_.data());
            } else {
                // Step i while own_time[i] ≤ t_j, else record a(j) = i and step j (no exit branch
                // to mispredict).
                for (std::size_t i = 0, j = 0; j < m;) {
                    const bool step_own = own_time_[i] <= begin[j].time;
                    arrival_event_[j] = std::int32_t(i);
                    i += step_own;
                    j += !step_own;
                }
            }
            // Δ_{a(j)}[c_j] += w_v E_j D(m_{a(j)} − m_j), and the arrival kept for the gradient.
            const double wv = w[v];
            const auto place = [&](std::size_t j) {
                const auto& e = begin[j];
                const auto a = std::size_t(arrival_event_[j]);
                const double weight = e.scaled * kernel.block_decay(own[a].block - e.block);
                delta_[a * C + std::size_t(e.cascade)] += wv * weight;
                return arrival{std::int32_t(a), e.cascade, weight};
            };
            if (with_arrivals) {
                const std::size_t base = arrivals_.size();
                arrivals_.resize(base + m);
                arrival* out = arrivals_.data() + base;
                for (std::size_t j = 0; j < m; ++j) out[j] = place(j);
            } else {
                for (std::size_t j = 0; j < m; ++j) place(j);
            }
        }
        arrival_offsets_.push_back(arrivals_.size());
    }
    // Up to 64 lines (2048 events) of each neighbour: all of them for typical users.
    prefetch_.start(*kernels_, owned_index + 1, 64);
    prefetch_per_event_ = n > 0 ? (prefetch_.remaining() + n - 1) / n : 0;
}

// X'_i = D(m_i − m_{i−1}) X'_{i−1} + Δ_i  in `anchored`, X_i = X'_i / E_i  into drive[s · stride].
void recursive_pass::advance(std::size_t i, double* anchored, double* drive, std::size_t stride) const {
    const auto& kernel = kernels_->kernel();
    const auto* own = kernels_->events() + first_;
    const std::size_t C = std::size_t(model_->n_cascades);
    if (i > 0) {
        const double decay = kernel.block_decay(own[i].block - own[i - 1].block);
        for (std::size_t s = 0; s < C; ++s) anchored[s] *= decay;
    }
    const double inverse = 1.0 / own[i].scaled;
    for (std::size_t s = 0; s < C; ++s) {
        anchored[s] += delta_[i * C + s];
        drive[s * stride] = anchored[s] * inverse;
    }
}

std::span<const double> recursive_pass::drives(std::size_t owned_index, std::span<const double> theta) {
    const std::size_t C = std::size_t(model_->n_cascades);
    collect(owned_index, theta.data() + C, false);
    const std::size_t n = std::size_t(n_scored_);
    drive_.assign(C + n * C, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        prefetch_.advance(prefetch_per_event_);
        advance(i, drive_.data(), drive_.data() + C + i * C, 1);
    }
    prefetch_.finish();
    return std::span(drive_).subspan(C);
}

double recursive_pass::evaluate(std::size_t owned_index, std::span<const double> theta, std::span<double> gradient,
                                std::span<double> per_cascade) {
    const auto& kernel = kernels_->kernel();
    const std::size_t C = std::size_t(model_->n_cascades);
    const std::size_t k = theta.size() - C;
    const double* mu = theta.data();
    const bool with_gradient = !gradient.empty();
    collect(owned_index, theta.data() + C, with_gradient);
    const std::size_t n = std::size_t(n_scored_);
    const auto* own = kernels_->events() + first_;

    // Forward, eight events at a time: their drives by the recursion, written into the lanes of a
    // block, then their terms with the events in the lanes of a vector (event_block). y_i = ∂ℓ_i/∂X_i
    // is kept, lane-major per block, for the backward recursion.
    constexpr std::size_t L = event_block::lanes;
    const std::size_t blocks = (n + L - 1) / L;
    if (with_gradient) std::fill(gradient.begin(), gradient.end(), 0.0);
    adjoint_.resize(with_gradient ? blocks * C * L : 0);
    gradient_mu_.assign(with_gradient ? C * L : 0, 0.0);
    block_drive_.assign(C * L, 0.0);
    drive_.assign(C, 0.0);
    double* anchored = drive_.data();
    double sum = 0;
    n_impossible_ = 0;
    first_impossible_ = -1;
    for (std::size_t b = 0; b < blocks; ++b) {
        const std::size_t i0 = b * L, width = std::min(L, n - i0);
        std::int32_t cascades[L];
        double terms[L];
        prefetch_.advance(prefetch_per_event_ * width);
        for (std::size_t j = 0; j < width; ++j) {
            advance(i0 + j, anchored, block_drive_.data() + j, L);
            cascades[j] = own[i0 + j].cascade;
        }
        block_.evaluate(mu, block_drive_.data(), cascades, width, terms,
                        with_gradient ? gradient_mu_.data() : nullptr,
                        with_gradient ? adjoint_.data() + b * C * L : nullptr);
        for (std::size_t j = 0; j < width; ++j) {
            const double term = terms[j];
            if (term == -std::numeric_limits<double>::infinity()) {
                if (n_impossible_++ == 0) first_impossible_ = std::int64_t(i0 + j);  // no derivatives; its y is 0
            } else {
                sum += term;
            }
            if (!per_cascade.empty()) per_cascade[std::size_t(cascades[j])] += term;
        }
    }

    if (with_gradient && n > 0) {
        add_lane_totals(gradient_mu_.data(), C, gradient.data());
        // Entry s of event i in the lane-major blocks.
        const auto at = [C](std::size_t i, std::size_t s) { return (i / L) * C * L + s * L + i % L; };
        // Backward: R_i = y_i / E_i + D(m_{i+1} − m_i) R_{i+1}, in place of y, block by block from
        // the last; within a block, one chain over its lanes per cascade s (contiguous in the
        // lane-major block; the C chains do not depend on one another).
        inverse_.resize(n);
        decay_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            inverse_[i] = 1.0 / own[i].scaled;
            decay_[i] = i + 1 < n ? kernel.block_decay(own[i + 1].block - own[i].block) : 0.0;
        }
        for (std::size_t b = blocks; b-- > 0;) {
            const std::size_t i0 = b * L, width = std::min(L, n - i0);
            double* block = adjoint_.data() + b * C * L;
            const double* later = b + 1 < blocks ? block + C * L : nullptr;  // R of the next block's lane 0
            for (std::size_t s = 0; s < C; ++s) {
                double* r = block + s * L;
                std::size_t j = width;
                if (!later) {
                    --j;
                    r[j] *= inverse_[i0 + j];  // the last event: R = y / E
                }
                double next = later ? later[s * L] : r[j < width ? j : 0];
                while (j-- > 0) next = r[j] = r[j] * inverse_[i0 + j] + decay_[i0 + j] * next;
            }
        }
        // ∂L/∂w_v = Σ_{j ∈ H_v} R_{a(j)}[c_j] E_j D(m_{a(j)} − m_j)  (− K_v below)
        // Four running sums (arrival a into sum a mod 4, then (s0 + s1) + (s2 + s3)), so that the
        // additions do not wait on one another.
        for (std::size_t v = 0; v < k; ++v) {
            double acc[4] = {};
            const auto term = [&](std::size_t a) {
                return adjoint_[at(std::size_t(arrivals_[a].event), std::size_t(arrivals_[a].cascade))] *
                       arrivals_[a].weight;
            };
            std::size_t a = arrival_offsets_[v];
            const std::size_t end = arrival_offsets_[v + 1];
            for (; a + 4 <= end; a += 4)
                for (std::size_t r = 0; r < 4; ++r) acc[r] += term(a + r);
            for (std::size_t r = 0; a < end; ++a, ++r) acc[r] += term(a);
            gradient[C + v] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        }
    }
    prefetch_.finish();
    const double compensator = subtract_compensator(theta, model_->n_cascades, compensator_,
                                                    kernels_->window().length(), gradient, per_cascade);
    return n_impossible_ > 0 ? -std::numeric_limits<double>::infinity() : sum - compensator;
}

} // namespace mic
