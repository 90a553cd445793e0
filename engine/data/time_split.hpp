#pragma once
// The time-based train/test split (SPEC §4): the training part is the first fraction F of the events
// by time, (t_start, t_F], where t_F is the time of the ⌈F·N⌉-th event in time order.
#include <span>

namespace mic {

// t_F for the event times `times` (any order) and F in (0, 1]. Throws std::invalid_argument when
// there is no event.
double split_time(std::span<const double> times, double fraction);

} // namespace mic
