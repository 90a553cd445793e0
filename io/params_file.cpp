#include "io/params_file.hpp"

#include <algorithm>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/distributed/checked_section.hpp"
#include "engine/support/error.hpp"
#include "io/atomic_output.hpp"
#include "io/dataset_file.hpp"
#include "io/hdf5_file.hpp"

namespace mic::io {
namespace {

constexpr const char* corrupt_hint = "the file is corrupt — re-create it with `mic fit` or `mic generate`";
constexpr const char* missing_hint = "is this a mic params file? Write one with `mic fit` or `mic generate`";

void check_format(const hdf5_file& file) {
    const std::string& path = file.display_name();
    if (!file.has_attribute("mic_format"))
        throw input_error(path + ": no mic_format attribute at the root — this is not a mic params file; " +
                          "write one with `mic fit` or `mic generate`");
    const std::int64_t version = file.read_int_attribute("mic_format");
    if (version != params_format_version)
        throw input_error(path + ": mic_format is " + std::to_string(version) + ", but this build of mic reads params format " +
                          std::to_string(params_format_version) + " only; use the mic that wrote the file, or refit");
}

model_variant read_variant(const hdf5_file& file, const problem_context& where) {
    const std::string name = file.read_string_attribute("model");
    const auto variant = parse_model_variant(name);
    if (!variant) where.fail("attribute model", "is '" + name + "'; expected mic, linmic, cc or ic");
    return *variant;
}

// /mu (U×C) and /sigma (C×C): shapes first, then the values.
void read_matrices(const hdf5_file& file, model_params& p, const problem_context& where) {
    const hdf5_array mu = file.open_matrix("/mu");
    const hdf5_array sigma = file.open_matrix("/sigma");
    constexpr std::int64_t largest = std::numeric_limits<std::int32_t>::max();
    if (mu.rows() > largest || mu.columns() > largest)
        where.fail("/mu", "is " + std::to_string(mu.rows()) + " × " + std::to_string(mu.columns()) +
                              "; users and cascades are limited to " + std::to_string(largest));
    p.n_users = static_cast<std::int32_t>(mu.rows());
    p.n_cascades = static_cast<std::int32_t>(mu.columns());
    if (sigma.rows() == mu.rows() && sigma.columns() == mu.rows() && mu.rows() != mu.columns())
        where.fail("/mu", "is " + std::to_string(mu.rows()) + " × " + std::to_string(mu.columns()) + " but /sigma is " +
                              std::to_string(sigma.rows()) + " × " + std::to_string(sigma.columns()) +
                              ": /mu looks transposed; it must be users × cascades (one row per user)");
    if (sigma.rows() != mu.columns() || sigma.columns() != mu.columns())
        where.fail("/sigma", "is " + std::to_string(sigma.rows()) + " × " + std::to_string(sigma.columns()) +
                                 "; expected n_cascades × n_cascades = " + std::to_string(mu.columns()) + " × " +
                                 std::to_string(mu.columns()) + " (n_cascades is the number of columns of /mu)");
    p.mu = mu.read_all<double>();
    p.sigma = sigma.read_all<double>();
}

// /W in CSR form. The offsets are checked before validate() walks the rows, so that no row of a
// corrupt file is read out of bounds.
void read_weights(const hdf5_file& file, model_params& p, const problem_context& where) {
    const hdf5_array in_offsets = file.open_array("/W/in_offsets");
    const hdf5_array in_source = file.open_array("/W/in_source");
    const hdf5_array weight = file.open_array("/W/weight");
    const std::int64_t expected = std::int64_t(p.n_users) + 1;
    if (in_offsets.size() != expected)
        where.fail("/W/in_offsets", "has " + std::to_string(in_offsets.size()) + " elements; expected n_users + 1 = " +
                                        std::to_string(expected) + " (n_users is the number of rows of /mu)");
    if (weight.size() != in_source.size())
        where.fail("/W/weight", "has " + std::to_string(weight.size()) + " elements but /W/in_source has " +
                                    std::to_string(in_source.size()) + "; there is one weight per edge");
    p.in_offsets = in_offsets.read_all<std::int64_t>();
    check_offsets(p.in_offsets, p.n_users, in_source.size(), "/W/in_offsets", "/W/in_source", where);
    p.in_source = in_source.read_all<std::int32_t>();
    p.weight = weight.read_all<double>();
}

// The optional attributes of a fit, each read when present (names as in the header).
struct provenance_fields {
    std::pair<const char*, std::optional<double> params_provenance::*> doubles[12] = {
        {"loglik", &params_provenance::loglik},
        {"log_prior", &params_provenance::log_prior},
        {"mu_floor", &params_provenance::mu_floor},
        {"train_start", &params_provenance::train_start},
        {"train_end", &params_provenance::train_end},
        {"train_fraction", &params_provenance::train_fraction},
        {"sigma_kkt", &params_provenance::sigma_kkt},
        {"user_kkt", &params_provenance::user_kkt},
        {"rho_tau", &params_provenance::rho_tau},
        {"first_candidate_objective", &params_provenance::first_candidate_objective},
        {"objective", &params_provenance::objective},
        {"last_gain", &params_provenance::last_gain},
    };
    std::pair<const char*, std::string params_provenance::*> strings[8] = {
        {"dataset_path", &params_provenance::dataset_path},
        {"dataset_checksum", &params_provenance::dataset_checksum},
        {"command_line", &params_provenance::command_line},
        {"version", &params_provenance::version},
        {"stop", &params_provenance::stop},
        {"beta_path", &params_provenance::beta_path},
        {"beta_path_option", &params_provenance::beta_path_option},
        {"init", &params_provenance::init},
    };
};

void read_provenance(const hdf5_file& file, params_provenance& out, const problem_context& where) {
    out = {};
    const provenance_fields fields;
    for (const auto& [name, member] : fields.doubles)
        if (file.has_attribute(name)) out.*member = file.read_double_attribute(name);
    for (const auto& [name, member] : fields.strings)
        if (file.has_attribute(name)) out.*member = file.read_string_attribute(name);
    auto count = [&](const char* name, std::int64_t least, const char* meaning) -> std::optional<std::int64_t> {
        if (!file.has_attribute(name)) return std::nullopt;
        const std::int64_t v = file.read_int_attribute(name);
        if (v < least) where.fail(std::string("attribute ") + name, "is " + std::to_string(v) + "; " + meaning);
        return v;
    };
    out.iterations = count("iterations", 0, "it counts iterations, so >= 0");
    out.n_ranks = count("n_ranks", 1, "a run has at least one rank");
    out.users_not_converged = count("users_not_converged", 0, "it counts users, so >= 0");
    out.automatic_candidate = count("automatic_candidate", 0, "expected 0 (the first) or 1 (the second)");
    if (out.automatic_candidate > 1)
        where.fail("attribute automatic_candidate", "is " + std::to_string(*out.automatic_candidate) + "; expected 0 or 1");
    if (const auto converged = count("converged", 0, "expected 0 (no) or 1 (yes)")) {
        if (*converged > 1) where.fail("attribute converged", "is " + std::to_string(*converged) + "; expected 0 (no) or 1 (yes)");
        out.converged = *converged == 1;
    }
    if (out.train_start && out.train_end && !(*out.train_start < *out.train_end))
        where.fail("attributes train_start, train_end", "give an empty training window (" + std::to_string(*out.train_start) +
                                                            ", " + std::to_string(*out.train_end) + "]");
}

void write_provenance(hdf5_file& file, const params_provenance& p) {
    const provenance_fields fields;
    for (const auto& [name, member] : fields.doubles)
        if (const auto& v = p.*member) file.write_double_attribute(name, *v);
    for (const auto& [name, member] : fields.strings)
        if (const auto& v = p.*member; !v.empty()) file.write_string_attribute(name, v);
    if (p.iterations) file.write_int_attribute("iterations", *p.iterations);
    if (p.converged) file.write_int_attribute("converged", *p.converged ? 1 : 0);
    if (p.users_not_converged) file.write_int_attribute("users_not_converged", *p.users_not_converged);
    if (p.n_ranks) file.write_int_attribute("n_ranks", *p.n_ranks);
    if (p.automatic_candidate) file.write_int_attribute("automatic_candidate", *p.automatic_candidate);
}

// comm.broadcast(values) in pieces of at most 256 MiB: MPI counts are ints, so one broadcast
// cannot move 2 GiB or more (a /mu of 27 M users × 10 cascades). Collective; every rank makes the
// same calls because root's length is broadcast first.
template <class T> void broadcast_in_pieces(const communicator& comm, std::vector<T>& values) {
    std::int64_t n = static_cast<std::int64_t>(values.size());
    comm.broadcast(n);
    values.resize(static_cast<std::size_t>(n));
    constexpr std::size_t piece = (std::size_t(256) << 20) / sizeof(T);
    for (std::size_t first = 0; first < values.size(); first += piece)
        comm.broadcast(std::span<T>(values).subspan(first, std::min(piece, values.size() - first)));
}

// Root's model without its rows (variant, β, τ, users, cascades, Σ) copied to every rank.
void broadcast_model(const communicator& comm, model_params& p) {
    comm.broadcast(p.variant);
    comm.broadcast(p.beta);
    comm.broadcast(p.tau);
    comm.broadcast(p.n_users);
    comm.broadcast(p.n_cascades);
    broadcast_in_pieces(comm, p.sigma);
}

// Root's `values` broadcast in the pieces above; every rank returns its elements [lo, hi) of them
// (root's vector is only read). Collective, with the same calls on every rank.
template <class T>
std::vector<T> broadcast_keeping(const communicator& comm, std::vector<T>& values, std::int64_t lo, std::int64_t hi) {
    std::int64_t n = static_cast<std::int64_t>(values.size());
    comm.broadcast(n);
    if (!(0 <= lo && lo <= hi && hi <= n)) throw std::logic_error("broadcast_keeping: range outside the array");
    std::vector<T> kept(static_cast<std::size_t>(hi - lo));
    constexpr std::int64_t piece = std::int64_t((std::size_t(256) << 20) / sizeof(T));
    std::vector<T> buffer;
    for (std::int64_t first = 0; first < n; first += piece) {
        const std::int64_t count = std::min(piece, n - first);
        std::span<T> received;
        if (comm.is_root()) {
            received = std::span<T>(values).subspan(std::size_t(first), std::size_t(count));
        } else {
            buffer.resize(std::size_t(count));
            received = std::span<T>(buffer);
        }
        comm.broadcast(received);
        const std::int64_t from = std::max(lo, first), to = std::min(hi, first + count);
        if (from < to)
            std::copy(received.begin() + (from - first), received.begin() + (to - first), kept.begin() + (from - lo));
    }
    return kept;
}

} // namespace

void write_params(const std::filesystem::path& path, const model_params& params, const params_provenance& provenance,
                  bool overwrite, const std::function<void(hdf5_file&)>& extra) {
    atomic_output output(path, overwrite);
    write_params(output, params, provenance, extra);
    output.commit();
}

void write_params(const atomic_output& output, const model_params& params, const params_provenance& provenance,
                  const std::function<void(hdf5_file&)>& extra) {
    const std::filesystem::path& path = output.final_path();
    const std::string bug = "cannot write " + path.string() + " (invalid parameters, a bug in the program that produced them)";
    if (!params.holds_every_row())
        throw std::logic_error(bug + ": only the rows of users " + std::to_string(params.first_row) + " to " +
                               std::to_string(params.first_row + params.rows() - 1) + " are held");
    validate(params, bug);
    {
        hdf5_file file = hdf5_file::create(output.temp_path(), path.string());
        file.write_int_attribute("mic_format", params_format_version);
        file.write_string_attribute("model", name_of(params.variant));
        // Every variant (SPEC §5); linmic and ic do not use β, which they hold as given (1 by default).
        file.write_double_attribute("beta", params.beta);
        file.write_double_attribute("tau", params.tau);
        write_provenance(file, provenance);
        const std::int64_t U = params.n_users, C = params.n_cascades;
        file.write_matrix<double>("/mu", params.mu, U, C);
        file.write_matrix<double>("/sigma", params.sigma, C, C);
        file.write_array<std::int64_t>("/W/in_offsets", params.in_offsets);
        file.write_array<std::int32_t>("/W/in_source", params.in_source);
        file.write_array<double>("/W/weight", params.weight);
        if (extra) extra(file);
        file.close();
    }
}

model_params read_params(const std::filesystem::path& path, params_provenance* provenance) {
    hdf5_file file = hdf5_file::open_read(path);
    file.set_missing_hint(missing_hint);
    const problem_context where{path.string(), corrupt_hint};
    check_format(file);
    model_params p;
    p.variant = read_variant(file, where);
    // Linear mixing has no β: files of linmic and ic may omit it (read back as 1, unused).
    p.beta = mixing_of(p.variant) == mixing_kind::boltzmann || file.has_attribute("beta") ? file.read_double_attribute("beta") : 1.0;
    p.tau = file.read_double_attribute("tau");
    read_matrices(file, p, where);
    read_weights(file, p, where);
    validate(p, path.string());
    // Read and checked even when the caller does not want it: every reader of a params file
    // accepts or refuses the same files.
    params_provenance unused;
    read_provenance(file, provenance ? *provenance : unused, where);
    return p;
}

params_provenance read_params_provenance(const std::filesystem::path& path) {
    hdf5_file file = hdf5_file::open_read(path);
    file.set_missing_hint(missing_hint);
    check_format(file);
    params_provenance p;
    read_provenance(file, p, {path.string(), corrupt_hint});
    return p;
}

model_params read_params(const std::filesystem::path& path, const communicator& comm) {
    model_params p;
    // Only rank 0 touches the file; run_checked_on_root makes every rank learn its outcome, so a
    // bad file cannot leave the other ranks waiting in the broadcasts below.
    run_checked_on_root(comm, [&] { p = read_params(path); });
    // The same broadcasts, in the same order, on every rank.
    broadcast_model(comm, p);
    broadcast_in_pieces(comm, p.mu);
    broadcast_in_pieces(comm, p.in_offsets);
    broadcast_in_pieces(comm, p.in_source);
    broadcast_in_pieces(comm, p.weight);
    return p;
}

model_params read_params_rows(const std::filesystem::path& path, const communicator& comm, std::int32_t first,
                              std::int32_t last) {
    model_params whole;
    run_checked_on_root(comm, [&] { whole = read_params(path); });
    model_params p = without_rows(whole);
    broadcast_model(comm, p);
    // Every rank checks its own range against the file's users, then all agree before the broadcasts.
    run_checked(comm, [&] {
        if (!(0 <= first && first <= last && last <= p.n_users))
            throw input_error(path.string() + ": has parameters for " + std::to_string(p.n_users) + " users, but users " +
                              std::to_string(first) + " to " + std::to_string(last - 1) +
                              " are needed (the data has more users); use parameters fitted on this dataset");
    });
    const auto C = std::int64_t(p.n_cascades);
    p.first_row = first;
    p.mu = broadcast_keeping(comm, whole.mu, first * C, last * C);
    p.in_offsets = broadcast_keeping(comm, whole.in_offsets, first, std::int64_t(last) + 1);
    const std::int64_t e0 = p.in_offsets.front(), e1 = p.in_offsets.back();
    for (auto& o : p.in_offsets) o -= e0;
    p.in_source = broadcast_keeping(comm, whole.in_source, e0, e1);
    p.weight = broadcast_keeping(comm, whole.weight, e0, e1);
    return p;
}

} // namespace mic::io
