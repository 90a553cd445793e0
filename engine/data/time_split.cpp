#include "engine/data/time_split.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace mic {

double split_time(std::span<const double> times, double fraction) {
    if (times.empty()) throw std::invalid_argument("split_time: no events");
    std::vector<double> t(times.begin(), times.end());
    const auto k = std::size_t(std::max(1.0, std::ceil(fraction * double(t.size())))) - 1;
    std::nth_element(t.begin(), t.begin() + std::ptrdiff_t(k), t.end());
    return t[k];
}

} // namespace mic
