// Deterministic properties of the simulators: valid logs, truncation, the frame rescaling, the
// dataset conversion, and counter-based replica seeding.
#include "engine/simulation/simulation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine/simulation/time_stall.hpp"
#include "engine/support/error.hpp"
#include "tests/engine/simulation/simulation_fixtures.hpp"

namespace mic {
namespace {

simulation_options options_for(simulation_method method, double horizon, std::int64_t max_events = 0) {
    simulation_options o;
    o.method = method;
    o.horizon = horizon;
    o.max_events = max_events;
    return o;
}

TEST(Simulator, DrawsTimeOrderedEventsInsideTheWindowWithValidIds) {
    const model_params p = testing::small_network(model_variant::mic, 1);
    const simulator sim(p);
    for (auto method: {simulation_method::exact, simulation_method::ogata}) {
        const event_log log = sim.run_replica(options_for(method, 200.0), 7, 0);
        EXPECT_GT(log.n_events(), 500) << name_of(method);
        EXPECT_FALSE(log.truncated);
        EXPECT_TRUE(std::is_sorted(log.time.begin(), log.time.end()));
        EXPECT_GT(log.time.front(), 0.0);
        EXPECT_LE(log.time.back(), 200.0);
        for (std::size_t i = 0; i < log.user.size(); ++i) {
            EXPECT_TRUE(log.user[i] >= 0 && log.user[i] < p.n_users);
            EXPECT_TRUE(log.cascade[i] >= 0 && log.cascade[i] < p.n_cascades);
        }
    }
}

TEST(Simulator, DrawsNothingWithoutBackgroundActivity) {
    model_params p = testing::small_network(model_variant::ic, 2);
    std::fill(p.mu.begin(), p.mu.end(), 0.0);
    const simulator sim(p);
    EXPECT_EQ(sim.run_replica(options_for(simulation_method::exact, 1e6), 1, 0).n_events(), 0);
    EXPECT_EQ(sim.run_replica(options_for(simulation_method::ogata, 1e6), 1, 0).n_events(), 0);
}

// τ below the spacing of doubles at the run's times: time could not advance between events a fraction
// of τ apart, and the run would draw events at one instant until memory ran out (audit, 2026-11-29:
// generate --tau 1e-15 --horizon 1 was killed by the OOM killer). Refused at once, by both methods.
TEST(Simulator, RefusesATauBelowTheResolutionOfItsTimes) {
    model_params p = testing::small_network(model_variant::cc, 4);
    p.tau = 1e-15;
    const simulator sim(p);
    for (auto method: {simulation_method::exact, simulation_method::ogata}) {
        try {
            sim.run_replica(options_for(method, 1.0), 1, 0);
            FAIL() << "expected input_error";
        } catch (const input_error& e) {
            EXPECT_NE(std::string(e.what()).find("tau 1e-15 is below the resolution of the simulated times"), std::string::npos)
                << e.what();
        }
    }
    p.tau = 1e-12;  // above 64 spacings at t = 1: runs
    EXPECT_NO_THROW(simulator(p).run_replica(options_for(simulation_method::exact, 1.0), 1, 0));
    // A bounded run holds bounded memory and may stop long before the horizon: it is checked at the last
    // time it reached. Here its events would sit on a few instants: refused, not returned.
    p.tau = 1e-15;
    EXPECT_THROW(simulator(p).run_replica(options_for(simulation_method::exact, 100.0, 1000), 1, 0), input_error);
    // With an astronomical horizon but a bound that ends the run early, at times where tau is resolved: runs.
    p.tau = 1.0;
    EXPECT_EQ(simulator(p).run_replica(options_for(simulation_method::exact, 1e308, 100), 1, 0).n_events(), 100);
}

TEST(TimeStallGuard, StopsAMillionEventsInARowAtOneInstantAndForgetsThemWhenTimeMoves) {
    time_stall_guard guard;
    for (std::int64_t k = 0; k + 2 < time_stall_guard::limit; ++k) guard.step(0.5, 0.5, 1e-15);
    guard.step(0.5, 0.6, 1e-15);  // time moved: the count starts again
    for (std::int64_t k = 0; k + 2 < time_stall_guard::limit; ++k) guard.step(0.6, 0.6, 1e-15);
    guard.step(0.6, 0.6, 1e-15);
    EXPECT_THROW(guard.step(0.6, 0.6, 1e-15), input_error);
}

TEST(Simulator, StopsAtMaxEventsWithThePrefixOfTheUnboundedRun) {
    const model_params p = testing::small_network(model_variant::linmic, 3);
    const simulator sim(p);
    for (auto method: {simulation_method::exact, simulation_method::ogata}) {
        const event_log full = sim.run_replica(options_for(method, 100.0), 5, 2);
        const event_log cut = sim.run_replica(options_for(method, 100.0, 25), 5, 2);
        ASSERT_EQ(cut.n_events(), 25);
        EXPECT_TRUE(cut.truncated);
        EXPECT_TRUE(std::equal(cut.time.begin(), cut.time.end(), full.time.begin()));
        EXPECT_TRUE(std::equal(cut.user.begin(), cut.user.end(), full.user.begin()));
        EXPECT_FALSE(sim.run_replica(options_for(method, 100.0, full.n_events()), 5, 2).truncated);
    }
}

TEST(Simulator, GivesTheSameEventsWhenTheDecayingFrameIsReanchoredOften) {
    // Re-anchoring only changes rounding: the same stream must give the same users and cascades
    // and times equal to rounding, whether the frame moves every 0.5 τ or every 256 τ.
    const model_params p = testing::small_network(model_variant::mic, 4);
    const simulator sim(p);
    simulation_options often = options_for(simulation_method::exact, 2000.0);
    often.rescale_after = 0.5;
    const event_log a = sim.run_replica(often, 3, 0);
    const event_log b = sim.run_replica(options_for(simulation_method::exact, 2000.0), 3, 0);
    ASSERT_EQ(a.n_events(), b.n_events());
    EXPECT_EQ(a.user, b.user);
    EXPECT_EQ(a.cascade, b.cascade);
    for (std::size_t i = 0; i < a.time.size(); ++i) ASSERT_NEAR(a.time[i], b.time[i], 1e-9 * b.time[i]);
}

TEST(Simulator, ReplicaKDependsOnlyOnTheSeedAndK) {
    const model_params p = testing::small_network(model_variant::mic, 5);
    const simulator sim(p);
    const auto o = options_for(simulation_method::exact, 50.0);
    const event_log third = sim.run_replica(o, 42, 3);  // drawn first ...
    for (std::uint64_t k = 0; k < 3; ++k) EXPECT_NE(sim.run_replica(o, 42, k).time, third.time);
    EXPECT_EQ(sim.run_replica(o, 42, 3).time, third.time);  // ... or after others: the same
    random_stream rng(42, 3);
    EXPECT_EQ(sim.run(o, rng).user, third.user);
    EXPECT_NE(sim.run_replica(o, 43, 3).time, third.time);
    // Pinned: a change of the random streams or of the draw order changes every simulated dataset.
    ASSERT_GT(third.n_events(), 2);
    EXPECT_NEAR(third.time[0], 1.759975885083048, 1e-14);
    EXPECT_EQ(third.user[0], 3);
}

TEST(ToDataset, GroupsEventsByUserInTimeOrderOverTheWholeWindow) {
    const model_params p = testing::small_network(model_variant::ic, 6);
    const event_log log = simulator(p).run_replica(options_for(simulation_method::exact, 30.0), 1, 0);
    const dataset d = to_dataset(p, log, 30.0, "s");
    EXPECT_EQ(d.header.n_users, p.n_users);
    EXPECT_EQ(d.header.t_start, 0.0);
    EXPECT_EQ(d.header.t_end, 30.0);
    EXPECT_EQ(d.graph.in_source, p.in_source);
    ASSERT_EQ(d.events.n_events(), log.n_events());
    for (std::int32_t u = 0; u < p.n_users; ++u) {
        std::vector<double> expected;
        for (std::size_t i = 0; i < log.user.size(); ++i)
            if (log.user[i] == u) expected.push_back(log.time[i]);
        const auto first = d.events.time.begin() + d.events.user_offsets[u];
        const auto last = d.events.time.begin() + d.events.user_offsets[u + 1];
        EXPECT_EQ(std::vector<double>(first, last), expected);
    }
}

} // namespace
} // namespace mic
