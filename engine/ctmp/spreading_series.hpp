#pragma once
// Daily spreading-size series of IDM-CTMP (SPEC §3; the paper's Fig. 4) and their ground truth.
//
// Periods (days) d = 0 .. periods−1 cover (start + d·w, start + (d+1)·w]; the first also takes a
// post at exactly `start`. For user i and period d, the topics φ that i posts in d each count once,
// at i's first post t_φ of φ in d. Truth for φ: the posts of φ by other users in (t_φ, end_d];
// prediction: DS_i(end_d − t_φ). The series value of period d is the mean over those topics, and 0
// for both on a period in which i posts nothing. (DS counts every jump of the chain, returns to i
// included, while the truth counts posts by others; SPEC §3 accepts that difference.)
//
// --extrapolate-posts predicts the test periods without looking at them (the paper's "linear
// increment"): i posts topics as a Poisson process with its training rate r_i (topics per unit of
// time, counted as above), each at a uniform time of the period. The expected series value is then
//   ŷ_d = P(at least one topic in d) · E[DS_i(w − s)], s ~ U(0, w)  =  (1 − e^{−r_i w}) · (1/w) ∫_0^w DS_i(τ) dτ,
// the same for every test period (mean_spreading_size in spreading_size.hpp gives the integral).
//
// Everything here is local and pure: give each rank its users.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/ctmp/spreading_size.hpp"
#include "engine/ctmp/topic_posts.hpp"
#include "engine/data/event_data.hpp"

namespace mic {

struct period_grid {
    double start = 0.0;
    double width = 1.0;
    std::int32_t periods = 0;

    double end(std::int32_t d) const { return start + static_cast<double>(d + 1) * width; }
    // The period holding time t, or −1 when t is outside [start, end(periods − 1)].
    std::int32_t period_of(double t) const;
};

// One topic of one user in one period: the ground truth and the DS horizon it needs.
struct post_window {
    std::int32_t period = 0;  // d
    std::int32_t topic = 0;   // φ
    double posted = 0.0;      // t_φ: the user's first post of φ in d
    double age = 0.0;         // end_d − t_φ: the horizon of the prediction DS_i(age)
    double observed = 0.0;    // posts of φ by other users in (t_φ, end_d]
};

// Ground truth of one post: the posts of `topic` by users other than `user` in (from, to].
// `all_topics` must hold every post of the topic.
double posts_by_others(const dataset& data, const topic_posts& all_topics, std::int32_t user, std::int32_t topic,
                       double from, double to);

// The windows of `user` over `grid`, ordered by (period, topic). `all_topics` must hold every post
// of the topics (group_by_topic(data) without a time limit) for the truth to be complete.
std::vector<post_window> post_windows(const dataset& data, const topic_posts& all_topics, std::int32_t user,
                                      const period_grid& grid);

// y_d = mean of values[k] over the windows k of period d; 0 for a period without windows.
std::vector<double> period_means(std::span<const post_window> windows, std::span<const double> values,
                                 std::int32_t periods);

// The truth series: period_means of `observed`.
std::vector<double> observed_series(std::span<const post_window> windows, std::int32_t periods);

// The IDM-CTMP series: period_means of DS_{table.users[a]}(age) (table horizon ≥ the grid width).
std::vector<double> predicted_series(std::span<const post_window> windows, const spreading_table& table,
                                     std::size_t a, std::int32_t periods);

// r_i: the user's topics-per-period first posts in the training windows, per unit of time.
double posting_rate(std::span<const post_window> training_windows, const period_grid& training_grid);

// --extrapolate-posts: ŷ_d = (1 − e^{−r·w}) · mean_ds for every period of `grid`, where mean_ds is
// mean_spreading_size(table, a, grid.width).
std::vector<double> extrapolated_series(double posting_rate, double mean_ds, const period_grid& grid);

} // namespace mic
