#include "launch/options/fit_options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"

namespace mic {

cli::po::options_description describe_options(fit_command_options& o) {
    auto d = cli::options_group("Options");
    d.add_options()
        ("data", cli::path_value(o.data)->required(), "dataset file (HDF5, from `mic import` or `mic generate`)")
        ("model", cli::po::value(&o.model)->required()->value_name("M"), "mic, linmic, cc or ic")
        ("beta", cli::po::value(&o.beta)->default_value(o.beta)->value_name("B"),
         "Boltzmann inverse temperature (mic, cc), in the dataset's time unit: it multiplies intensities in events "
         "per unit, so 1/beta is the intensity gap that sharpens the mixing (in seconds, 3600x its value in hours)")
        ("tau", cli::po::value(&o.tau)->required()->value_name("T"), "kernel time scale, in the dataset's time unit")
        ("out", cli::path_value(o.out)->required(), "params file to write (HDF5)")
        ("train-fraction", cli::po::value(&o.train_fraction)->default_value(o.train_fraction, shortest(o.train_fraction))->value_name("F"),
         "fit the first F of the events by time: the window [t_start, t_F]; 1 fits them all")
        ("tol", cli::po::value(&o.tol)->default_value(o.tol, "1e-6")->value_name("EPS"),
         "converged when the relative gain of the objective is below EPS and every KKT residual is within "
         "--user-tol and --sigma-tol")
        ("max-iter", cli::po::value(&o.max_iter)->default_value(o.max_iter)->value_name("N"), "at most N outer iterations")
        ("user-tol", cli::po::value(&o.user_tol)->default_value(o.user_tol, "1e-7")->value_name("EPS"),
         "KKT tolerance of each user's subproblem (scaled, dimensionless)")
        ("sigma-tol", cli::po::value(&o.sigma_tol)->default_value(o.sigma_tol, "1e-7")->value_name("EPS"),
         "KKT tolerance of the Sigma step (in units of probability)")
        ("mu-floor", cli::po::value(&o.mu_floor)->default_value(o.mu_floor, "0.1")->value_name("EPS"),
         "weak prior on the baselines: EPS pseudo-events per user and cascade spread over the training window "
         "(a MAP estimate; a cascade a user never started gets mu = EPS / window, so no held-out event is "
         "impossible); 0: the pure maximum-likelihood estimate")
        ("beta-path", cli::po::value(&o.beta_path)->default_value(o.beta_path)->value_name("LIST"),
         "mic, cc: continuation in beta. B1,B2,...: fit at each (ascending) below --beta, each from the last, "
         "then at --beta. 'auto': where the mixing is sharp (beta times the mean events per user and time unit "
         ">= 10) the path beta/1000, beta/100, beta/10, beta, else a cold start at --beta; when that does not "
         "converge, the other too, keeping the better. 'both': the path and the cold start always, keeping the "
         "better (the optimum reached depends on the start; twice the time). 'none': the cold start only")
        ("init", cli::path_value(o.init),
         "start from this params file (another beta, tau or model of the same users, cascades and graph; "
         "W is rescaled to keep w*tau; Sigma = I for cc and ic) instead of the default start")
        ("feature-memory", cli::po::value(&o.feature_memory_mb)->default_value(o.feature_memory_mb)->value_name("MB"),
         "memory per rank for stored kernel states (8*C*k bytes per event of a user with k in-neighbours): "
         "kept across iterations while they fit; the others' are built for the time of each one's solve (one "
         "sweep more per iteration); only a user whose states alone exceed it is recomputed at every evaluation")
        ("sigma-step", cli::po::value(&o.sigma_step)->default_value(o.sigma_step)->value_name("KIND"),
         "mic, linmic: 'profile' (Newton on the profile likelihood, M and W following Sigma; converges in a few "
         "iterations; costs O(C^4) per user), 'plain' (Alg. 1 as printed: Newton on Sigma with M and W held "
         "fixed; slow where Sigma and W trade off) or 'auto' (profile up to 16 cascades, plain beyond)")
        ("checkpoint", cli::path_value(o.checkpoint), "write the parameters here after every iteration")
        ("resume", cli::po::bool_switch(&o.resume), "continue from --checkpoint (same result as an uninterrupted run)")
        ("force", cli::po::bool_switch(&o.force), "overwrite --out");
    return d;
}

} // namespace mic

namespace mic {

continuation_options parse_beta_path(const std::string& text) {
    continuation_options c;
    c.automatic = text == "auto" || text == "both";
    c.both = text == "both";
    if (text == "auto" || text == "both" || text == "none") return c;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        char* end = nullptr;
        const double b = std::strtod(item.c_str(), &end);
        if (item.empty() || *end != '\0' || !(b > 0) || !std::isfinite(b))
            throw cli::usage_error("--beta-path '" + text + "': '" + item + "' is not a positive number; write auto, both, none or "
                                   "a list such as 10,100,1000");
        c.betas.push_back(b);
    }
    return c;
}

std::string canonical_beta_path(const continuation_options& path, double target_beta) {
    if (path.betas.empty()) return path.both ? "both" : path.automatic ? "auto" : "none";
    std::vector<double> betas = path.betas;
    std::erase_if(betas, [&](double b) { return !(b < target_beta); });  // the fit runs the target last anyway
    if (betas.empty()) return "none";  // a path of the target alone is a cold start at it
    std::sort(betas.begin(), betas.end());
    betas.erase(std::unique(betas.begin(), betas.end()), betas.end());
    std::string text;
    for (const double b : betas) {
        if (!text.empty()) text += ',';
        text += shortest(b);
    }
    return text;
}

model_variant check_options(const fit_command_options& o) {
    using cli::usage_error;
    const auto variant = parse_model_variant(o.model);
    if (!variant) throw usage_error("--model " + o.model + ": unknown model; use mic, linmic, cc or ic");
    if (!(o.tau > 0) || !std::isfinite(o.tau)) throw usage_error("--tau must be a positive number");
    if (!(o.beta >= 0)) throw usage_error("--beta must be a number in [0, 1e5]");
    if (!(o.beta <= 1e5)) {
        char in_hours[32];
        std::snprintf(in_hours, sizeof in_hours, "%.3g", o.beta / 3600);
        throw usage_error("--beta must be a number in [0, 1e5] (beyond it the mixing is saturated and the fit's residuals "
                          "lose their precision); beta is in the dataset's time unit: for a log in seconds, beta " +
                          shortest(o.beta) + " is beta " + in_hours + " in hours (import with --time-unit h, and --numeric-time-unit s "
                          "if the times are numbers), with tau in hours too");
    }
    if (o.beta == 0 && mixing_of(*variant) == mixing_kind::boltzmann)
        throw usage_error("--beta 0 with --model " + o.model + ": the mixing is then uniform over the cascades (f(c|t) = 1/C "
                          "whatever the history), so Sigma and the cascades' influence cannot be told apart; give beta > 0 "
                          "(mic cv --betas chooses it), or fit linmic or ic, which have no beta");
    if (!(o.train_fraction > 0 && o.train_fraction <= 1))
        throw usage_error("--train-fraction must be in (0, 1]; e.g. 0.8 fits the first 80 % of the events");
    if (!(o.tol >= 0)) throw usage_error("--tol must be >= 0");
    if (o.max_iter < 0) throw usage_error("--max-iter must be >= 0");
    if (!(o.user_tol > 0) || !(o.sigma_tol > 0)) throw usage_error("--user-tol and --sigma-tol must be > 0");
    if (!(o.mu_floor >= 0) || !std::isfinite(o.mu_floor)) throw usage_error("--mu-floor must be a number >= 0");
    feature_budget_bytes(o.feature_memory_mb);  // throws for a bad --feature-memory
    if (o.sigma_step != "auto" && o.sigma_step != "profile" && o.sigma_step != "plain")
        throw usage_error("--sigma-step " + o.sigma_step + ": unknown; use auto, profile or plain");
    if (o.resume && o.checkpoint.empty()) throw usage_error("--resume needs --checkpoint FILE (the file to resume from)");
    if (o.resume && !o.init.empty()) throw usage_error("--resume and --init both give the start; keep one");
    if (o.resume && !std::filesystem::exists(o.checkpoint))
        throw input_error(o.checkpoint.string() + ": no such checkpoint; drop --resume to start a new fit");
    return *variant;
}

std::size_t feature_budget_bytes(double megabytes) {
    if (!(megabytes >= 0 && megabytes <= 1e9))
        throw cli::usage_error("--feature-memory must be a number of MB in [0, 1e9] (memory per rank for stored "
                               "kernel states, e.g. 256; 0 keeps none)");
    return std::size_t(megabytes * 1048576.0);
}

fit_options engine_options(const fit_command_options& o) {
    fit_options e;
    e.tolerance = o.tol;
    e.max_iterations = o.max_iter;
    e.user.tolerance = o.user_tol;
    e.sigma.tolerance = o.sigma_tol;
    e.prior.pseudo_events = o.mu_floor;
    e.feature_budget_bytes = feature_budget_bytes(o.feature_memory_mb);
    e.gather_every_iteration = !o.checkpoint.empty();
    e.sigma_step = o.sigma_step == "profile" ? sigma_step_kind::profile
                   : o.sigma_step == "plain" ? sigma_step_kind::plain
                                             : sigma_step_kind::automatic;
    return e;
}

} // namespace mic
