// `mic fit`: Alg. 1 (SPEC §2 "Inference") on the training part of a dataset, users sharded across
// ranks by estimated work, with a baseline prior, continuation in β, warm starts, checkpoints and
// --resume.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "engine/distributed/checked_section.hpp"
#include "engine/inference/beta_path.hpp"
#include "engine/inference/cost_partition.hpp"
#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
#include "io/atomic_output.hpp"
#include "io/dataset_file.hpp"
#include "io/file_checksum.hpp"
#include "io/hdf5_file.hpp"
#include "io/output_paths.hpp"
#include "io/params_file.hpp"
#include "io/shard_read.hpp"
#include "launch/cli/console.hpp"
#include "launch/cli/version.hpp"
#include "launch/commands/commands.hpp"
#include "launch/options/fit_options.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "fit",
    "--data D.h5 --model mic|linmic|cc|ic --tau T [--beta B] --out P.h5 [--train-fraction F] [options]",
    "Fit a MIC model (or linMIC, CC, IC) to the first part of a dataset by alternating maximisation (Alg. 1).",
    "Maximises the log-likelihood of the events in the training window (t_start, t_F], where t_F is the\n"
    "time of the event at quantile F of all events by time (--train-fraction, default 1: the whole window),\n"
    "plus a weak prior on the baselines (--mu-floor: EPS pseudo-events per user and cascade, so that no\n"
    "held-out event is impossible; 0 gives the pure maximum-likelihood estimate).\n\n"
    "Each outer iteration takes a Sigma step (mic, linmic) and then a user step (every user's mu and\n"
    "in-weights by projected Newton with the exact Hessian, in parallel). The Sigma step is a Newton step\n"
    "on the profile likelihood max_{M,W} L (M and W following Sigma; --sigma-step auto up to 16 cascades),\n"
    "followed by Newton iterations on Sigma with M and W fixed until Sigma is optimal for them (what moves\n"
    "Sigma at large beta, where the mixing saturates and L is nearly piecewise linear in Sigma).\n"
    "It converges when the relative gain is below --tol AND every user's KKT residual is within --user-tol\n"
    "AND Sigma's within --sigma-tol; otherwise it says what did not converge and what to try. At large beta\n"
    "a cold start may not converge: --beta-path auto (the default) then also fits along beta/1000 ... beta,\n"
    "each from the last, and keeps the better. --init starts from another params file of the same data.\n\n"
    "Users are spread over the ranks by work; the result does not depend on the number of ranks (to about\n"
    "1e-12 relative). With --checkpoint the parameters are written after every iteration (atomically);\n"
    "--resume continues from that file (same data, window and options) and gives the same result as an\n"
    "uninterrupted run. The output records the loglik, the training window, iterations, convergence, KKT\n"
    "residuals, rho(W)*tau (a warning when >= 1: supercritical) and provenance.",
    "  mic fit --data data.h5 --model mic --beta 33 --tau 3 --out fit.h5\n"
    "  mpirun -n 8 mic fit --data data.h5 --model cc --beta 5000 --tau 6 --train-fraction 0.8 --out cc.h5 --json\n"
    "  mic fit --data data.h5 --model mic --beta 1e4 --tau 6 --beta-path 10,100,1000 --out fit.h5\n"
    "  mic fit --data data.h5 --model mic --beta 1e4 --tau 6 --init cc.h5 --out fit.h5\n"
    "  mic fit --data data.h5 --model mic --tau 3 --out fit.h5 --checkpoint fit.ckpt.h5 --resume",
};

std::string command_line(std::span<const std::string> args) {
    std::string line = "mic fit";
    for (const auto& a : args) line += " " + a;
    return line;
}

// --beta-path: "auto", "none" or ascending positive numbers separated by commas.
continuation_options parse_beta_path(const std::string& text) {
    continuation_options c;
    c.automatic = text == "auto";
    if (text == "auto" || text == "none") return c;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        char* end = nullptr;
        const double b = std::strtod(item.c_str(), &end);
        if (item.empty() || *end != '\0' || !(b > 0) || !std::isfinite(b))
            throw usage_error("--beta-path '" + text + "': '" + item + "' is not a positive number; write auto, none or "
                              "a list such as 10,100,1000");
        c.betas.push_back(b);
    }
    return c;
}

model_variant check_options(const fit_command_options& o) {
    const auto variant = parse_model_variant(o.model);
    if (!variant) throw usage_error("--model " + o.model + ": unknown model; use mic, linmic, cc or ic");
    if (!(o.tau > 0) || !std::isfinite(o.tau)) throw usage_error("--tau must be a positive number");
    if (!(o.beta >= 0) || !(o.beta <= 1e5)) throw usage_error("--beta must be a number in [0, 1e5]");
    if (!(o.train_fraction > 0 && o.train_fraction <= 1))
        throw usage_error("--train-fraction must be in (0, 1]; e.g. 0.8 fits the first 80 % of the events");
    if (!(o.tol >= 0)) throw usage_error("--tol must be >= 0");
    if (o.max_iter < 0) throw usage_error("--max-iter must be >= 0");
    if (!(o.user_tol > 0) || !(o.sigma_tol > 0)) throw usage_error("--user-tol and --sigma-tol must be > 0");
    if (!(o.mu_floor >= 0) || !std::isfinite(o.mu_floor)) throw usage_error("--mu-floor must be a number >= 0");
    if (o.sigma_step != "auto" && o.sigma_step != "profile" && o.sigma_step != "plain")
        throw usage_error("--sigma-step " + o.sigma_step + ": unknown; use auto, profile or plain");
    if (o.resume && o.checkpoint.empty()) throw usage_error("--resume needs --checkpoint FILE (the file to resume from)");
    if (o.resume && !o.init.empty()) throw usage_error("--resume and --init both give the start; keep one");
    if (o.resume && !std::filesystem::exists(o.checkpoint))
        throw input_error(o.checkpoint.string() + ": no such checkpoint; drop --resume to start a new fit");
    return *variant;
}

// What rank 0 learns from the file before the collective read: the window and the partition.
struct fit_plan {
    double from = 0, to = 0;
    std::int64_t n_events = 0;        // in the training window
    std::vector<std::int32_t> first;  // size + 1 cut points
    double max_work = 0, mean_work = 0;
};

fit_plan plan_fit(const fit_command_options& o, int n_ranks) {
    io::dataset_index index = io::read_dataset_index(o.data, true);  // validated before any use
    fit_plan plan;
    plan.from = index.header.t_start;
    plan.to = index.header.t_end;
    std::vector<double>& times = index.time;
    if (o.train_fraction < 1 && !times.empty()) {
        // t_F = the time of the event at quantile F (the ⌈F·N⌉-th event by time).
        const auto k = std::size_t(std::max<double>(1.0, std::ceil(o.train_fraction * double(times.size())))) - 1;
        std::nth_element(times.begin(), times.begin() + std::ptrdiff_t(k), times.end());
        plan.to = times[k];
        if (!(plan.to > plan.from))
            throw input_error("--train-fraction " + shortest(o.train_fraction) + ": the training window (" +
                              shortest(plan.from) + ", " + shortest(plan.to) + "] is empty; use a larger fraction");
    }
    plan.n_events = std::count_if(times.begin(), times.end(), [&](double t) { return t > plan.from && t <= plan.to; });
    if (plan.n_events == 0)
        throw input_error(o.data.string() + ": no event in the training window (" + shortest(plan.from) + ", " +
                          shortest(plan.to) + "]; there is nothing to fit (check the dataset or --train-fraction)");
    if (!o.init.empty()) {
        // The warm start must belong to this dataset: same users, cascades and in-neighbour lists.
        const model_params from = io::read_params(o.init);
        const std::string where = o.init.string() + " (--init)";
        if (from.n_users != index.header.n_users || from.n_cascades != index.header.n_cascades)
            throw input_error(where + ": the parameters are for " + std::to_string(from.n_users) + " users and " +
                              std::to_string(from.n_cascades) + " cascades but " + o.data.string() + " has " +
                              std::to_string(index.header.n_users) + " and " + std::to_string(index.header.n_cascades) +
                              "; start from params fitted on this dataset");
        if (from.in_offsets != index.in_offsets || from.in_source != index.in_source)
            throw input_error(where + ": its influence graph differs from the graph of " + o.data.string() +
                              "; start from params fitted on this dataset");
    }
    const auto work = user_work(index.user_offsets, index.in_offsets, index.in_source);
    const auto partition = range_partition::balanced(work, n_ranks);
    plan.first.assign(partition.first.begin(), partition.first.end());
    plan.max_work = work_imbalance(partition, work);
    plan.mean_work = 1;
    return plan;
}

std::string three_digits(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", x);
    return text;
}

std::string progress_line(const fit_progress& p, bool show_beta) {
    char line[320];
    std::snprintf(line, sizeof line, "%siteration %3d  loglik %.12g  gain %s  max|dSigma| %.3g%s%s  %.3fs  rank time share %.2f-%.2f",
                  show_beta ? ("beta " + shortest(p.beta) + "  ").c_str() : "", p.iteration, p.loglik,
                  p.gain ? three_digits(*p.gain).c_str() : "-", p.max_sigma_change, p.profile_step ? " (profile step)" : "",
                  p.plain_step ? " (plain step)" : "", p.seconds, p.min_time_share, p.max_time_share);
    std::string text = line;
    if (p.users_not_converged)
        text.append("  (").append(std::to_string(p.users_not_converged)).append(" users above --user-tol, largest ")
            .append(three_digits(p.user_kkt)).append(")");
    return text;
}

std::string joined(const std::vector<path_stage>& stages) {
    std::string s;
    for (const auto& st : stages) {
        if (!s.empty()) s += ',';
        s += shortest(st.beta);
    }
    return s;
}

// The resume checks: the checkpoint must come from the same dataset, window, model and options.
void check_checkpoint(const fit_command_options& o, model_variant variant, const fit_plan& plan, const std::string& checksum,
                      const model_params& p, const io::params_provenance& previous, const continuation_options& path) {
    const std::string name = o.checkpoint.string();
    const auto refuse = [&](const std::string& why) {
        throw input_error(name + ": " + why + "; resume with the options of the interrupted run, or drop --resume");
    };
    std::vector<double> betas = path.betas.empty() && path.automatic ? automatic_betas(o.beta, path.automatic_decades) : path.betas;
    const bool on_path = p.beta == o.beta || std::find(betas.begin(), betas.end(), p.beta) != betas.end();
    if (p.variant != variant || p.tau != o.tau || (mixing_of(variant) == mixing_kind::boltzmann && !on_path))
        refuse("the checkpoint is for --model " + std::string(name_of(p.variant)) + " --beta " + shortest(p.beta) + " --tau " +
               shortest(p.tau));
    if (!previous.iterations || !previous.loglik) refuse("not a checkpoint of mic fit (no iterations/loglik)");
    if (previous.dataset_checksum != checksum) refuse("it was written for another dataset (checksum differs from " + o.data.string() + ")");
    if (previous.train_end != plan.to || previous.train_start != plan.from)
        refuse("its training window differs from (" + shortest(plan.from) + ", " + shortest(plan.to) + "] (another --train-fraction?)");
    if (previous.mu_floor.value_or(0) != o.mu_floor) refuse("it was fitted with another --mu-floor");
}

int run(std::span<const std::string> args, const communicator& comm) {
    fit_command_options o;
    const auto parsed = parse_on_all_ranks(help, describe_options(o), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "fit");

    // 1. Rank 0: checks, the training window, the cost partition, the outputs reserved (temporaries
    //    removed if anything fails; renamed at the end), the dataset checksum.
    fit_plan plan;
    std::optional<io::atomic_output> output;
    std::string checksum;
    model_variant variant = model_variant::mic;
    continuation_options path;
    run_checked_on_root(comm, [&] {
        variant = check_options(o);
        path = parse_beta_path(o.beta_path);
        io::check_outputs_apart({{"--out", o.out}, {"--checkpoint", o.checkpoint}},
                                {{"--data", o.data}, {"--init", o.init}});
        if (!o.resume && !o.checkpoint.empty() && !o.force && std::filesystem::exists(o.checkpoint))
            throw input_error(o.checkpoint.string() + ": exists; add --resume to continue from it, --force to start over, or "
                              "choose another --checkpoint");
        output.emplace(o.out, o.force);
        plan = plan_fit(o, comm.size());
        checksum = io::file_checksum(o.data);
    });
    comm.broadcast(variant);
    comm.broadcast(plan.from);
    comm.broadcast(plan.to);
    comm.broadcast(plan.first);
    comm.broadcast(plan.max_work);
    comm.broadcast(plan.mean_work);
    comm.broadcast(path.betas);
    comm.broadcast(path.automatic);
    const likelihood_window window{plan.from, plan.to};
    out.log("training window (" + shortest(window.from) + ", " + shortest(window.to) + "]; work per rank max/mean " +
            shortest(plan.mean_work > 0 ? plan.max_work / plan.mean_work : 1.0));

    // 2. Each rank reads its users' events and their in-neighbours' (collective, parallel HDF5).
    std::vector<std::int32_t> owned(std::size_t(plan.first[std::size_t(comm.rank()) + 1] - plan.first[std::size_t(comm.rank())]));
    for (std::size_t i = 0; i < owned.size(); ++i) owned[i] = plan.first[std::size_t(comm.rank())] + std::int32_t(i);
    const shard data = io::read_shard(o.data, owned, comm);

    // 3. The options of the engine, and the starting point: the checkpoint (--resume), --init, or the
    //    default start.
    fit_options engine_options;
    engine_options.tolerance = o.tol;
    engine_options.max_iterations = o.max_iter;
    engine_options.user.tolerance = o.user_tol;
    engine_options.sigma.tolerance = o.sigma_tol;
    engine_options.prior.pseudo_events = o.mu_floor;
    engine_options.feature_budget_bytes = std::size_t(std::max(0.0, o.feature_memory_mb) * 1048576.0);
    engine_options.gather_every_iteration = !o.checkpoint.empty();
    engine_options.sigma_step = o.sigma_step == "profile" ? sigma_step_kind::profile
                                : o.sigma_step == "plain" ? sigma_step_kind::plain
                                                          : sigma_step_kind::automatic;
    if (learns_sigma(variant))
        out.log(std::string("Sigma-step: ") +
                (uses_profile_step(engine_options.sigma_step, data.header.n_cascades) ? "profile Newton, then plain"
                                                                                        : "plain (M, W fixed)") +
                (o.sigma_step == "auto" ? " (--sigma-step auto, " + std::to_string(data.header.n_cascades) + " cascades)" : ""));
    model_params start;
    std::string init_note;
    const bool has_beta = mixing_of(variant) == mixing_kind::boltzmann;
    if (o.resume) {
        io::params_provenance previous;
        std::int64_t iteration = 0;
        double objective = 0;
        run_checked_on_root(comm, [&] {
            const model_params p = io::read_params(o.checkpoint, &previous);
            check_checkpoint(o, variant, plan, checksum, p, previous, path);
            iteration = *previous.iterations;
            objective = *previous.loglik + previous.log_prior.value_or(0);
        });
        comm.broadcast(iteration);
        comm.broadcast(objective);
        start = io::read_params(o.checkpoint, comm);
        engine_options.start_iteration = int(iteration);
        if (iteration > 0) engine_options.previous_objective = objective;
        out.log("resuming from " + o.checkpoint.string() + " after iteration " + std::to_string(iteration) +
                (has_beta ? " at beta " + shortest(start.beta) : ""));
    } else if (!o.init.empty()) {
        const model_params from = io::read_params(o.init, comm);  // checked against the dataset in plan_fit
        start = warm_start(from, variant, path.betas.empty() ? o.beta : *std::min_element(path.betas.begin(), path.betas.end()), o.tau);
        init_note = o.init.string();
        out.log("starting from " + o.init.string() + " (" + std::string(name_of(from.variant)) + ", tau " + shortest(from.tau) + ")");
    } else {
        const shard_kernels kernels(data, o.tau, window);
        start = initial_params(kernels, variant, o.beta, o.tau);
    }
    if (!path.betas.empty() && !o.resume) start.beta = std::min(o.beta, *std::min_element(path.betas.begin(), path.betas.end()));

    // What the params files record (the checkpoint after every iteration, the output at the end).
    auto provenance = [&](double loglik, double log_prior, std::int64_t iterations) {
        io::params_provenance p;
        p.loglik = loglik;
        p.log_prior = log_prior;
        p.mu_floor = o.mu_floor;
        p.iterations = iterations;
        p.train_start = window.from;
        p.train_end = window.to;
        p.train_fraction = o.train_fraction;
        p.init = init_note;
        p.dataset_path = o.data.string();
        p.dataset_checksum = checksum;
        p.command_line = command_line(args);
        p.version = version_string();
        p.n_ranks = comm.size();
        return p;
    };

    // 4. Alg. 1 (along a β path when asked or needed). The callback runs on every rank at the same
    //    point of every iteration, so the checkpoint write (rank 0, run_checked_on_root) is a
    //    collective all ranks reach.
    const bool show_beta = has_beta && (!path.betas.empty() || path.automatic);
    const continued_fit fitted = fit_with_continuation(
        comm, data, window, start, o.beta, engine_options, path, [&](const fit_progress& p, const model_params* all) {
            out.log(progress_line(p, show_beta));
            if (!all) return;
            run_checked_on_root(comm, [&] {
                io::write_params(o.checkpoint, *all, provenance(p.loglik, p.objective - p.loglik, p.iteration), true);
            });
        });
    const fit_result& result = fitted.result;
    if (fitted.automatic_path_run)
        out.log("the cold start at beta " + shortest(o.beta) + " did not converge; fitted along beta " + joined(fitted.stages) +
                ": kept the " + (fitted.kept_automatic_path ? "beta path" : "cold start") + " (larger objective)");
    if (!result.converged) out.warn(result.diagnosis(engine_options));
    if (result.rho_tau >= 1)
        out.warn("the fitted influence is supercritical: rho(W)*tau = " + shortest(result.rho_tau) +
                 " >= 1; simulation from it explodes without --max-events (mic simulate bounds it by default)");

    // 5. Rank 0 writes the result, then prints.
    run_checked_on_root(comm, [&] {
        io::params_provenance p = provenance(result.loglik, result.log_prior, result.iterations);
        p.converged = result.converged;
        p.stop = std::string(name_of(result.stop));
        p.sigma_kkt = result.sigma_kkt;
        p.user_kkt = result.max_user_kkt;
        p.users_not_converged = result.users_not_converged;
        p.rho_tau = result.rho_tau;
        if (has_beta) p.beta_path = joined(fitted.stages);
        io::write_params(output->temp_path(), result.params, p, true);
        output->commit();
        nlohmann::json stages = nlohmann::json::array();
        for (const auto& s : fitted.stages)
            stages.push_back({{"beta", s.beta}, {"loglik", s.loglik}, {"objective", s.objective},
                              {"iterations", s.iterations}, {"converged", s.converged}});
        nlohmann::json j{{"data", o.data.string()},        {"out", o.out.string()},
                         {"model", name_of(variant)},       {"tau", o.tau},
                         {"from", window.from},             {"to", window.to},
                         {"train_start", window.from},      {"train_end", window.to},
                         {"n_events", plan.n_events},       {"loglik", result.loglik},
                         {"log_prior", result.log_prior},   {"objective", result.objective()},
                         {"mu_floor", o.mu_floor},          {"iterations", result.iterations},
                         {"converged", result.converged},   {"stop", name_of(result.stop)},
                         {"user_kkt", result.max_user_kkt}, {"users_not_converged", result.users_not_converged},
                         {"sigma_kkt", result.sigma_kkt},   {"rho_tau", result.rho_tau},
                         {"sigma", result.params.sigma},    {"n_ranks", comm.size()},
                         {"work_max_over_mean", plan.mean_work > 0 ? plan.max_work / plan.mean_work : 1.0},
                         {"seconds", out.elapsed()}};
        if (has_beta) {
            j["beta"] = o.beta;
            j["beta_path"] = stages;
        }
        if (!init_note.empty()) j["init"] = init_note;
        if (parsed->json) {
            out.print_json(j);
            return;
        }
        std::ostringstream t;
        t << "wrote " << o.out.string() << "\n"
          << "model       " << name_of(variant) << " (" << (has_beta ? "beta = " + shortest(o.beta) + ", " : "")
          << "tau = " << shortest(o.tau) << ", mu floor " << shortest(o.mu_floor) << ")\n"
          << "window      (" << shortest(window.from) << ", " << shortest(window.to) << "], " << with_thousands(plan.n_events)
          << " events\n"
          << "loglik      " << shortest(result.loglik) << " (objective with the prior " << shortest(result.objective()) << ")\n"
          << "iterations  " << result.iterations << " (" << (result.converged ? "converged" : "NOT converged: " + std::string(name_of(result.stop)))
          << ")\n"
          << "KKT         users " << result.max_user_kkt << " (" << result.users_not_converged << " above --user-tol), Sigma "
          << result.sigma_kkt << "\n"
          << "rho(W)*tau  " << shortest(result.rho_tau) << (result.rho_tau >= 1 ? " (supercritical)" : "") << "\n";
        out.print(t.str());
    });
    return 0;
}

} // namespace

subcommand fit_command() { return {help, run}; }

} // namespace mic::cli
