#include "launch/options/loglik_options.hpp"

#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
#include "io/time_parse.hpp"

namespace mic {
namespace {

// --from / --to: a number, or an ISO-8601 timestamp; syntax errors are usage errors (exit code 2).
cli::po::typed_value<std::string>* bound_value(std::optional<window_bound>& target, const char* option) {
    return cli::po::value<std::string>()->value_name("T")->notifier([&target, option](const std::string& text) {
        try {
            const bool iso = io::looks_like_iso8601(text);
            target = window_bound{iso ? io::parse_iso8601_seconds(text) : io::parse_finite_number(text), iso, text};
        } catch (const io::time_syntax_error& e) {
            throw cli::usage_error(std::string("--") + option + " '" + text + "': " + e.what() +
                                   "; give a number in the dataset's time unit or an ISO-8601 timestamp");
        }
    });
}

// A bound in the dataset's time. An ISO-8601 timestamp needs a dataset whose times have a calendar
// meaning: time t is the instant time_origin + t units, so t = (timestamp − origin) / unit.
double dataset_time(const window_bound& bound, const char* option, const dataset_header& header,
                    const std::string& data_name) {
    if (!bound.iso) return bound.value;
    const std::string given = std::string("--") + option + " " + bound.text;
    const double unit = io::seconds_per_time_unit(header.time_unit);
    const std::string as_number = "; give --" + std::string(option) + " as a number in the dataset's time unit";
    if (header.time_origin.empty())
        throw input_error(given + " is a calendar timestamp, but the times of " + data_name +
                          " are plain numbers without a calendar origin (no time_origin attribute)" + as_number);
    if (unit == 0)
        throw input_error(given + " is a calendar timestamp, but the time unit of " + data_name + " ('" +
                          header.time_unit + "') is not one of s, min, h, d" + as_number);
    double origin = 0;
    try {
        origin = io::parse_iso8601_seconds(header.time_origin);
    } catch (const io::time_syntax_error& e) {
        throw input_error(data_name + ": attribute time_origin '" + header.time_origin + "': " + e.what() +
                          as_number);
    }
    return (bound.value - origin) / unit;
}

} // namespace

cli::po::options_description describe_options(loglik_options& o) {
    namespace po = cli::po;
    auto d = cli::options_group("Options");
    d.add_options()
        ("data", cli::path_value(o.data)->required(), "dataset file (HDF5, from `mic import` or `mic generate`)")
        ("params", cli::path_value(o.params)->required(), "params file (HDF5, from `mic fit` or `mic generate`)")
        ("from", bound_value(o.from, "from"),
         "start a of the window (a, b], excluded: a number in the dataset's time unit, or an ISO-8601 timestamp "
         "for datasets imported with ISO times (default: the dataset's t_start)")
        ("to", bound_value(o.to, "to"), "end b of the window, included (default: the dataset's t_end)")
        ("test", po::bool_switch(&o.test),
         "score the held-out events: a = the end of the training window recorded in the params file by `mic fit` "
         "(train_end), so exactly the events the fit did not see")
        ("per-user", cli::path_value(o.per_user),
         "also write every user's contribution L_u and scored events to this file: .csv (user,name,loglik,n_events) "
         "or .h5 (HDF5)")
        ("force", po::bool_switch(&o.force), "overwrite the --per-user file if it exists");
    return d;
}

likelihood_window resolve_window(const loglik_options& options, const dataset_header& header,
                                 const std::string& data_name, std::optional<double> train_end) {
    likelihood_window w = whole_window(header);
    if (options.from) w.from = dataset_time(*options.from, "from", header, data_name);
    if (train_end) w.from = *train_end;
    if (options.to) w.to = dataset_time(*options.to, "to", header, data_name);
    w = dataset_window(header, w.from, w.to);
    // Built by appending: `"(" + string` trips a GCC 12 -Wrestrict false positive.
    std::string window = w.includes_from ? "[" : "(", observed = "[";
    window.append(shortest(w.from)).append(", ").append(shortest(w.to)).append("]");
    observed.append(shortest(header.t_start)).append(", ").append(shortest(header.t_end)).append("]");
    if (!(w.from < w.to))
        throw input_error("the window " + window + " is empty" +
                          (options.from || options.to ? std::string("; give --from a smaller than --to b (by default the dataset's t_end ") + shortest(header.t_end) + ")"
                                                      : "; " + data_name + " has an empty observation window " + observed));
    if (w.from < header.t_start || w.to > header.t_end)
        throw input_error("the window " + window + " reaches outside the observation window " + observed + " of " +
                          data_name + ", where the data say nothing; choose --from and --to inside it");
    return w;
}

} // namespace mic
