// The params-reader harness (see harnesses.hpp).
#include <random>

#include "engine/simulation/expected_events.hpp"
#include "engine/simulation/simulation.hpp"
#include "engine/simulation/spectral_radius.hpp"
#include "engine/support/error.hpp"
#include "fuzz/harness/harnesses.hpp"
#include "fuzz/harness/hdf5_fields.hpp"
#include "io/params_file.hpp"

namespace mic::fuzz {
namespace {

using kind = array_field::kind;

// A small valid params file (random graph, μ, W, Σ, β, τ and a few provenance attributes, shaped
// by the first bytes), field by field.
hdf5_fields valid_params(fuzz_bytes& in) {
    const auto variant = in.pick({model_variant::mic, model_variant::linmic, model_variant::cc, model_variant::ic});
    const std::int64_t U = in.below(7), C = 1 + in.below(3);
    std::mt19937_64 rng(in.byte());
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    hdf5_fields f;
    f.add("mic_format", std::int64_t(1));
    f.add("model", std::string(name_of(variant)));
    if (mixing_of(variant) == mixing_kind::boltzmann || in.coin()) f.add("beta", in.pick({0.0, 1.0, 33.37, 1e5}));
    f.add("tau", in.pick({0.5, 1.0, 3.0}));
    if (in.coin()) {  // what a fit records
        f.add("loglik", -123.5);
        f.add("iterations", std::int64_t(4));
        f.add("converged", std::int64_t(1));
        f.add("train_start", 0.0);
        f.add("train_end", 80.0);
        f.add("n_ranks", std::int64_t(2));
        f.add("dataset_path", std::string("data.h5"));
    }
    auto& mu = f.add_array("/mu", kind::float64);
    mu.columns = C;
    for (std::int64_t i = 0; i < U * C; ++i) mu.reals.push_back(0.2 * unit(rng));
    auto& sigma = f.add_array("/sigma", kind::float64);
    sigma.columns = C;
    const bool learned = learns_sigma(variant);
    for (std::int64_t s = 0; s < C; ++s) {
        std::vector<double> row(std::size_t(C), 0.0);
        double total = 0;
        for (auto& x: row) total += x = learned ? unit(rng) : 0.0;
        if (!learned || total == 0) {  // the identity row
            row.assign(std::size_t(C), 0.0);
            row[std::size_t(s)] = total = 1;
        }
        for (double x: row) sigma.reals.push_back(x / total);
    }
    auto& offsets = f.add_array("/W/in_offsets", kind::int64);
    auto& source = f.add_array("/W/in_source", kind::int32);
    auto& weight = f.add_array("/W/weight", kind::float64);
    const double p = in.below(4) / 3.0;
    offsets.integers.push_back(0);
    for (std::int64_t u = 0; u < U; ++u) {
        for (std::int64_t v = 0; v < U; ++v)
            if (unit(rng) < p) {
                source.integers.push_back(v);
                weight.reals.push_back(0.3 * unit(rng));
            }
        offsets.integers.push_back(std::int64_t(source.integers.size()));
    }
    return f;
}

bool same(const model_params& a, const model_params& b) {
    return a.variant == b.variant && a.beta == b.beta && a.tau == b.tau && a.n_users == b.n_users &&
           a.n_cascades == b.n_cascades && a.mu == b.mu && a.sigma == b.sigma && a.in_offsets == b.in_offsets &&
           a.in_source == b.in_source && a.weight == b.weight;
}

} // namespace

void params_reader(const std::uint8_t* data, std::size_t size) {
    const auto path = scratch_file("params.h5");
    std::filesystem::remove(path);
    fuzz_bytes in(data, size);
    hdf5_fields fields = valid_params(in);
    mutate(fields, in, 6);
    if (refused([&] { write(fields, path); })) return;  // HDF5 could not write it: nothing to read
    model_params serial, collective;
    io::params_provenance provenance;
    const bool serial_read = !refused([&] { serial = io::read_params(path, &provenance); });
    refused([&] { io::read_params_provenance(path); });
    const bool collective_read = !refused([&] { collective = io::read_params(path, make_local_communicator()); });
    if (serial_read != collective_read || (serial_read && !same(serial, collective)))
        throw harness_failure("the collective read_params disagrees with the serial one");
    if (!serial_read) return;
    // What mic does with accepted parameters must work on any of them (simulate, expect, report).
    influence_spectral_radius(serial);
    refused([&] { expected_events(serial, 1.0); });
    const simulator sim(serial);
    for (const auto method: {simulation_method::exact, simulation_method::ogata}) {
        simulation_options options;
        options.horizon = 1.0;
        options.max_events = 200;
        options.method = method;
        const event_log log = sim.run_replica(options, 1, 0);
        for (std::size_t i = 0; i < log.user.size(); ++i)
            if (log.user[i] < 0 || log.user[i] >= serial.n_users || log.cascade[i] < 0 || log.cascade[i] >= serial.n_cascades ||
                !(log.time[i] > 0 && log.time[i] <= 1.0))
                throw harness_failure("a simulated event lies outside the model's users, cascades or (0, horizon]");
    }
}

} // namespace mic::fuzz
