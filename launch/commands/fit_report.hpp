#pragma once
// What `mic fit` says and records: the progress line of an iteration, the params file's provenance,
// and the summary (text or JSON).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
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
    // A fit's provenance: the above plus convergence, KKT residuals and ρ(W)τ.
    io::params_provenance of(const fit_result& r) const;
    // The output's provenance: that of its result plus the β path.
    io::params_provenance of(const continued_fit& fit) const;
    // --beta-path auto/both: the first candidate's objective once it has ended (checkpoints of the
    // second record it, and the first's params are in first_candidate_path).
    std::optional<double> first_candidate_objective;
};

// Where a fit with --checkpoint keeps the first candidate of --beta-path auto/both while it fits the
// second: beside the checkpoint, "CHECKPOINT.first".
std::filesystem::path first_candidate_path(const std::filesystem::path& checkpoint);

// The first candidate's result as its file records it (params: the whole file on the root, the owned
// rows [first_row, last_row) elsewhere). Collective; refuses (agreed) a file whose objective is not
// `objective`, the one the checkpoint recorded.
fit_result read_first_candidate(const communicator& comm, const std::filesystem::path& checkpoint, double objective,
                                std::int32_t first_row, std::int32_t last_row);

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
// `header`: the dataset's, for its times as people read them.
std::string fit_summary_text(const fit_command_options& o, const fit_plan& plan, const continued_fit& fit,
                             const dataset_header& header);

} // namespace mic::cli
