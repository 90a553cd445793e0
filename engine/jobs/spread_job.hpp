#pragma once
// `mic spread` as one engine job (SPEC §3): IDM-CTMP fitted on the posts up to the cut, its
// spreading-size series for the top users by predicted coverage and for random users over the test
// periods, scored against the truth and the Independent Cascade baseline. Topics are split over the
// ranks (topic c on rank c % size) and so are the evaluated users (range_partition, my_share); every
// series is gathered in list order, so the result is identical on any number of ranks.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/ctmp/forecast_metrics.hpp"
#include "engine/ctmp/propagation_options.hpp"
#include "engine/data/event_data.hpp"
#include "engine/distributed/communicator.hpp"

namespace mic {

struct spread_plan {
    double window = 0.0, ic_step = 0.0;
    double train_until = 0.0;
    std::int32_t periods = 0;           // test periods (train_until + d·w, train_until + (d+1)·w]
    std::int32_t training_periods = 0;  // whole windows of width w that fit in [t_start, train_until]
    double training_start = 0.0;        // train_until − training_periods·w
    propagation_options propagation;
    std::int64_t top_k = 100, random_k = 100, ic_runs = 1000;
    std::uint64_t seed = 1;
    bool follow_graph = false, extrapolate_posts = false;
    double min_delay = 0.0;
    std::string data_name;  // for messages: the dataset

    template <class F> void fields(F&& f) {
        f(window), f(ic_step), f(train_until), f(periods), f(training_periods), f(training_start), f(propagation);
        f(top_k), f(random_k), f(ic_runs), f(seed), f(follow_graph), f(extrapolate_posts), f(min_delay), f(data_name);
    }
};

struct spread_user_set {
    std::string name;                       // "top" or "random"
    std::vector<std::int32_t> users;
    std::vector<double> observed, predicted_ctmp, predicted_ic;  // users × periods, row-major
    std::vector<double> training_observed;                       // users × training_periods
    std::vector<forecast_errors> errors_ctmp, errors_ic;         // per user
    average_errors average_ctmp, average_ic;
};

struct spread_results {
    std::string data;
    double train_until = 0, window = 0, training_start = 0, tolerance = 0;
    std::int32_t periods = 0, training_periods = 0;
    std::string method, time_unit;
    std::uint64_t seed = 0;
    bool extrapolate_posts = false, follow_graph = false;
    std::vector<spread_user_set> sets;  // top, random
    // The influence network fitted (for the summary).
    std::int64_t n_users = 0, n_edges = 0, n_transitions = 0;
    double max_rate = 0;
};

// What the job tells its caller while it runs (both optional). `log` is called on every rank with the
// same line (the caller prints rank 0's); `progress(what, fraction)` on every rank after each step of
// a long phase (local: no collective, no agreement needed).
struct spread_hooks {
    std::function<void(const std::string& message)> log;
    std::function<void(const std::string& what, double fraction)> progress;
    // How messages name user `user` (its name in the dataset); by id when not given. Called on every
    // rank, only on the way to an error.
    std::function<std::string(std::int32_t user)> user_label;
};

// Collective over `comm`. Each rank passes its share of the topics: topic_share(data, rank, size)
// (engine/ctmp/topic_posts.hpp; io::read_topic_share reads it from a file), the whole dataset on one
// rank. Per rank this holds the events of 1/size of the topics, the graph, and O(users + influence
// edges) for the fitted model; the evaluated users' windows travel to the rank that scores them.
// Throws (on every rank) when a rank holds a topic outside its share.
spread_results run_spread_job(const communicator& comm, const spread_plan& plan, const dataset& share,
                              const spread_hooks& hooks = {});

} // namespace mic
