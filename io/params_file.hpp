#pragma once
// The params file, format 1 (SPEC §5): a MIC model Θ = (M, W, Σ) with β and τ, self-contained
// (simulation needs nothing else).
//
//   /mu            float64 U×C  μ_u^c ≥ 0 (row u = user u)
//   /sigma         float64 C×C  Σ, row-stochastic: σ_sc ≥ 0, Σ_c σ_sc = 1; the identity for cc and ic
//   /W/in_offsets  int64   U+1  CSR of in-neighbours, the same layout as the dataset's /graph
//   /W/in_source   int32   E    sources v of the edges v → u, strictly ascending within each user
//   /W/weight      float64 E    w_vu ≥ 0, aligned with /W/in_source
//   root attributes: mic_format = 1, model ("mic", "linmic", "cc" or "ic"), beta (float64; only
//   for mic and cc: linear mixing has no β, and a file of linmic or ic without it reads back β = 1,
//   unused), tau (float64); after a fit, each optional: loglik, log_prior, mu_floor (the prior's
//   pseudo-events ε), train_start, train_end (the training window (train_start, train_end]),
//   train_fraction, sigma_kkt, user_kkt, rho_tau (float64); iterations, converged (0 or 1),
//   users_not_converged, n_ranks (int64); stop ("converged", "max_iterations", "stalled"),
//   beta_path (the βs fitted, comma-separated), init (the --init params file), dataset_path,
//   dataset_checksum (see io/file_checksum.hpp), command_line, version (strings).
//
// U and C are the shape of /mu. Arrays are chunked, shuffled and deflated like the dataset's; /mu
// and /sigma are two-dimensional, so h5py gives numpy matrices. Every problem found on open is one
// mic::input_error line naming the file, the dataset or attribute, and what to do.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "engine/distributed/communicator.hpp"
#include "engine/model/model_params.hpp"
#include "io/atomic_output.hpp"

namespace mic::io {

inline constexpr std::int64_t params_format_version = 1;

// What a fit records beside the parameters. Everything is optional: unset fields (nullopt, empty
// strings) are not written, and absent attributes read back unset.
struct params_provenance {
    std::optional<double> loglik;            // training log-likelihood at the end of the fit
    std::optional<double> log_prior;         // ε Σ log μ at the end of the fit (objective = loglik + log_prior)
    std::optional<double> objective;         // a checkpoint: the objective the fit compares with, as it held it (the sum
                                             // above may differ from it in the last bit)
    std::optional<double> mu_floor;          // the baseline prior's pseudo-events ε (0: pure MLE)
    std::optional<double> train_start, train_end;  // the training window (train_start, train_end]
    std::optional<double> train_fraction;    // --train-fraction that chose train_end
    std::optional<std::int64_t> iterations;  // outer iterations of Alg. 1
    std::optional<bool> converged;           // gain below --tol and every KKT residual within its tolerance
    std::optional<double> sigma_kkt, user_kkt, rho_tau;
    std::optional<std::int64_t> users_not_converged;
    std::string stop;                        // why the fit stopped (engine fit_stop name)
    std::string beta_path;                   // the βs fitted in order, comma-separated
    std::string beta_path_option;            // --beta-path as the fit read it (auto, both, none or the list), canonical
    std::optional<double> last_gain;         // the last iteration's relative gain (absent when none was measured)
    std::string init;                        // the params file the fit started from (--init)
    std::string dataset_path;                // the dataset file the fit read
    std::string dataset_checksum;            // io::file_checksum of that file
    std::string command_line;                // the mic command that wrote the file
    std::string version;                     // mic version string
    std::optional<std::int64_t> n_ranks;     // MPI ranks of the fit
    // A checkpoint of --beta-path auto/both: the candidate it is in (0 the first, 1 the second) and, in
    // the second, the first's objective (whose params are in the checkpoint's first-candidate file).
    std::optional<std::int64_t> automatic_candidate;
    std::optional<double> first_candidate_objective;
};

// Writes `params` to `path` atomically (temporary + rename; nothing left behind on failure).
// `params` are validated first with mic::validate, so a bug in the caller cannot produce a file
// that mic refuses to read. Throws mic::input_error (also when `path` exists and !overwrite).
// `extra`, when given, adds its own datasets to the file before it is closed (`mic cv` adds its table).
class hdf5_file;
void write_params(const std::filesystem::path& path, const model_params& params, const params_provenance& provenance,
                  bool overwrite, const std::function<void(hdf5_file&)>& extra = {});
// The same into an output reserved earlier (its temporary file); the caller commits it.
void write_params(const atomic_output& output, const model_params& params, const params_provenance& provenance,
                  const std::function<void(hdf5_file&)>& extra = {});

// The whole file, validated on open: format version, model name, shapes, the CSR layout of /W, then
// mic::validate (finite values, μ ≥ 0, w ≥ 0, β ≥ 0, τ > 0, Σ row-stochastic to 1e-9 and the
// identity for cc and ic), and the provenance attributes (filling `provenance` when given). Serial.
model_params read_params(const std::filesystem::path& path, params_provenance* provenance = nullptr);

// The provenance attributes only (format checked, arrays not read). Serial.
params_provenance read_params_provenance(const std::filesystem::path& path);

// COLLECTIVE over `comm`: rank 0 reads and validates the file, then broadcasts the parameters to
// every rank (one reader for the parallel file system). When the file is bad, every rank throws
// the same mic::agreed_error.
model_params read_params(const std::filesystem::path& path, const communicator& comm);

// COLLECTIVE over `comm`: the same, but each rank keeps only the rows of users [first, last) (its
// own; model_params::first_row): rank 0 reads the whole file, and the other ranks receive it in
// pieces of at most 256 MiB, each keeping its part, so that none holds more than its rows and one
// piece. [first, last) may differ from rank to rank.
model_params read_params_rows(const std::filesystem::path& path, const communicator& comm, std::int32_t first,
                              std::int32_t last);

} // namespace mic::io
