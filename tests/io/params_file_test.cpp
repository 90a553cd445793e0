// The params file (SPEC §5): exact round trips, validation on open with one line per problem,
// atomic writing, the collective read, and files that h5dump and h5py read as matrices.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "engine/support/error.hpp"
#include "io/dataset_file.hpp"
#include "io/params_file.hpp"
#include "tests/io/io_test_support.hpp"

namespace mic {
namespace {

using namespace mic::testing;

constexpr const char* corrupt_hint = "; the file is corrupt — re-create it with `mic fit` or `mic generate`";

// On the graph of hand_made_dataset (4 users, 2 cascades, in_source = 1 2 | - | 0 2 3 | 0), with
// values that do not survive a decimal round trip and a subnormal one.
model_params hand_made_params() {
    model_params p;
    p.variant = model_variant::mic;
    p.beta = 2.5;
    p.tau = 1.0 / 3.0;
    p.n_users = 4;
    p.n_cascades = 2;
    p.mu = {0.1, 0.2, 0.0, 1e-310, 1.0 / 7.0, 3.0, 0.5, std::nextafter(0.25, 1.0)};
    p.sigma = {0.75, 0.25, 0.125, 0.875};
    p.in_offsets = {0, 2, 2, 5, 6};
    p.in_source = {1, 2, 0, 2, 3, 0};
    p.weight = {0.3, 0.0, 1.0 / 3.0, 2.0, 0.01, 0.7};
    return p;
}

io::params_provenance full_provenance() {
    io::params_provenance p;
    p.loglik = -1234.5678901234567;
    p.iterations = 17;
    p.converged = true;
    p.dataset_path = "/scratch/run 1/data.h5";
    p.dataset_checksum = "fnv1a64:0123456789abcdef";
    p.command_line = "mic fit --data data.h5 --model mic --beta 2.5 --tau 0.3333 --out p.h5";
    p.version = "mic 0.1.0 (abc1234)";
    p.n_ranks = 3;
    p.log_prior = -12.25;
    p.mu_floor = 0.1;
    p.train_start = 0;
    p.train_end = 8000.5;
    p.train_fraction = 0.8;
    p.sigma_kkt = 3e-9;
    p.user_kkt = 9e-8;
    p.rho_tau = 1.0125;
    p.users_not_converged = 2;
    p.stop = "stalled";
    p.beta_path = "10,100,1000";
    p.init = "cc.h5";
    return p;
}

void expect_same_params(const model_params& a, const model_params& b) {
    EXPECT_EQ(a.variant, b.variant);
    // exact: float64 round-trips bit for bit; linear mixing has no β (not stored, read back as 1)
    if (mixing_of(a.variant) == mixing_kind::boltzmann) {
        EXPECT_EQ(a.beta, b.beta);
    }
    EXPECT_EQ(a.tau, b.tau);
    EXPECT_EQ(a.n_users, b.n_users);
    EXPECT_EQ(a.n_cascades, b.n_cascades);
    EXPECT_EQ(a.mu, b.mu);
    EXPECT_EQ(a.sigma, b.sigma);
    EXPECT_EQ(a.in_offsets, b.in_offsets);
    EXPECT_EQ(a.in_source, b.in_source);
    EXPECT_EQ(a.weight, b.weight);
}

// Replaces `name` by a contiguous rows × columns float64 dataset.
void replace_matrix(const std::filesystem::path& path, const std::string& name, const std::vector<double>& values,
                    hsize_t rows, hsize_t columns) {
    const hid_t file = open_for_surgery(path);
    H5Ldelete(file, name.c_str(), H5P_DEFAULT);
    const hsize_t dims[2] = {rows, columns};
    const hid_t space = H5Screate_simple(2, dims, nullptr);
    const hid_t data = H5Dcreate2(file, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(H5Dwrite(data, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
    H5Dclose(data);
    H5Sclose(space);
    H5Fclose(file);
}

void set_string_attribute(const std::filesystem::path& path, const std::string& name, const char* value) {
    const hid_t file = open_for_surgery(path);
    if (H5Aexists(file, name.c_str()) > 0) H5Adelete(file, name.c_str());
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate2(file, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(H5Awrite(attribute, type, &value), 0);
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(file);
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// ---- round trips -------------------------------------------------------------------------------

TEST(ParamsFile, RoundTripIsExactWithProvenance) {
    rank_scratch dir;
    const auto params = hand_made_params();
    const auto provenance = full_provenance();
    io::write_params(dir / "p.h5", params, provenance, false);
    io::params_provenance back;
    expect_same_params(io::read_params(dir / "p.h5", &back), params);
    EXPECT_EQ(back.loglik, provenance.loglik);
    EXPECT_EQ(back.iterations, provenance.iterations);
    EXPECT_EQ(back.converged, provenance.converged);
    EXPECT_EQ(back.dataset_path, provenance.dataset_path);
    EXPECT_EQ(back.dataset_checksum, provenance.dataset_checksum);
    EXPECT_EQ(back.command_line, provenance.command_line);
    EXPECT_EQ(back.version, provenance.version);
    EXPECT_EQ(back.n_ranks, provenance.n_ranks);
    EXPECT_EQ(back.log_prior, provenance.log_prior);
    EXPECT_EQ(back.mu_floor, provenance.mu_floor);
    EXPECT_EQ(back.train_start, provenance.train_start);
    EXPECT_EQ(back.train_end, provenance.train_end);
    EXPECT_EQ(back.train_fraction, provenance.train_fraction);
    EXPECT_EQ(back.sigma_kkt, provenance.sigma_kkt);
    EXPECT_EQ(back.user_kkt, provenance.user_kkt);
    EXPECT_EQ(back.rho_tau, provenance.rho_tau);
    EXPECT_EQ(back.users_not_converged, provenance.users_not_converged);
    EXPECT_EQ(back.stop, provenance.stop);
    EXPECT_EQ(back.beta_path, provenance.beta_path);
    EXPECT_EQ(back.init, provenance.init);
}

TEST(ParamsFile, UnsetProvenanceIsNotWrittenAndReadsBackUnset) {
    rank_scratch dir;
    io::params_provenance partial;
    partial.converged = false;  // false must survive as "set to false", not as "unset"
    io::write_params(dir / "p.h5", hand_made_params(), partial, false);
    io::params_provenance back = full_provenance();  // every field overwritten by the read
    io::read_params(dir / "p.h5", &back);
    EXPECT_EQ(back.converged, std::optional<bool>(false));
    EXPECT_FALSE(back.loglik);
    EXPECT_FALSE(back.iterations);
    EXPECT_FALSE(back.n_ranks);
    EXPECT_EQ(back.dataset_path, "");
    EXPECT_EQ(back.command_line, "");
    const hid_t file = H5Fopen((dir / "p.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    EXPECT_EQ(H5Aexists(file, "loglik"), 0);
    EXPECT_EQ(H5Aexists(file, "dataset_checksum"), 0);
    H5Fclose(file);
}

TEST(ParamsFile, EveryVariantRoundTripsAndAModelWithoutUsersOrEdgesToo) {
    rank_scratch dir;
    for (auto v: {model_variant::mic, model_variant::linmic, model_variant::cc, model_variant::ic}) {
        auto p = hand_made_params();
        p.variant = v;
        if (v == model_variant::cc || v == model_variant::ic) p.sigma = identity_sigma(2);
        io::write_params(dir / "v.h5", p, {}, true);
        expect_same_params(io::read_params(dir / "v.h5"), p);
    }
    model_params empty;  // no users, one cascade: /mu is 0 × 1, /W has no edges
    empty.n_cascades = 1;
    empty.sigma = {1.0};
    io::write_params(dir / "e.h5", empty, {}, false);
    expect_same_params(io::read_params(dir / "e.h5"), empty);
}

TEST(ParamsFile, MuAndSigmaAreStoredAsMatrices) {
    rank_scratch dir;
    io::write_params(dir / "p.h5", hand_made_params(), {}, false);
    const auto file = io::hdf5_file::open_read(dir / "p.h5");
    const auto mu = file.open_matrix("/mu");
    EXPECT_EQ(mu.rows(), 4);
    EXPECT_EQ(mu.columns(), 2);
    const auto sigma = file.open_matrix("/sigma");
    EXPECT_EQ(sigma.rows(), 2);
    EXPECT_EQ(sigma.columns(), 2);
    EXPECT_EQ(file.read_string_attribute("model"), "mic");
    EXPECT_EQ(file.read_int_attribute("mic_format"), 1);
}

// ---- writing -----------------------------------------------------------------------------------

TEST(ParamsFile, InvalidParamsAreRefusedBeforeAnythingIsWritten) {
    rank_scratch dir;
    auto p = hand_made_params();
    p.weight[4] = -0.5;
    try {
        io::write_params(dir / "bad.h5", p, {}, false);
        ADD_FAILURE() << "no error";
    } catch (const input_error& e) {
        const std::string message = e.what();
        EXPECT_EQ(message.rfind("cannot write " + (dir / "bad.h5").string(), 0), 0u) << message;
        EXPECT_NE(message.find("/W/weight[4] = -0.5"), std::string::npos) << message;
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));  // neither the file nor a temporary
}

TEST(ParamsFile, AnExistingFileIsReplacedOnlyWhenAllowed) {
    rank_scratch dir;
    auto p = hand_made_params();
    io::write_params(dir / "p.h5", p, {}, false);
    p.beta = 7.0;
    EXPECT_THROW(io::write_params(dir / "p.h5", p, {}, false), input_error);
    EXPECT_EQ(io::read_params(dir / "p.h5").beta, 2.5);
    io::write_params(dir / "p.h5", p, {}, true);
    EXPECT_EQ(io::read_params(dir / "p.h5").beta, 7.0);
}

// ---- validation on open ------------------------------------------------------------------------

class ParamsValidation: public ::testing::Test {
protected:
    rank_scratch dir;
    std::filesystem::path path = dir / "p.h5";

    void SetUp() override { io::write_params(path, hand_made_params(), full_provenance(), false); }

    // The message of read_params(path), which must be one line starting with the path.
    std::string problem() {
        return testing::one_line_problem(path, [&] {
            io::params_provenance provenance;
            io::read_params(path, &provenance);
        });
    }
    void expect_problem(const std::string& expected) { EXPECT_EQ(problem(), path.string() + ": " + expected); }
    void expect_problem_containing(const std::string& part) {
        const std::string message = problem();
        EXPECT_NE(message.find(part), std::string::npos) << message;
    }
    void replace_mu(std::size_t index, double value) {
        auto mu = hand_made_params().mu;
        mu[index] = value;
        replace_matrix(path, "/mu", mu, 4, 2);
    }
    void replace_sigma(std::vector<double> sigma) { replace_matrix(path, "/sigma", sigma, 2, 2); }
};

TEST_F(ParamsValidation, TheUncorruptedFileIsAccepted) { EXPECT_EQ(problem(), "no error"); }

TEST_F(ParamsValidation, MissingFilesAndNonHdf5FilesAreNamed) {
    path = dir / "nowhere.h5";
    expect_problem("no such file; check the path");
    path = dir / "text.h5";
    std::ofstream(path) << "mu,sigma\n";
    expect_problem_containing("not an HDF5 file");
}

TEST_F(ParamsValidation, MissingFormatAttributeMeansNotAParamsFile) {
    delete_attribute(path, "mic_format");
    expect_problem("no mic_format attribute at the root — this is not a mic params file; write one with `mic fit` or "
                   "`mic generate`");
}

TEST_F(ParamsValidation, OtherFormatVersionIsRefused) {
    set_attribute<std::int64_t>(path, "mic_format", 2);
    expect_problem("mic_format is 2, but this build of mic reads params format 1 only; use the mic that wrote the file, "
                   "or refit");
}

TEST_F(ParamsValidation, ADatasetFileGivenAsParamsIsRecognised) {
    io::write_dataset(dir / "d.h5", hand_made_dataset(), false);
    path = dir / "d.h5";
    expect_problem("missing root attribute model — is this a mic params file? Write one with `mic fit` or `mic generate`");
}

TEST_F(ParamsValidation, UnknownModelNameIsRefused) {
    set_string_attribute(path, "model", "hawkes");
    expect_problem(std::string("attribute model: is 'hawkes'; expected mic, linmic, cc or ic") + corrupt_hint);
}

TEST_F(ParamsValidation, HyperparametersMustBeInRange) {
    set_attribute(path, "tau", 0.0);
    expect_problem_containing("tau = 0; the kernel time scale must be finite and > 0");
    set_attribute(path, "tau", 1.0);
    set_attribute(path, "beta", -1.0);
    expect_problem_containing("beta = -1; the Boltzmann inverse temperature must be finite and >= 0");
    delete_attribute(path, "beta");
    expect_problem_containing("missing root attribute beta");
}

TEST_F(ParamsValidation, MissingDatasetIsNamedWithAHint) {
    delete_object(path, "/W/weight");
    expect_problem("missing dataset /W/weight — is this a mic params file? Write one with `mic fit` or `mic generate`");
}

TEST_F(ParamsValidation, MuMustBeAMatrix) {
    replace_dataset<double>(path, "/mu", hand_made_params().mu);
    expect_problem("/mu has 1 dimensions; expected a two-dimensional array (rows × columns) — is this a mic params "
                   "file? Write one with `mic fit` or `mic generate`");
}

TEST_F(ParamsValidation, SigmaMustBeCascadesByCascades) {
    replace_matrix(path, "/sigma", {1, 0, 0, 0, 1, 0}, 2, 3);
    expect_problem(std::string("/sigma: is 2 × 3; expected n_cascades × n_cascades = 2 × 2 (n_cascades is the number of "
                               "columns of /mu)") + corrupt_hint);
}

// A /mu written cascades × users (numpy's transpose): said as such, not as a wrong /sigma.
TEST_F(ParamsValidation, ATransposedMuIsNamedAsTransposed) {
    replace_matrix(path, "/mu", hand_made_params().mu, 2, 4);
    expect_problem_containing("/mu: is 2 × 4 but /sigma is 2 × 2: /mu looks transposed; it must be users × cascades");
}

TEST_F(ParamsValidation, OffsetsMustHaveOneEntryPerUserPlusOne) {
    replace_dataset<std::int64_t>(path, "/W/in_offsets", {0, 2, 5, 6});
    expect_problem(std::string("/W/in_offsets: has 4 elements; expected n_users + 1 = 5 (n_users is the number of rows "
                               "of /mu)") + corrupt_hint);
}

TEST_F(ParamsValidation, OffsetsThatOvershootAreCaughtBeforeAnyRowIsRead) {
    overwrite_element<std::int64_t>(path, "/W/in_offsets", 1, 9);  // 0 9 2 5 6: row 0 would run past the end
    expect_problem(std::string("/W/in_offsets: decreases at user 1 (2 after 9)") + corrupt_hint);
}

TEST_F(ParamsValidation, OneWeightPerEdge) {
    replace_dataset<double>(path, "/W/weight", {0.3, 0.0, 0.5});
    expect_problem(std::string("/W/weight: has 3 elements but /W/in_source has 6; there is one weight per edge") +
                   corrupt_hint);
}

TEST_F(ParamsValidation, InNeighboursMustBeAscendingUserIds) {
    overwrite_element<std::int32_t>(path, "/W/in_source", 3, 7);
    expect_problem("/W/in_source of user 2 is not a strictly ascending list of user ids in [0, n_users)");
    overwrite_element<std::int32_t>(path, "/W/in_source", 3, 0);  // 0 0 3: not strictly ascending
    expect_problem("/W/in_source of user 2 is not a strictly ascending list of user ids in [0, n_users)");
}

TEST_F(ParamsValidation, RatesAndWeightsMustBeFiniteAndNonNegative) {
    replace_mu(3, -1.0);
    expect_problem("/mu[3] = -1 must be finite and >= 0; background rates are non-negative");
    replace_mu(3, std::nan(""));
    expect_problem_containing("/mu[3] = nan must be finite and >= 0");
    replace_mu(3, 0.0);
    overwrite_element(path, "/W/weight", 5, std::numeric_limits<double>::infinity());
    expect_problem("/W/weight[5] = inf must be finite and >= 0; influence weights are non-negative");
}

TEST_F(ParamsValidation, SigmaMustBeRowStochastic) {
    replace_sigma({0.75, 0.25, 0.125, 0.875 + 1e-8});
    expect_problem_containing("/sigma row 1 sums to 1.0000000");
    replace_sigma({1.25, -0.25, 0.125, 0.875});
    expect_problem_containing("/sigma[1] = -0.25 must be finite and >= 0");
    replace_sigma({0.75, 0.25, 0.125, 0.875 + 1e-12});  // within the 1e-9 tolerance
    EXPECT_EQ(problem(), "no error");
}

TEST_F(ParamsValidation, FixedSigmaVariantsNeedTheIdentity) {
    set_string_attribute(path, "model", "cc");
    expect_problem_containing("model cc fixes Σ = I but /sigma is not the identity");
    replace_sigma({1, 0, 0, 1});
    EXPECT_EQ(problem(), "no error");
}

TEST_F(ParamsValidation, ProvenanceValuesAreChecked) {
    set_attribute<std::int64_t>(path, "converged", 2);
    expect_problem(std::string("attribute converged: is 2; expected 0 (no) or 1 (yes)") + corrupt_hint);
    set_attribute<std::int64_t>(path, "converged", 1);
    set_attribute<std::int64_t>(path, "iterations", -3);
    expect_problem(std::string("attribute iterations: is -3; it counts iterations, so >= 0") + corrupt_hint);
    set_attribute<std::int64_t>(path, "iterations", 3);
    set_attribute<std::int64_t>(path, "n_ranks", 0);
    expect_problem(std::string("attribute n_ranks: is 0; a run has at least one rank") + corrupt_hint);
}

TEST_F(ParamsValidation, EveryReaderRefusesBadProvenanceEvenWhenItDoesNotAskForIt) {
    set_attribute<std::int64_t>(path, "converged", 2);
    EXPECT_THROW(io::read_params(path), input_error);  // no provenance asked for: refused all the same
    EXPECT_THROW(io::read_params(path, world()), agreed_error);
}

TEST_F(ParamsValidation, AMatrixDeclaredLargerThanItsStoredBytesIsRefusedBeforeItIsRead) {
    declare_unwritten_matrix(path, "/mu", std::int64_t(1) << 32, 2);  // 64 GiB declared, nothing stored
    expect_problem_containing("/mu declares 8589934592 elements (68719476736 bytes) but the file stores only 0 bytes");
}

// ---- collective read ---------------------------------------------------------------------------

TEST(ParamsFile, CollectiveReadGivesEveryRankTheSameParams) {
    rank_scratch dir;
    const auto path = dir.shared() / "shared.h5";
    if (world().is_root()) io::write_params(path, hand_made_params(), full_provenance(), false);
    world().barrier();
    expect_same_params(io::read_params(path, world()), hand_made_params());
}

TEST(ParamsFile, ReadingRowsGivesEachRankItsOwnUsersRowsOfTheFile) {
    rank_scratch dir;
    const auto path = dir.shared() / "rows.h5";
    const model_params whole = hand_made_params();
    if (world().is_root()) io::write_params(path, whole, {}, false);
    world().barrier();
    // Ranks 0 and 1 keep users [0, 2) and [1, 3) (ranges may overlap); other ranks an empty range at
    // the end, as a rank that owns no user.
    const int r = world().rank();
    const std::int32_t first = r >= 2 ? 4 : r, last = r >= 2 ? 4 : r + 2;
    const model_params mine = io::read_params_rows(path, world(), first, last);
    const model_params expected = rows_of(whole, first, last);
    EXPECT_EQ(mine.first_row, first);
    EXPECT_EQ(mine.mu, expected.mu);
    EXPECT_EQ(mine.in_offsets, expected.in_offsets);
    EXPECT_EQ(mine.in_source, expected.in_source);
    EXPECT_EQ(mine.weight, expected.weight);
    EXPECT_EQ(mine.sigma, whole.sigma);
    EXPECT_EQ(mine.n_users, 4);
    EXPECT_EQ(mine.beta, whole.beta);
    EXPECT_NO_THROW(validate(mine, "rows"));
    // A range beyond the file's users fails every rank together.
    EXPECT_THROW(io::read_params_rows(path, world(), 0, r == 0 ? 5 : 1), agreed_error);
}

TEST(ParamsFile, CollectiveReadOfABadFileFailsEveryRankWithOneMessage) {
    rank_scratch dir;
    const auto path = dir.shared() / "bad.h5";
    if (world().is_root()) {
        io::write_params(path, hand_made_params(), {}, false);
        set_attribute(path, "tau", -2.0);
    }
    world().barrier();
    try {
        io::read_params(path, world());
        ADD_FAILURE() << "no error";
    } catch (const agreed_error& e) {
        EXPECT_EQ(std::string(e.what()), path.string() + ": tau = -2; the kernel time scale must be finite and > 0");
    }
}

// ---- other tools -------------------------------------------------------------------------------

TEST(ParamsFile, IsReadableByH5dumpAndH5py) {
    rank_scratch dir;  // collective: before any rank skips
    if (!world().is_root()) GTEST_SKIP() << "checked on rank 0";
    const auto path = (dir / "p.h5").string();
    io::write_params(path, hand_made_params(), full_provenance(), false);
    if (std::system("command -v h5dump >/dev/null 2>&1") != 0) GTEST_SKIP() << "h5dump not installed";
    const auto dump = dir / "dump.txt";
    ASSERT_EQ(std::system(("h5dump -H -d /mu " + path + " > " + dump.string()).c_str()), 0);
    EXPECT_NE(slurp(dump).find("( 4, 2 )"), std::string::npos) << slurp(dump);
    if (std::system("/usr/bin/python3 -c 'import h5py' >/dev/null 2>&1") != 0) GTEST_SKIP() << "python3-h5py not installed";
    const auto py = dir / "py.txt";
    const std::string script =
        "import h5py; f = h5py.File('" + path + "', 'r'); m = f.attrs['model']; "
        "print(int(f.attrs['mic_format']), m.decode() if isinstance(m, bytes) else m, f['mu'].shape, "
        "f['sigma'][:].tolist(), f['W/in_source'][:].tolist(), int(f.attrs['converged']), int(f.attrs['n_ranks']))";
    ASSERT_EQ(std::system(("/usr/bin/python3 -c \"" + script + "\" > " + py.string()).c_str()), 0);
    EXPECT_EQ(slurp(py), "1 mic (4, 2) [[0.75, 0.25], [0.125, 0.875]] [1, 2, 0, 2, 3, 0] 1 3\n");
}

} // namespace
} // namespace mic
