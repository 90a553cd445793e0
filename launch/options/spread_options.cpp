#include "launch/options/spread_options.hpp"

#include "io/time_parse.hpp"

#include <cmath>

#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"

namespace mic {

cli::po::options_description describe_options(spread_options& o) {
    namespace po = cli::po;
    auto d = cli::options_group("Options");
    d.add_options()
        ("data", cli::path_value(o.data)->required(), "dataset file (HDF5, from `mic import` or `mic generate-topics`)")
        ("train-until", bound_value(o.train_until, "train-until")->required(),
         "training cut: Q is fitted on the posts at or before T; inside (t_start, t_end). A number in the dataset's "
         "time unit, or an ISO-8601 timestamp for datasets imported with ISO times")
        ("window", po::value(&o.window)->required()->value_name("W"),
         "width of one period (the paper's day): a number in the dataset's time unit, or with a suffix s, min, h, d "
         "(e.g. 1d, 12h, 30min) when the dataset's time unit is one of those")
        ("periods", po::value(&o.periods)->required()->value_name("K"),
         "number of test periods after the cut; they must end by the dataset's t_end")
        ("out", cli::path_value(o.out)->required(),
         "results file (HDF5); the series are also written to OUT-truth.csv beside it (for benchmarks/arima_baseline.py)")
        ("top-k", po::value(&o.top_k)->default_value(100)->value_name("K"),
         "evaluate the K users with the largest predicted spreading size over the test span")
        ("random-k", po::value(&o.random_k)->default_value(100)->value_name("K"), "evaluate K users drawn at random")
        ("seed", cli::seed_value(o.seed, "seed")->default_value("1"), "seed of the random users and of the IC runs")
        ("follow-graph", po::bool_switch(&o.follow_graph),
         "count a transition i -> j only when j follows i in the dataset's graph")
        ("min-delay", po::value(&o.min_delay)->default_value(0.0)->value_name("D"),
         "delays below D count as D (the data's time resolution). Uniformisation costs about max_i q_i * t products "
         "with Q, and q_i = 1/mean delay: on data with near-zero delays a positive D bounds that cost")
        ("max-terms", po::value(&o.max_terms)->default_value(10'000'000)->value_name("N"),
         "refuse a propagation needing more than N products with Q")
        ("tol", po::value(&o.tolerance)->default_value(1e-8)->value_name("E"),
         "uniformisation: bound on the error of every spreading size, in posts")
        ("method", po::value(&o.method)->default_value("uniformization")->value_name("M"),
         "uniformization (error-bounded) or taylor (the paper's (I + Qt/n)^n)")
        ("taylor-steps", po::value(&o.taylor_steps)->default_value(1000)->value_name("N"), "n of --method taylor")
        ("ic-step", po::value<std::string>()->value_name("W")->notifier([&o](const std::string& s) { o.ic_step = s; }),
         "time step of the Independent Cascade baseline, a duration like --window (default: --window)")
        ("ic-runs", po::value(&o.ic_runs)->default_value(1000)->value_name("N"),
         "Monte Carlo cascades per user for IC predictions of two or more steps")
        ("extrapolate-posts", po::bool_switch(&o.extrapolate_posts),
         "predict each test period from the user's training posting rate instead of its actual test posts")
        ("force", po::bool_switch(&o.force), "overwrite --out and its -truth.csv if they exist");
    return d;
}

double parse_duration(const std::string& text, const std::string& option, const std::string& time_unit) {
    std::size_t used = 0;
    double value = 0.0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        throw cli::usage_error("--" + option + " '" + text + "' is not a duration; give a number in the dataset's time unit, "
                          "or a number with a suffix s, min, h or d");
    }
    const std::string suffix = text.substr(used);
    if (!suffix.empty()) {
        const double from = io::seconds_per_time_unit(suffix), to = io::seconds_per_time_unit(time_unit);
        if (from == 0)
            throw cli::usage_error("--" + option + " '" + text + "': unknown unit '" + suffix + "'; use s, min, h or d");
        if (to == 0)
            throw input_error("--" + option + " '" + text + "' has a unit, but the dataset's time unit ('" + time_unit +
                              "') is not one of s, min, h, d; give a plain number in the dataset's time unit");
        value = value * from / to;
    }
    if (!(value > 0.0) || !std::isfinite(value))
        throw cli::usage_error("--" + option + " '" + text + "' must be a positive, finite duration");
    return value;
}

spread_plan resolve_plan(const spread_options& o, const dataset_header& h, const std::string& data_name) {
    spread_plan plan;
    // Built by appending: `"[" + string` trips a GCC 12 -Wrestrict false positive.
    std::string observed = "[";
    observed.append(shortest(h.t_start)).append(", ").append(shortest(h.t_end)).append("]");
    const double train_until = dataset_time(*o.train_until, "train-until", h, data_name);
    if (o.periods <= 0 || o.periods > 1'000'000)
        throw cli::usage_error("--periods " + std::to_string(o.periods) + " must be between 1 and 1000000");
    if (!(train_until > h.t_start && train_until < h.t_end))
        throw input_error("--train-until " + shortest(train_until) + " is outside the observation window " + observed +
                          " of " + data_name + "; choose a cut strictly inside it");
    plan.window = parse_duration(o.window, "window", h.time_unit);
    plan.ic_step = o.ic_step ? parse_duration(*o.ic_step, "ic-step", h.time_unit) : plan.window;
    plan.train_until = train_until;
    plan.periods = static_cast<std::int32_t>(o.periods);
    const double test_end = train_until + static_cast<double>(o.periods) * plan.window;
    if (test_end > h.t_end + 1e-9 * std::max(1.0, std::abs(h.t_end)))
        throw input_error("--train-until " + shortest(train_until) + " plus --periods " + std::to_string(o.periods) +
                          " of --window " + shortest(plan.window) + " ends at " + shortest(test_end) +
                          ", past the end " + shortest(h.t_end) + " of " + data_name +
                          "; use fewer periods, a shorter window or an earlier cut");
    const double fit = std::floor((train_until - h.t_start) / plan.window * (1 + 1e-12));
    plan.training_periods = static_cast<std::int32_t>(std::min(fit, 1e6));
    plan.training_start = train_until - static_cast<double>(plan.training_periods) * plan.window;
    if (o.top_k < 0 || o.random_k < 0) throw cli::usage_error("--top-k and --random-k must be >= 0");
    if (o.top_k + o.random_k == 0) throw cli::usage_error("--top-k and --random-k are both 0: nothing to evaluate");
    if (!(o.min_delay >= 0.0) || !std::isfinite(o.min_delay)) throw cli::usage_error("--min-delay must be >= 0");
    if (!(o.tolerance > 0.0 && o.tolerance < 1.0)) throw cli::usage_error("--tol must be in (0, 1)");
    if (o.max_terms < 1) throw cli::usage_error("--max-terms must be >= 1");
    if (o.taylor_steps < 1) throw cli::usage_error("--taylor-steps must be >= 1");
    if (o.ic_runs < 1) throw cli::usage_error("--ic-runs must be >= 1");
    if (o.method == "uniformization" || o.method == "uniformisation")
        plan.propagation.method = propagation_method::uniformization;
    else if (o.method == "taylor")
        plan.propagation.method = propagation_method::taylor;
    else
        throw cli::usage_error("--method '" + o.method + "' is unknown; use uniformization or taylor");
    plan.propagation.tolerance = o.tolerance;
    plan.propagation.taylor_steps = o.taylor_steps;
    plan.propagation.max_terms = o.max_terms;
    plan.top_k = o.top_k;
    plan.random_k = o.random_k;
    plan.ic_runs = o.ic_runs;
    plan.seed = o.seed;
    plan.follow_graph = o.follow_graph;
    plan.extrapolate_posts = o.extrapolate_posts;
    plan.min_delay = o.min_delay;
    plan.data_name = o.data.string();
    if (o.extrapolate_posts && plan.training_periods < 1)
        throw input_error("--extrapolate-posts needs at least one whole --window before --train-until");
    return plan;
}

} // namespace mic
