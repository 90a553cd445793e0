// Events per second of the exact simulation (engine/simulation/exact_simulation.cpp) against Ogata's
// thinning on the same parameters, for U = 1 000, 100 000 and 1 000 000 users: C = 10 cascades,
// Erdős–Rényi graph of mean in-degree 10, τ = 1, w ~ U[0, 0.1] (ρ(W)·τ ≈ 0.5), μ ~ U[0, 0.002],
// variant mic (β = 1, Σ with 0.7 on the diagonal and 0.3 to the next cascade). One thread = one core.
//
//   simulation_benchmark [--benchmark_filter=exact|ogata]
//
// Counter events/s: simulated events per second of CPU time of the one thread. Every iteration draws a fresh replica
// (allocation of the U×C state included) until a fixed number of events.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>

#include "engine/simulation/graph_generators.hpp"
#include "engine/simulation/parameter_draw.hpp"
#include "engine/simulation/simulation.hpp"
#include "engine/simulation/spectral_radius.hpp"

namespace mic {
namespace {

constexpr std::int32_t n_cascades = 10;

const model_params& params_for(std::int32_t n_users) {
    static std::map<std::int32_t, std::unique_ptr<model_params>> cache;
    auto& slot = cache[n_users];
    if (!slot) {
        parameter_draw spec;
        spec.variant = model_variant::mic;
        spec.beta = 1.0;
        spec.tau = 1.0;
        spec.n_cascades = n_cascades;
        spec.sigma = identity_sigma(n_cascades);
        for (std::int32_t s = 0; s < n_cascades; ++s) {
            spec.sigma[std::size_t(s * n_cascades + s)] = 0.7;
            spec.sigma[std::size_t(s * n_cascades + (s + 1) % n_cascades)] = 0.3;
        }
        spec.mu = {0.0, 0.002};
        spec.weight = {0.0, 0.1};
        const csr_graph g = erdos_renyi_graph(n_users, 10.0 / double(n_users - 1), 1);
        slot = std::make_unique<model_params>(draw_parameters(g, spec, 1));
        std::fprintf(stderr, "U = %d: %lld edges, rho(W)*tau = %.4f\n", n_users, static_cast<long long>(g.n_edges()),
                     influence_spectral_radius(*slot).value * slot->tau);
    }
    return *slot;
}

void run(benchmark::State& state, simulation_method method, std::int64_t events) {
    const model_params& p = params_for(std::int32_t(state.range(0)));
    const simulator sim(p);
    simulation_options options;
    options.method = method;
    options.horizon = 1e12;  // bounded by max_events
    options.max_events = events;
    std::int64_t drawn = 0;
    std::uint64_t replica = 0;
    for (auto _: state) {
        const event_log log = sim.run_replica(options, 2024, replica++);
        drawn += log.n_events();
        benchmark::DoNotOptimize(log.time.data());
    }
    state.counters["events/s"] = benchmark::Counter(double(drawn), benchmark::Counter::kIsRate);
    state.counters["events"] = double(drawn);
}

void exact(benchmark::State& state) { run(state, simulation_method::exact, 2'000'000); }
// Ogata costs O(U·C) per candidate: fewer events as U grows, the same parameters.
void ogata(benchmark::State& state) { run(state, simulation_method::ogata, 20'000'000 / state.range(0)); }

BENCHMARK(exact)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(ogata)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace mic

BENCHMARK_MAIN();
