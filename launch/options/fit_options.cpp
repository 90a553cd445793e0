#include "launch/options/fit_options.hpp"

namespace mic {

cli::po::options_description describe_options(fit_command_options& o) {
    auto d = cli::options_group("Options");
    d.add_options()
        ("data", cli::path_value(o.data)->required(), "dataset file (HDF5, from `mic import` or `mic generate`)")
        ("model", cli::po::value(&o.model)->required()->value_name("M"), "mic, linmic, cc or ic")
        ("beta", cli::po::value(&o.beta)->default_value(o.beta)->value_name("B"), "Boltzmann inverse temperature (mic, cc)")
        ("tau", cli::po::value(&o.tau)->required()->value_name("T"), "kernel time scale, in the dataset's time unit")
        ("out", cli::path_value(o.out)->required(), "params file to write (HDF5)")
        ("train-fraction", cli::po::value(&o.train_fraction)->default_value(o.train_fraction)->value_name("F"),
         "fit the first F of the events by time: the window (t_start, t_F]")
        ("tol", cli::po::value(&o.tol)->default_value(o.tol, "1e-6")->value_name("EPS"),
         "converged when the relative gain of the objective is below EPS and every KKT residual is within\n"
         "--user-tol and --sigma-tol")
        ("max-iter", cli::po::value(&o.max_iter)->default_value(o.max_iter)->value_name("N"), "at most N outer iterations")
        ("user-tol", cli::po::value(&o.user_tol)->default_value(o.user_tol, "1e-7")->value_name("EPS"),
         "KKT tolerance of each user's subproblem (scaled, dimensionless)")
        ("sigma-tol", cli::po::value(&o.sigma_tol)->default_value(o.sigma_tol, "1e-7")->value_name("EPS"),
         "KKT tolerance of the Sigma step (in units of probability)")
        ("mu-floor", cli::po::value(&o.mu_floor)->default_value(o.mu_floor, "0.1")->value_name("EPS"),
         "weak prior on the baselines: EPS pseudo-events per user and cascade spread over the training window\n"
         "(a MAP estimate; a cascade a user never started gets mu = EPS / window, so no held-out event is\n"
         "impossible); 0: the pure maximum-likelihood estimate")
        ("beta-path", cli::po::value(&o.beta_path)->default_value(o.beta_path)->value_name("LIST"),
         "mic, cc: continuation in beta. B1,B2,...: fit at each (ascending) below --beta, each from the last,\n"
         "then at --beta. 'auto': a cold start at --beta, and when it does not converge also the path\n"
         "beta/1000, beta/100, beta/10, beta, keeping the better. 'none': the cold start only")
        ("init", cli::path_value(o.init),
         "start from this params file (another beta, tau or model of the same users, cascades and graph;\n"
         "W is rescaled to keep w*tau; Sigma = I for cc and ic) instead of the default start")
        ("feature-memory", cli::po::value(&o.feature_memory_mb)->default_value(o.feature_memory_mb)->value_name("MB"),
         "memory per rank for stored kernel states; users beyond it are streamed")
        ("sigma-step", cli::po::value(&o.sigma_step)->default_value(o.sigma_step)->value_name("KIND"),
         "mic, linmic: 'profile' (Newton on the profile likelihood, M and W following Sigma; converges in a few\n"
         "iterations; costs O(C^4) per user), 'plain' (Alg. 1 as printed: Newton on Sigma with M and W held\n"
         "fixed; slow where Sigma and W trade off) or 'auto' (profile up to 16 cascades, plain beyond)")
        ("checkpoint", cli::path_value(o.checkpoint), "write the parameters here after every iteration")
        ("resume", cli::po::bool_switch(&o.resume), "continue from --checkpoint (same result as an uninterrupted run)")
        ("force", cli::po::bool_switch(&o.force), "overwrite --out");
    return d;
}

} // namespace mic
