#include "launch/options/cv_options.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "launch/options/fit_options.hpp"
#include "engine/support/text_format.hpp"

namespace mic {
namespace {

std::vector<std::string> items(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) out.push_back(item);
    return out;
}

std::vector<double> positive_numbers(const std::string& text, const char* option) {
    std::vector<double> out;
    for (const auto& item : items(text)) {
        char* end = nullptr;
        const double x = std::strtod(item.c_str(), &end);
        if (item.empty() || *end != '\0' || !(x > 0) || !std::isfinite(x))
            throw cli::usage_error(std::string("--") + option + " '" + text + "': '" + item +
                                   "' is not a positive number; give a comma-separated list such as 10,100,1000");
        out.push_back(x);
    }
    if (out.empty()) throw cli::usage_error(std::string("--") + option + ": give at least one value");
    return out;
}

} // namespace

cli::po::options_description describe_options(cv_command_options& o) {
    namespace po = cli::po;
    auto d = cli::options_group("Options");
    d.add_options()
        ("data", cli::path_value(o.data)->required(), "dataset file (HDF5)")
        ("model", po::value(&o.models)->default_value(o.models)->value_name("M[,M...]"), "models of the grid: mic, linmic, cc, ic")
        ("betas", po::value(&o.betas)->default_value(o.betas)->value_name("LIST"), "beta values (mic, cc), e.g. 10,100,1000,10000")
        ("taus", po::value(&o.taus)->required()->value_name("LIST"), "tau values, in the dataset's time unit, e.g. 1,6,60")
        ("folds", po::value(&o.folds)->default_value(o.folds)->value_name("K"),
         "validation blocks (rolling origin): fold k fits before block k and scores block k")
        ("train-fraction", po::value(&o.train_fraction)->default_value(o.train_fraction, shortest(o.train_fraction))->value_name("F"),
         "the training part is the first F of the events by time; the rest (the test part) is never read")
        ("validation", po::value(&o.validation)->default_value(o.validation, shortest(o.validation))->value_name("V"),
         "the last V of the training part's events form the K validation blocks")
        ("out", cli::path_value(o.out)->required(), "params file of the best point, refitted on the whole training part")
        ("state", cli::path_value(o.state), "directory of finished points, so that a rerun resumes (default: OUT.cv)")
        ("tol", po::value(&o.tol)->default_value(o.tol, "1e-6")->value_name("EPS"), "as mic fit --tol")
        ("max-iter", po::value(&o.max_iter)->default_value(o.max_iter)->value_name("N"), "as mic fit --max-iter")
        ("mu-floor", po::value(&o.mu_floor)->default_value(o.mu_floor, "0.1")->value_name("EPS"), "as mic fit --mu-floor")
        ("feature-memory", po::value(&o.feature_memory_mb)->default_value(o.feature_memory_mb)->value_name("MB"),
         "as mic fit --feature-memory (per rank; each fit of the grid uses it in turn)")
        ("force", po::bool_switch(&o.force), "overwrite --out, and start over a --state left by other data or options");
    return d;
}

cv_grid parse_grid(const cv_command_options& o) {
    cv_grid g;
    for (const auto& name : items(o.models)) {
        const auto v = parse_model_variant(name);
        if (!v) throw cli::usage_error("--model '" + o.models + "': '" + name + "' is not mic, linmic, cc or ic");
        g.variants.push_back(*v);
    }
    if (g.variants.empty()) throw cli::usage_error("--model: give at least one model");
    g.betas = positive_numbers(o.betas, "betas");
    g.taus = positive_numbers(o.taus, "taus");
    const auto refuse_repeats = [](const std::vector<double>& values, const char* option) {
        for (std::size_t i = 0; i < values.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (values[i] == values[j])
                    throw cli::usage_error(std::string("--") + option + ": " + shortest(values[i]) + " is given twice; list each value once");
    };
    refuse_repeats(g.betas, "betas");
    refuse_repeats(g.taus, "taus");
    for (std::size_t i = 0; i < g.variants.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (g.variants[i] == g.variants[j])
                throw cli::usage_error("--model '" + o.models + "': " + std::string(name_of(g.variants[i])) + " is given twice; list each model once");
    for (const double b : g.betas)
        if (b > 1e5)
            throw cli::usage_error("--betas: " + shortest(b) + " is above 1e5 (the mixing is saturated beyond it); beta is "
                                   "in the dataset's time unit: for a log in seconds, count it in hours (beta / 3600): import with "
                                   "--time-unit h, and --numeric-time-unit s if the times are numbers");
    if (o.folds < 1 || o.folds > 100) throw cli::usage_error("--folds must be in [1, 100]");
    if (!(o.train_fraction > 0 && o.train_fraction <= 1)) throw cli::usage_error("--train-fraction must be in (0, 1]");
    if (!(o.validation > 0 && o.validation < 1)) throw cli::usage_error("--validation must be in (0, 1)");
    if (!(o.tol >= 0) || o.max_iter < 0 || !(o.mu_floor >= 0)) throw cli::usage_error("need --tol >= 0, --max-iter >= 0, --mu-floor >= 0");
    feature_budget_bytes(o.feature_memory_mb);  // throws for a bad --feature-memory
    return g;
}

} // namespace mic
