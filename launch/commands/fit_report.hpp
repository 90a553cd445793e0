#pragma once
// What `mic fit` says and records: the progress line of an iteration, the params file's provenance,
// and the summary (text or JSON).
#include <nlohmann/json.hpp>

#include <span>
#include <string>
#include <vector>

#include "engine/jobs/fit_job.hpp"
#include "io/params_file.hpp"
#include "launch/cli/console.hpp"
#include "launch/options/fit_options.hpp"

namespace mic::cli {

// "beta 1e+04  iteration   3  loglik …  gain 2.1e-05  max|dSigma| … (profile step)  0.42s  rank time share …"
std::string progress_line(const fit_progress& p, bool show_beta);

// The βs fitted, comma-separated ("10,100,1000").
std::string betas_fitted(const continued_fit& fit);

// What --beta-path auto chose and why, and which of two fits was kept: lines for stderr.
std::vector<std::string> continuation_notes(const fit_command_options& o, const fit_plan& plan, const continued_fit& fit);

// What every params file of this run records (a checkpoint after iteration `iterations`, or the output).
struct fit_provenance_source {
    const fit_command_options* options;
    const fit_plan* plan;
    std::string command_line, checksum;
    int n_ranks = 1;
    io::params_provenance at(double loglik, double log_prior, std::int64_t iterations) const;
    // The output's provenance: the above plus convergence, KKT residuals, ρ(W)τ and the β path.
    io::params_provenance of(const continued_fit& fit) const;
};

// What runs after every iteration, on every rank: the progress line, the checkpoint (rank 0; a failed
// write is a warning, the fit goes on), then the agreed check for a signal, which stops the fit on
// every rank with `interrupted` (the checkpoint of that iteration already written).
fit_callback iteration_callback(const communicator& comm, const console& out, const fit_command_options& o,
                                const fit_provenance_source& record, bool show_beta);

// The message of a fit stopped by a signal inside an iteration (its user step): what was saved, and
// how to go on.
std::string stopped_mid_iteration(const fit_command_options& o);

nlohmann::json fit_summary_json(const fit_command_options& o, const fit_plan& plan, const continued_fit& fit, int n_ranks,
                                double seconds);
std::string fit_summary_text(const fit_command_options& o, const fit_plan& plan, const continued_fit& fit);

} // namespace mic::cli
