#include "launch/commands/fit_report.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "engine/likelihood/shard_kernels.hpp"
#include "engine/support/text_format.hpp"
#include "engine/distributed/checked_section.hpp"
#include "launch/cli/interruption.hpp"
#include "launch/cli/version.hpp"
#include "launch/options/time_bound.hpp"

namespace mic::cli {
namespace {

std::string three_digits(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", x);
    return text;
}

bool has_beta(model_variant v) { return mixing_of(v) == mixing_kind::boltzmann; }

std::string features_line(const stored_features& f, const fit_command_options& o) {
    const auto mb = [](double bytes) { return with_thousands(std::int64_t(bytes / 1048576.0 + 0.5)) + " MB"; };
    if (f.users == f.of_users)
        return "kernel features kept for all " + with_thousands(f.of_users) + " users (" + mb(f.max_rank_bytes) +
               " on the fullest rank)";
    std::string line = "kernel features kept for " + with_thousands(f.users) + " of " + with_thousands(f.of_users) +
                       " users (" + mb(f.max_rank_bytes) + " on the fullest rank, --feature-memory " +
                       shortest(o.feature_memory_mb) + " MB per rank)";
    if (const std::int64_t per_solve = f.of_users - f.users - f.streamed; per_solve > 0)
        line += "; the features of " + with_thousands(per_solve) + " others are built for the time of each one's solve";
    if (f.streamed > 0)
        line += "; the features of " + with_thousands(f.streamed) + (f.streamed == 1 ? " user" : " users") +
                " exceed the whole budget: they are recomputed at every evaluation (slower; --feature-memory " +
                shortest(std::ceil(f.largest_user_bytes / 1048576.0)) + " would build them once per solve)";
    return line;
}

} // namespace

std::string progress_line(const fit_progress& p, bool show_beta) {
    char line[320];
    // Which Σ-steps moved Σ, and the over-relaxation factor accepted (fit.hpp, extrapolation.hpp).
    std::string steps = p.profile_step && p.plain_step ? " (profile and plain steps" : p.profile_step ? " (profile step"
                        : p.plain_step                 ? " (plain step"
                                                       : "";
    if (p.extrapolation > 1) steps += (steps.empty() ? " (" : ", ") + std::string("extrapolated x") + shortest(p.extrapolation);
    if (!steps.empty()) steps += ")";
    std::snprintf(line, sizeof line, "%siteration %3d  loglik %.12g  gain %s  max|dSigma| %.3g%s  %.3fs  rank time share %.2f-%.2f",
                  show_beta ? ("beta " + shortest(p.beta) + "  ").c_str() : "", p.iteration, p.loglik,
                  p.gain ? three_digits(*p.gain).c_str() : "-", p.max_sigma_change, steps.c_str(), p.seconds, p.min_time_share,
                  p.max_time_share);
    std::string text = line;
    if (p.users_not_converged)
        text.append("  (").append(std::to_string(p.users_not_converged))
            .append(p.users_not_converged == 1 ? " user" : " users").append(" above --user-tol, largest ")
            .append(three_digits(p.user_kkt)).append(")");
    if (p.users_beta_continued)
        text.append("  (").append(std::to_string(p.users_beta_continued))
            .append(p.users_beta_continued == 1 ? " user" : " users")
            .append(" out of Newton iterations at this beta, redone along beta/10^k)");
    return text;
}

std::string betas_fitted(const continued_fit& fit) {
    std::string s;
    for (const auto& stage : fit.stages) {
        if (!s.empty()) s += ',';
        s += shortest(stage.beta);
    }
    return s;
}

std::vector<std::string> continuation_notes(const fit_command_options& o, const fit_plan& plan, const continued_fit& fit) {
    std::vector<std::string> lines;
    const std::string beta = shortest(o.beta);
    if (fit.path_first)
        lines.push_back("the mixing is sharp at beta " + beta + " (beta times the mean events per user and time unit = " +
                        three_digits(fit.mixing_sharpness) + " >= " + shortest(plan.continuation.sharp_mixing) +
                        "): fitted along beta/1000 ... beta first (--beta-path none: a cold start only)");
    if (fit.both_run) {
        const std::string why = plan.continuation.both ? "--beta-path both: " : fit.path_first ? "the beta path did not converge; "
                                                                                               : "the cold start at beta " + beta + " did not converge; ";
        lines.push_back(why + (fit.path_first ? "fitted a cold start at beta " + beta + " too" : "fitted along beta " + betas_fitted(fit)) +
                        ": kept the " + (fit.kept_automatic_path ? "beta path" : "cold start") + " (larger objective)");
    }
    return lines;
}

io::params_provenance fit_provenance_source::at(double loglik, double log_prior, std::int64_t iterations) const {
    io::params_provenance p;
    p.loglik = loglik;
    p.log_prior = log_prior;
    p.mu_floor = options->mu_floor;
    p.iterations = iterations;
    p.train_start = plan->window.from;
    p.train_end = plan->window.to;
    p.train_fraction = options->train_fraction;
    p.init = options->init.string();
    p.dataset_path = options->data.string();
    p.dataset_checksum = checksum;
    p.command_line = command_line;
    p.version = version_string();
    p.n_ranks = n_ranks;
    if (has_beta(plan->variant)) p.beta_path_option = canonical_beta_path(plan->continuation, plan->beta);
    return p;
}

io::params_provenance fit_provenance_source::of(const fit_result& r) const {
    io::params_provenance p = at(r.loglik, r.log_prior, r.iterations);
    p.converged = r.converged;
    p.stop = std::string(name_of(r.stop));
    p.sigma_kkt = r.sigma_kkt;
    p.user_kkt = r.max_user_kkt;
    p.users_not_converged = r.users_not_converged;
    p.rho_tau = r.rho_tau;
    p.last_gain = r.last_gain;
    return p;
}

io::params_provenance fit_provenance_source::of(const continued_fit& fit) const {
    io::params_provenance p = of(fit.result);
    if (has_beta(plan->variant)) p.beta_path = betas_fitted(fit);
    return p;
}

std::filesystem::path first_candidate_path(const std::filesystem::path& checkpoint) {
    return checkpoint.string() + ".first";
}

fit_result read_first_candidate(const communicator& comm, const std::filesystem::path& checkpoint, double objective,
                                std::int32_t first_row, std::int32_t last_row) {
    const auto path = first_candidate_path(checkpoint);
    fit_result r;
    io::params_provenance p;
    // loglik, log_prior, iterations, converged, users_not_converged, user_kkt, sigma_kkt, last_gain (NaN: none)
    std::vector<double> numbers(8);
    std::string stop;
    run_checked_on_root(comm, [&] {
        if (!std::filesystem::exists(path))
            throw input_error(checkpoint.string() + ": it is in the second fit of --beta-path auto, but the first's result " +
                              path.string() + " is missing; resume cannot make the same choice: run without --resume");
        r.params = io::read_params(path, &p);
        if (!p.loglik || !p.log_prior || !(*p.loglik + *p.log_prior == objective))
            throw input_error(path.string() + ": not the first fit the checkpoint " + checkpoint.string() +
                              " records (objective " + shortest(objective) + "); run without --resume");
        numbers = {*p.loglik, *p.log_prior, double(p.iterations.value_or(0)), p.converged.value_or(false) ? 1.0 : 0.0,
                   double(p.users_not_converged.value_or(0)), p.user_kkt.value_or(0), p.sigma_kkt.value_or(0),
                   p.last_gain.value_or(std::nan(""))};
        r.rho_tau = p.rho_tau.value_or(0);
        stop = p.stop;
    });
    comm.broadcast(std::span(numbers));
    comm.broadcast(r.rho_tau);
    r.loglik = numbers[0];
    r.log_prior = numbers[1];
    r.iterations = int(numbers[2]);
    r.converged = numbers[3] == 1;
    r.users_not_converged = std::int64_t(numbers[4]);
    r.max_user_kkt = numbers[5];
    r.sigma_kkt = numbers[6];
    if (!std::isnan(numbers[7])) r.last_gain = numbers[7];
    r.stop = r.converged ? fit_stop::converged : fit_stop::max_iterations;
    if (comm.is_root()) r.stop = fit_stop_named(stop).value_or(r.stop);
    std::int32_t stop_code = std::int32_t(r.stop);
    comm.broadcast(stop_code);
    r.stop = fit_stop(stop_code);
    // The other ranks keep their rows (the root, which writes the result, every user).
    model_params rows = io::read_params_rows(path, comm, first_row, last_row);
    if (!comm.is_root()) r.params = std::move(rows);
    return r;
}

fit_callback iteration_callback(const communicator& comm, const console& out, const fit_command_options& o,
                                const fit_provenance_source& record, bool show_beta) {
    return [&comm, &out, &o, &record, show_beta, last = stored_features{-1, -1, -1, -1, -1}](const fit_progress& p,
                                                                                 const model_params* all) mutable {
        // Where the user step's memory goes: at the first iteration, and again only if a later fit of a
        // β path keeps features for a different number of users.
        if (p.features.users != last.users || p.features.of_users != last.of_users) out.log(features_line(p.features, o));
        last = p.features;
        out.log(progress_line(p, show_beta));
        if (all && comm.is_root()) {
            try {
                io::params_provenance provenance = record.at(p.loglik, p.objective - p.loglik, p.iteration);
                provenance.objective = p.objective;  // exact: a resume compares its next iteration with it
                provenance.last_gain = p.gain;
                if (record.plan->continuation.automatic && record.plan->continuation.betas.empty() && show_beta) {
                    provenance.automatic_candidate = p.candidate;
                    if (p.candidate == 1) provenance.first_candidate_objective = record.first_candidate_objective;
                }
                io::write_params(o.checkpoint, *all, provenance, true);
            } catch (const std::exception& e) {
                out.warn(std::string("could not write the checkpoint (") + e.what() + "); the fit goes on");
            }
        }
        if (interruption_requested(comm))  // collective: the same answer on every rank
            throw interrupted("stopped by a signal after iteration " + std::to_string(p.iteration) +
                              (o.checkpoint.empty() ? "; no --checkpoint was given, so the fit is lost"
                                                    : "; continue with the same command and --resume (checkpoint " +
                                                          o.checkpoint.string() + ")"));
    };
}

std::string stopped_mid_iteration(const fit_command_options& o) {
    const std::string what = "stopped by a signal during the user step of an iteration; ";
    if (o.checkpoint.empty()) return what + "no --checkpoint was given, so the fit is lost";
    std::error_code error;
    if (!std::filesystem::exists(o.checkpoint, error))
        return what + "no iteration had finished, so the checkpoint " + o.checkpoint.string() +
               " was not written yet; run the same command again";
    return what + "continue with the same command and --resume (checkpoint " + o.checkpoint.string() +
           ": the last iteration saved)";
}

nlohmann::json fit_summary_json(const fit_command_options& o, const fit_plan& plan, const continued_fit& fit, int n_ranks,
                                double seconds) {
    const fit_result& r = fit.result;
    nlohmann::json j{{"data", o.data.string()},        {"out", o.out.string()},
                     {"model", name_of(plan.variant)},  {"tau", o.tau},
                     {"from", plan.window.from},        {"to", plan.window.to},
                     {"train_start", plan.window.from}, {"train_end", plan.window.to},
                     {"n_events", plan.n_events},       {"loglik", r.loglik},
                     {"log_prior", r.log_prior},        {"objective", r.objective()},
                     {"mu_floor", o.mu_floor},          {"iterations", r.iterations},
                     {"converged", r.converged},        {"stop", name_of(r.stop)},
                     {"user_kkt", r.max_user_kkt},      {"users_not_converged", r.users_not_converged},
                     {"sigma_kkt", r.sigma_kkt},        {"rho_tau", r.rho_tau},
                     {"sigma", r.params.sigma},         {"n_ranks", n_ranks},
                     {"work_max_over_mean", plan.work_imbalance}, {"seconds", seconds},
                     {"collectives", r.collectives.calls}, {"collective_bytes", r.collectives.bytes},
                     {"feature_users", r.features.users}, {"feature_mb_max_rank", r.features.max_rank_bytes / 1048576.0},
                     {"feature_streamed_users", r.features.streamed}};
    j["last_gain"] = r.last_gain ? nlohmann::json(*r.last_gain) : nlohmann::json(nullptr);  // relative; null: none measured
    if (has_beta(plan.variant)) {
        j["beta"] = o.beta;
        if (fit.mixing_sharpness > 0) {  // --beta-path auto/both decided the order
            j["mixing_sharpness"] = fit.mixing_sharpness;
            j["beta_path_first"] = fit.path_first;
        }
        auto& stages = j["beta_path"] = nlohmann::json::array();
        for (const auto& s : fit.stages)
            stages.push_back({{"beta", s.beta}, {"loglik", s.loglik}, {"objective", s.objective},
                              {"iterations", s.iterations}, {"converged", s.converged}});
    }
    if (!o.init.empty()) j["init"] = o.init.string();
    return j;
}

std::string fit_summary_text(const fit_command_options& o, const fit_plan& plan, const continued_fit& fit,
                             const dataset_header& header) {
    const fit_result& r = fit.result;
    std::ostringstream t;
    t << "wrote " << o.out.string() << "\n"
      << "model       " << name_of(plan.variant) << " (" << (has_beta(plan.variant) ? "beta = " + shortest(o.beta) + ", " : "")
      << "tau = " << shortest(o.tau) << ", mu floor " << shortest(o.mu_floor) << ")\n"
      << "window      " << readable_window(plan.window, header) << ", "
      << with_thousands(plan.n_events) << " events\n"
      << "loglik      " << shortest(r.loglik) << " (objective with the prior " << shortest(r.objective()) << ")\n"
      << "iterations  " << r.iterations << " (" << (r.converged ? "converged" : "NOT converged: " + std::string(name_of(r.stop)))
      << ")\n"
      << "KKT         users " << r.max_user_kkt << " (" << r.users_not_converged << " above --user-tol), Sigma " << r.sigma_kkt
      << "\n"
      << "rho(W)*tau  " << shortest(r.rho_tau) << (r.rho_tau >= 1 ? " (supercritical)" : "") << "\n";
    return t.str();
}

} // namespace mic::cli
