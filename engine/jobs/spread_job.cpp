#include "engine/jobs/spread_job.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

#include "engine/ctmp/independent_cascade.hpp"
#include "engine/ctmp/spreading_series.hpp"
#include "engine/ctmp/spreading_size.hpp"
#include "engine/ctmp/topic_posts.hpp"
#include "engine/ctmp/user_selection.hpp"
#include "engine/distributed/checked_section.hpp"
#include "engine/distributed/partition.hpp"
#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"

namespace mic {
namespace {

// One user set's per-user results on this rank (its my_share block, in list order).
struct local_results {
    std::vector<double> observed, ctmp, ic, training;
    std::vector<forecast_errors> e_ctmp, e_ic;
};

struct spread_inputs {
    const dataset* share;        // this rank's topics (topic_share): events, header, graph
    const topic_posts* topics;   // group_by_topic(*share)
    const ctmp_model* model;
    const independent_cascade* ic;
    const spread_hooks* hooks;
};

// The progress hook of one phase as a propagation_progress (empty when the caller gave none).
propagation_progress phase(const spread_hooks& hooks, std::string what) {
    if (!hooks.progress) return {};
    return [&hooks, what = std::move(what)](double fraction) { hooks.progress(what, fraction); };
}

// One window of the user at `position` in a list of users, on its way to the rank evaluating it.
struct routed_window {
    std::int64_t position = 0;
    post_window window;
};

// For each user of this rank's block of `users` (my_share), its windows over `grid`: what
// post_windows gives on the whole dataset. Every rank finds the windows of every listed user on its
// own topics, sends each to the user's evaluating rank, and that rank orders them by (period, topic)
// as post_windows does; a (period, topic) pair is on one rank only, so the order is total and the
// result does not depend on the number of ranks. Collective: every rank makes the one exchange, for
// the same list of users (the plan's, identical on every rank), whatever it holds.
std::vector<std::vector<post_window>> windows_of_my_share(const communicator& comm, const spread_inputs& in,
                                                          std::span<const std::int32_t> users, const period_grid& grid) {
    const auto owners = range_partition::even(static_cast<std::int64_t>(users.size()), comm.size());
    std::vector<routed_window> outgoing;
    std::vector<int> destination;
    int owner = 0;
    for (std::size_t a = 0; a < users.size(); ++a) {
        while (static_cast<std::int64_t>(a) >= owners.end(owner)) ++owner;
        for (const auto& w: post_windows(*in.share, *in.topics, users[a], grid)) {
            outgoing.push_back({static_cast<std::int64_t>(a), w});
            destination.push_back(owner);
        }
    }
    const auto received = comm.exchange(std::span<const routed_window>(outgoing), std::span<const int>(destination));
    const auto first = owners.begin(comm.rank());
    std::vector<std::vector<post_window>> mine(static_cast<std::size_t>(owners.end(comm.rank()) - first));
    for (const auto& r: received) mine[static_cast<std::size_t>(r.position - first)].push_back(r.window);
    for (auto& windows: mine)
        std::sort(windows.begin(), windows.end(), [](const post_window& a, const post_window& b) {
            return a.period != b.period ? a.period < b.period : a.topic < b.topic;
        });
    return mine;
}

spread_user_set evaluate_set(const communicator& comm, const spread_plan& plan, const spread_inputs& in, std::string name,
                             std::vector<std::int32_t> users) {
    const period_grid test{plan.train_until, plan.window, plan.periods};
    const period_grid train{plan.training_start, plan.window, plan.training_periods};
    const ic_options ico{.step = plan.ic_step, .runs = plan.ic_runs, .seed = plan.seed};
    const auto mine = my_share(users, comm);
    // Collectives: every rank calls them with its own (possibly empty) block.
    const auto table = propagate_spreading(*in.model, mine, plan.window, plan.propagation, comm,
                                           phase(*in.hooks, "spreading sizes of the " + name + " users"));
    const auto test_windows = windows_of_my_share(comm, in, users, test);
    const auto train_windows = windows_of_my_share(comm, in, users, train);
    local_results l;
    for (std::size_t a = 0; a < mine.size(); ++a) {
        const auto& windows = test_windows[a];
        const auto truth = observed_series(windows, test.periods);
        const auto& training_windows = train_windows[a];
        const auto training = observed_series(training_windows, train.periods);
        const double scale = naive_scale(training);
        const auto ctmp = plan.extrapolate_posts
                              ? extrapolated_series(posting_rate(training_windows, train), mean_spreading_size(table, a, plan.window), test)
                              : predicted_series(windows, table, a, test.periods);
        const auto ic_series = period_means(windows, ic_predictions(*in.ic, mine[a], windows, ico), test.periods);
        l.e_ctmp.push_back(forecast_error(ctmp, truth, scale));
        l.e_ic.push_back(forecast_error(ic_series, truth, scale));
        l.observed.insert(l.observed.end(), truth.begin(), truth.end());
        l.ctmp.insert(l.ctmp.end(), ctmp.begin(), ctmp.end());
        l.ic.insert(l.ic.end(), ic_series.begin(), ic_series.end());
        l.training.insert(l.training.end(), training.begin(), training.end());
        if (in.hooks->progress) in.hooks->progress("scoring the " + name + " users", static_cast<double>(a + 1) / static_cast<double>(mine.size()));
    }
    // Gathering in rank order restores the list order (my_share hands out contiguous blocks).
    spread_user_set s;
    s.name = std::move(name);
    s.users = std::move(users);
    s.observed = comm.allgatherv(std::span<const double>(l.observed));
    s.predicted_ctmp = comm.allgatherv(std::span<const double>(l.ctmp));
    s.predicted_ic = comm.allgatherv(std::span<const double>(l.ic));
    s.training_observed = comm.allgatherv(std::span<const double>(l.training));
    s.errors_ctmp = comm.allgatherv(std::span<const forecast_errors>(l.e_ctmp));
    s.errors_ic = comm.allgatherv(std::span<const forecast_errors>(l.e_ic));
    s.average_ctmp = average(l.e_ctmp, comm);
    s.average_ic = average(l.e_ic, comm);
    return s;
}

} // namespace

spread_results run_spread_job(const communicator& comm, const spread_plan& plan, const dataset& share,
                              const spread_hooks& hooks) {
    run_checked(comm, [&] {
        for (const auto c: share.events.cascade) {
            if (c < 0 || c >= share.header.n_cascades)
                throw input_error("dataset /events/cascade: cascade " + std::to_string(c) + " outside [0, " +
                                  std::to_string(share.header.n_cascades) + "); fix the cascade ids or the n_cascades attribute");
            if (!in_topic_part(c, comm.rank(), comm.size()))
                throw std::invalid_argument("run_spread_job: rank " + std::to_string(comm.rank()) + " holds topic " +
                                            std::to_string(c) + ", which is not in its share (pass topic_share)");
        }
    });
    // 1. Fit Q on the training posts (collective, bit-identical on any number of ranks).
    const network_options net_options{.follow_graph = plan.follow_graph, .min_delay = plan.min_delay};
    const auto net = build_influence_network(share, net_options, comm, plan.train_until);
    // The same network on every rank, so the same outcome; agreed all the same, and named by its dataset.
    ctmp_model model;
    run_checked(comm, [&] {
        try {
            model = estimate_ctmp(net, hooks.user_label);
        } catch (const input_error& e) {
            throw input_error(plan.data_name + ": " + e.what());
        }
    });
    const auto topics = group_by_topic(share, comm.rank(), comm.size());  // the share's topics (1/size of the slots)
    // 2. The users: top-K by DS over the test span, and random-K among all users.
    const double span = plan.window * static_cast<double>(plan.periods);
    // Every rank, whether it logs or not: an error (too many steps) is then agreed, not one rank's.
    std::int64_t steps = 0;
    run_checked(comm, [&] { steps = propagation_steps(model, span, plan.propagation); });
    if (hooks.log) {
        const std::string unit = share.header.time_unit.empty() ? "unit" : share.header.time_unit;
        hooks.log(with_thousands(net.n_transitions()) + " transitions, " + with_thousands(net.n_edges()) +
                  " influence edges; max rate " + shortest(model.max_rate()) + " per " + unit + ", test span " +
                  shortest(span) + " " + unit + ": " + with_thousands(steps) + " propagation steps" +
                  (plan.propagation.method == propagation_method::uniformization && steps > 10000
                       ? " (the fastest user sets the step; --min-delay D caps every rate at 1/D)"
                       : ""));
    }
    const auto coverage = spreading_sizes_all_users(model, std::vector<double>{span}, plan.propagation, comm,
                                                    phase(hooks, "coverage of every user"));
    std::vector<std::int32_t> everyone(static_cast<std::size_t>(share.header.n_users));
    std::iota(everyone.begin(), everyone.end(), 0);
    // 3. The IC baseline: DDS per user from the training windows (summed over the ranks' topics),
    //    on the follower graph.
    const auto dds = daily_spreading_sizes(share, topics, plan.training_start, plan.train_until, plan.window, comm);
    const auto ic = make_independent_cascade(share.graph.in_source.empty() ? successors(net) : followers(share.graph), dds);
    spread_results r;
    r.train_until = plan.train_until;
    r.window = plan.window;
    r.training_start = plan.training_start;
    r.tolerance = plan.propagation.tolerance;
    r.periods = plan.periods;
    r.training_periods = plan.training_periods;
    r.method = plan.propagation.method == propagation_method::taylor ? "taylor" : "uniformization";
    r.time_unit = share.header.time_unit;
    r.seed = plan.seed;
    r.extrapolate_posts = plan.extrapolate_posts;
    r.follow_graph = plan.follow_graph;
    r.n_users = net.n_users;
    r.n_edges = net.n_edges();
    r.n_transitions = net.n_transitions();
    r.max_rate = model.max_rate();
    const spread_inputs in{&share, &topics, &model, &ic, &hooks};
    r.sets.push_back(evaluate_set(comm, plan, in, "top", top_k_users(coverage, plan.top_k)));
    r.sets.push_back(evaluate_set(comm, plan, in, "random", random_users(everyone, plan.random_k, plan.seed)));
    return r;
}

} // namespace mic
