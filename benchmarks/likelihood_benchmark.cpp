// Cost of one MIC likelihood pass (SPEC §2) on a synthetic dataset the size of the issue:
// 100 000 users, ~10 M events, C = 10, in-degree 10 (random graph, uniform random times: a cost
// measurement, not a model simulation). Single thread = one core; ranks multiply it.
//
//   likelihood_benchmark [--benchmark_filter=...]
//
// Counters: events/s (per core), flop/s from the counted flops per event (see flops_per_event),
// and the naive O(N²) reference on a small dataset for comparison.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "engine/likelihood/shard_likelihood.hpp"
#include "engine/likelihood/sigma_term.hpp"
#include "engine/likelihood/user_likelihood.hpp"
#include "tests/engine/reference/naive_mic.hpp"

namespace mic {
namespace {

struct synthetic {
    dataset data;
    shard whole;
    model_params params;
};

// n_users users with Poisson(mean_events) events uniform on [0, horizon], `in_degree` distinct random
// in-neighbours each, C cascades; τ = 1.
synthetic make_synthetic(std::int32_t n_users, double mean_events, std::int32_t in_degree, std::int32_t C,
                         double horizon, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_int_distribution<std::int32_t> user(0, n_users - 1), cascade(0, C - 1);
    std::poisson_distribution<int> count(mean_events);
    synthetic s;
    dataset& d = s.data;
    d.header = {.n_users = n_users, .n_cascades = C, .t_start = 0.0, .t_end = horizon, .time_unit = "s"};
    std::vector<double> times;
    for (std::int32_t u = 0; u < n_users; ++u) {
        times.resize(std::size_t(count(rng)));
        for (auto& t: times) t = horizon * unit(rng);
        std::sort(times.begin(), times.end());
        for (double t: times) {
            d.events.time.push_back(t);
            d.events.cascade.push_back(cascade(rng));
        }
        d.events.user_offsets.push_back(d.events.n_events());
        std::vector<std::int32_t> in;
        while (std::int32_t(in.size()) < std::min(in_degree, n_users)) {
            in.push_back(user(rng));
            std::sort(in.begin(), in.end());
            in.erase(std::unique(in.begin(), in.end()), in.end());
        }
        d.graph.in_source.insert(d.graph.in_source.end(), in.begin(), in.end());
        d.graph.in_offsets.push_back(d.graph.n_edges());
    }
    std::vector<std::int32_t> all(static_cast<std::size_t>(n_users));
    std::iota(all.begin(), all.end(), 0);
    s.whole = make_shard(d, all);
    s.params = make_uniform_params(model_variant::mic, 1.0, 1.0, C, d.graph, 0.0, 0.0);
    for (auto& m: s.params.mu) m = 0.001 + 0.01 * unit(rng);
    for (auto& w: s.params.weight) w = 0.01 + 0.05 * unit(rng);
    for (std::int32_t a = 0; a < C; ++a) {
        double row = 0;
        for (std::int32_t c = 0; c < C; ++c) row += (s.params.sigma[a * C + c] = unit(rng) + (a == c ? 2.0 : 0.0));
        for (std::int32_t c = 0; c < C; ++c) s.params.sigma[a * C + c] /= row;
    }
    return s;
}

const synthetic& large() {
    static const synthetic s = make_synthetic(100000, 100.0, 10, 10, 1000.0, 1);
    return s;
}

// Flops per scored event of the value+gradient pass (recursive_pass), counted from its inner loops
// with k = in-degree (≈ k neighbour-event arrivals per own event) and C cascades:
//   arrivals Δ (scaled·decay, w·weight)      3k
//   forward X' and X                         3C
//   λ, log λ                                 2C + 10
//   ν* = μ + ΣᵀX                             2C²
//   log f, q (Boltzmann; exp counted as 10)  15C
//   ∂/∂μ, y = Σq + 1/λ                       3C + 2C²
//   backward R, gradient gather              3C + 2k
// The value-only pass skips the last three gradient lines but the 2C² of ν*.
double flops_per_event(double k, double C, bool gradient) {
    const double value = 3 * k + 3 * C + 2 * C + 10 + 2 * C * C + 15 * C;
    return gradient ? value + 3 * C + 2 * C * C + 3 * C + 2 * k : value;
}

void report(benchmark::State& state, double events, double flops_each) {
    state.counters["events_per_s"] = benchmark::Counter(events, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["flop_per_s"] =
        benchmark::Counter(events * flops_each, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["events"] = events;
}

void BM_PrepareShardKernels(benchmark::State& state) {
    const auto& s = large();
    for (auto _: state) {
        shard_kernels kernels(s.whole, s.params.tau, {0.0, 1000.0});
        benchmark::DoNotOptimize(kernels.scaled(0));
    }
    report(state, double(s.data.events.n_events()), 0.0);
}

void BM_LoglikGradientPass(benchmark::State& state) {
    const auto& s = large();
    const shard_kernels kernels(s.whole, s.params.tau, {0.0, 1000.0});
    shard_gradient gradient;
    for (auto _: state) benchmark::DoNotOptimize(local_loglik_gradient(kernels, s.params, gradient));
    report(state, double(s.data.events.n_events()), flops_per_event(10, 10, true));
}

void BM_LoglikValuePass(benchmark::State& state) {
    const auto& s = large();
    const shard_kernels kernels(s.whole, s.params.tau, {0.0, 1000.0});
    for (auto _: state) benchmark::DoNotOptimize(local_loglik(kernels, s.params).result.loglik);
    report(state, double(s.data.events.n_events()), flops_per_event(10, 10, false));
}

// The kernel sweep alone (G_e for every scored event, nothing else): the data-movement part of a pass.
void BM_KernelSweepOnly(benchmark::State& state) {
    const auto& s = large();
    const shard_kernels kernels(s.whole, s.params.tau, {0.0, 1000.0});
    kernel_sweep sweep(kernels);
    for (auto _: state) {
        double sum = 0;
        for (std::size_t u = 0; u < s.whole.owned.size(); ++u) {
            sweep.start(u);
            while (sweep.next()) sum += sweep.kernel()[0];
        }
        benchmark::DoNotOptimize(sum);
    }
    report(state, double(s.data.events.n_events()), 10 * 10 + 10 + 10);
}

// "Build once, evaluate many": the features of the first 5 000 users (~500 k events, 400 MB), then
// value + gradient evaluations, each user's θ `repeats` = state.range(0) times in a row:
// - 1: every user's features come from memory (the first evaluation of each user in an outer
//   iteration of the fit);
// - 8: as the user step does (a Newton iteration and its line-search trials), so that after the first
//   evaluation the user's features (8·k·C bytes per event, ~80 kB here) come from cache.
void BM_UserObjectiveFromFeatures(benchmark::State& state) {
    const auto& s = large();
    const shard_kernels kernels(s.whole, s.params.tau, {0.0, 1000.0});
    kernel_sweep sweep(kernels);
    const auto model = make_event_model(s.params);
    std::vector<user_features> features;
    double events = 0;
    for (std::size_t u = 0; u < 5000; ++u) {
        features.push_back(build_user_features(sweep, u));
        events += double(features.back().n_events());
    }
    const auto repeats = state.range(0);
    std::vector<double> gradient;
    for (auto _: state)
        for (std::size_t u = 0; u < features.size(); ++u) {
            user_objective objective(features[u], model);
            const auto theta = user_theta(s.params, std::int32_t(u));
            gradient.resize(theta.size());
            for (std::int64_t r = 0; r < repeats; ++r) benchmark::DoNotOptimize(objective.evaluate(theta, gradient));
        }
    state.SetLabel(repeats == 1 ? "features from memory" : "evaluations per user in a row (from cache)");
    // Per event: X = Gᵀw (2kC), the event term as above, ∂/∂w = G y (2kC).
    report(state, double(repeats) * events, 4 * 10 * 10 + 2 * 10 + 10 + 2 * 100 + 15 * 10 + 3 * 10 + 2 * 100);
}

// Σ-step costs on 10 000 users (~1 M events): one evaluate (value + gradient) and one H·V.
void BM_SigmaTerm(benchmark::State& state) {
    const auto& s = large();
    std::vector<std::int32_t> users(10000);
    std::iota(users.begin(), users.end(), 0);
    const auto part = make_shard(s.data, users);
    const shard_kernels kernels(part, s.params.tau, {0.0, 1000.0});
    sigma_term term(kernels, s.params);
    std::vector<double> gradient(100), out(100), direction(100, 0.01);
    const bool products = state.range(0) == 1;
    term.evaluate(s.params.sigma, gradient);
    for (auto _: state) {
        if (products) term.hessian_times(direction, out);
        else benchmark::DoNotOptimize(term.evaluate(s.params.sigma, gradient));
    }
    state.SetLabel(products ? "hessian_times" : "evaluate");
    report(state, double(term.n_events()), products ? 4 * 100 + 40 : 4 * 100 + 150);
}

// The naive O(N²) reference against the fast pass on the same small dataset (value only).
void BM_SmallValuePass(benchmark::State& state) {
    static const synthetic s = make_synthetic(300, 100.0, 10, 10, 1000.0, 2);
    const bool naive = state.range(0) == 1;
    for (auto _: state) {
        if (naive) {
            benchmark::DoNotOptimize(reference::loglik(s.data, s.params, 0.0, 1000.0).loglik);
        } else {
            const shard_kernels kernels(s.whole, s.params.tau, {0.0, 1000.0});
            benchmark::DoNotOptimize(local_loglik(kernels, s.params).result.loglik);
        }
    }
    state.SetLabel(naive ? "naive O(N^2) reference" : "fast pass");
    report(state, double(s.data.events.n_events()), 0.0);
}

// What this build can do: independent multiply-adds on registers (64 chains, enough to hide the
// latency), compiled with the project's flags: fused (std::fma, 2 flops per instruction) when the
// target has FMA (MIC_NATIVE on an FMA machine; the build does not fuse a*b + c by itself), else a
// multiply and an add (portable SSE2). flop/s is the achievable peak of the build.
void BM_MultiplyAddPeak(benchmark::State& state) {
    alignas(64) double acc[64];
    for (int j = 0; j < 64; ++j) acc[j] = 1.0 + j * 1e-3;
    const double m = 0.999999, a = 1e-7;
    const std::int64_t n = 1 << 20;
    for (auto _: state) {
        for (std::int64_t i = 0; i < n; ++i)
            for (int j = 0; j < 64; ++j) {
#ifdef __FMA__
                acc[j] = std::fma(acc[j], m, a);
#else
                acc[j] = acc[j] * m + a;
#endif
            }
        benchmark::DoNotOptimize(acc);
    }
    state.counters["flop_per_s"] = benchmark::Counter(double(n) * 128, benchmark::Counter::kIsIterationInvariantRate);
}

// What one core can read from memory: a sum over 1 GiB of doubles (16 independent partial sums),
// the roofline of any pass that streams its data once (bytes/s; compare with the bytes per event).
void BM_MemoryReadBandwidth(benchmark::State& state) {
    std::vector<double> data(std::size_t(1) << 27, 1.0);  // 1 GiB
    for (auto _: state) {
        double part[16] = {};
        for (std::size_t i = 0; i + 16 <= data.size(); i += 16)
            for (int j = 0; j < 16; ++j) part[j] += data[i + std::size_t(j)];
        benchmark::DoNotOptimize(part);
    }
    state.counters["bytes_per_s"] =
        benchmark::Counter(double(data.size() * sizeof(double)), benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_PrepareShardKernels)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_LoglikGradientPass)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_KernelSweepOnly)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_LoglikValuePass)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_UserObjectiveFromFeatures)->Arg(1)->Arg(8)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SigmaTerm)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_SmallValuePass)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_MultiplyAddPeak)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MemoryReadBandwidth)->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace
} // namespace mic

BENCHMARK_MAIN();
