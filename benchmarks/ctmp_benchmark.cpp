// IDM-CTMP at scale: 1 million users, about 10 million transitions (topics simulated on a random
// sparse chain). Times (1) building Q — grouping posts by topic, the sharded transition pass, the
// exact merge and the rate estimate — and (2) the spreading sizes DS_i(t) of 10 000 users for 22
// daily windows t = 1 .. 22 days (one backward uniformisation pass, rows sharded over ranks).
//
// Run alone or as `mpiexec -n 2 ctmp_benchmark`: every rank runs every iteration (fixed iteration
// counts, so the collectives inside stay matched); the reported time is the slowest rank's, and
// only rank 0 prints.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <numeric>
#include <optional>

#include "engine/ctmp/influence_network.hpp"
#include "engine/ctmp/spreading_size.hpp"
#include "engine/ctmp/topic_simulation.hpp"
#include "engine/ctmp/user_selection.hpp"
#include "engine/distributed/partition.hpp"
#include "launch/mpi_environment.hpp"

namespace {

std::optional<mic::communicator> world;

constexpr std::int32_t n_users = 1'000'000;
constexpr double min_delay = 1.0 / 24.0;  // one hour: the time resolution given to the estimator

// The chain, its simulated topics (same seed on every rank: every rank holds the whole dataset and
// takes its topics c % size == rank) and the fitted model, made once.
struct fixture {
    mic::dataset data;
    mic::ctmp_model model;
    std::vector<std::int32_t> users;  // the 10 000 users asked for
};
const fixture& data() {
    static const fixture f = [] {
        fixture out;
        const auto chain = mic::random_ctmp_model(
            {.n_users = n_users, .mean_out_degree = 10.0, .rate_min = 0.5, .rate_max = 5.0, .absorbing_fraction = 0.1}, 7);
        out.data = mic::simulate_topics(chain, {.n_topics = 1'660'000, .t_end = 22.0, .seed = 11});
        out.model = mic::estimate_ctmp(mic::build_influence_network(out.data, {.min_delay = min_delay}, *world));
        for (std::int32_t u = 0; u < n_users; u += n_users / 10'000) out.users.push_back(u);
        return out;
    }();
    return f;
}

// Runs `work` on every rank and reports the slowest rank's wall time.
template <class Work>
void timed(benchmark::State& state, Work&& work) {
    for (auto _: state) {
        world->barrier();
        const auto start = std::chrono::steady_clock::now();
        work();
        const double local = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        state.SetIterationTime(world->max(local));
    }
}

void BM_BuildRateMatrix(benchmark::State& state) {
    const auto& f = data();
    std::int64_t transitions = 0, nnz = 0;
    timed(state, [&] {
        const auto net = mic::build_influence_network(f.data, {.min_delay = min_delay}, *world);
        const auto model = mic::estimate_ctmp(net);
        transitions = net.n_transitions();
        nnz = model.generator.nonZeros();
        benchmark::DoNotOptimize(model.rate.data());
    });
    state.counters["ranks"] = world->size();
    state.counters["posts"] = static_cast<double>(f.data.events.n_events());
    state.counters["transitions"] = static_cast<double>(transitions);
    state.counters["nnz_Q"] = static_cast<double>(nnz);
}

void BM_SpreadingSizes(benchmark::State& state) {
    const auto& f = data();
    std::vector<double> windows(22);
    std::iota(windows.begin(), windows.end(), 1.0);
    std::int64_t terms = 0;
    timed(state, [&] {
        const auto mine = mic::my_share(f.users, *world);
        const auto table = mic::propagate_spreading(f.model, mine, 22.0, {}, *world);
        const auto ds = mic::spreading_sizes(table, windows);
        terms = table.n_terms;
        benchmark::DoNotOptimize(ds.data());
    });
    state.counters["ranks"] = world->size();
    state.counters["users"] = static_cast<double>(f.users.size());
    state.counters["windows"] = 22;
    state.counters["Lambda"] = f.model.max_rate();
    state.counters["terms"] = static_cast<double>(terms);
}

BENCHMARK(BM_BuildRateMatrix)->Unit(benchmark::kSecond)->UseManualTime()->Iterations(2);
BENCHMARK(BM_SpreadingSizes)->Unit(benchmark::kSecond)->UseManualTime()->Iterations(2);

// Ranks other than 0 run the benchmarks silently.
class silent_reporter: public benchmark::BenchmarkReporter {
public:
    bool ReportContext(const Context&) override { return true; }
    void ReportRuns(const std::vector<Run>&) override {}
};

} // namespace

int main(int argc, char** argv) {
    mic::mpi_guard guard(argc, argv);
    world.emplace(mic::make_world_communicator());
    benchmark::Initialize(&argc, argv);
    if (world->is_root()) {
        benchmark::RunSpecifiedBenchmarks();
    } else {
        silent_reporter quiet;
        benchmark::RunSpecifiedBenchmarks(&quiet);
    }
    benchmark::Shutdown();
    world.reset();
    return 0;
}
