#include "launch/options/expect_options.hpp"

#include <cmath>
#include <sstream>

namespace mic {
namespace {

double number(const std::string& text, const std::string& whole) {
    std::size_t used = 0;
    double v = 0.0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || !std::isfinite(v))
        throw cli::usage_error("--times '" + whole + "': '" + text + "' is not a number; write a:b:step, e.g. 0:500:10");
    return v;
}

} // namespace

std::vector<double> parse_time_grid(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
    if (parts.size() == 1) {
        const double t = number(parts[0], text);
        if (t < 0) throw cli::usage_error("--times '" + text + "': times start at 0 (an empty history); give t >= 0");
        return {t};
    }
    if (parts.size() != 3) throw cli::usage_error("--times '" + text + "': write a:b:step (e.g. 0:500:10) or one time");
    const double a = number(parts[0], text), b = number(parts[1], text), step = number(parts[2], text);
    if (a < 0 || b < a || !(step > 0))
        throw cli::usage_error("--times '" + text + "': need 0 <= a <= b and step > 0");
    const double n = std::floor((b - a) / step * (1 + 1e-9)) + 1;
    if (n > 1e6) throw cli::usage_error("--times '" + text + "': more than a million times; use a larger step");
    std::vector<double> times;
    for (std::int64_t i = 0; i < std::int64_t(n); ++i) times.push_back(std::min(b, a + double(i) * step));
    return times;
}

cli::po::options_description describe_options(expect_options& o) {
    namespace po = cli::po;
    auto d = cli::options_group("Options");
    d.add_options()
        ("params", cli::path_value(o.params)->required(), "params file (HDF5, SPEC §5)")
        ("times", po::value<std::string>()->required()->value_name("a:b:step")->notifier([&o](const std::string& s) {
             o.times = parse_time_grid(s);
         }),
         "times t at which to report E[lambda(t)] and E[n(t)] (from an empty history at t = 0)");
    return d;
}

} // namespace mic
