// The dataset-reader harness (see harnesses.hpp).
#include <algorithm>
#include <numeric>
#include <optional>

#include "engine/data/dataset_summary.hpp"
#include "engine/support/error.hpp"
#include "fuzz/harness/harnesses.hpp"
#include "fuzz/harness/hdf5_fields.hpp"
#include "io/dataset_file.hpp"
#include "io/shard_read.hpp"
#include "tests/support/random_dataset.hpp"

namespace mic::fuzz {
namespace {

using kind = array_field::kind;

// A small valid dataset (tests/support's generator, shaped by the first bytes), field by field.
hdf5_fields valid_dataset(fuzz_bytes& in) {
    testing::random_dataset_spec spec;
    spec.n_users = std::int32_t(in.below(9));
    spec.n_cascades = std::int32_t(1 + in.below(4));
    spec.edge_probability = in.below(5) / 4.0;
    spec.self_loops = in.coin();
    spec.mean_events_per_user = in.below(6);
    spec.integer_times = in.coin();
    spec.with_names = in.coin();
    const dataset d = testing::make_random_dataset(spec, in.byte());
    hdf5_fields f;
    f.add("mic_format", std::int64_t(1));
    f.add("n_users", std::int64_t(d.header.n_users));
    f.add("n_cascades", std::int64_t(d.header.n_cascades));
    f.add("t_start", d.header.t_start);
    f.add("t_end", d.header.t_end);
    f.add("time_unit", d.header.time_unit);
    if (!d.header.time_origin.empty()) f.add("time_origin", d.header.time_origin);
    auto& user = f.add_array("/events/user", kind::int32);
    for (std::int32_t u = 0; u < d.header.n_users; ++u) user.integers.resize(std::size_t(d.events.user_offsets[u + 1]), u);
    f.add_array("/events/cascade", kind::int32).integers.assign(d.events.cascade.begin(), d.events.cascade.end());
    f.add_array("/events/time", kind::float64).reals = d.events.time;
    f.add_array("/events/user_offsets", kind::int64).integers = d.events.user_offsets;
    f.add_array("/graph/in_offsets", kind::int64).integers = d.graph.in_offsets;
    f.add_array("/graph/in_source", kind::int32).integers.assign(d.graph.in_source.begin(), d.graph.in_source.end());
    if (!d.user_names.empty()) f.add_array("/names/users", kind::strings).strings = d.user_names;
    if (!d.cascade_names.empty()) f.add_array("/names/cascades", kind::strings).strings = d.cascade_names;
    return f;
}

bool same_shard(const shard& a, const shard& b) {
    return a.owned == b.owned && a.in_offsets == b.in_offsets && a.in_source == b.in_source &&
           a.events.users == b.events.users && a.events.offsets == b.events.offsets &&
           a.events.cascade == b.events.cascade &&
           std::equal(a.events.time.begin(), a.events.time.end(), b.events.time.begin(), b.events.time.end(),
                      [](double x, double y) { return x == y || (x != x && y != y); });
}

} // namespace

void dataset_reader(const std::uint8_t* data, std::size_t size) {
    const auto path = scratch_file("dataset.h5");
    std::filesystem::remove(path);
    fuzz_bytes in(data, size);
    hdf5_fields fields = valid_dataset(in);
    mutate(fields, in, 6);
    if (refused([&] { write(fields, path); })) return;  // HDF5 could not write it: nothing to read
    // Every reader, each on its own: none may crash, allocate beyond the file or disagree.
    dataset whole;
    const bool whole_read = !refused([&] { whole = io::read_dataset(path); });
    dataset_header header;
    const bool header_read = !refused([&] { header = io::read_dataset_header(path); });
    io::dataset_index index;
    const bool index_read = !refused([&] { index = io::read_dataset_index(path, true); });
    refused([&] { io::read_dataset_names(path, true); });
    std::vector<std::int32_t> everyone(header_read ? std::size_t(header.n_users) : 0);
    std::iota(everyone.begin(), everyone.end(), 0);
    shard all;
    const bool shard_read = header_read && !refused([&] { all = io::read_shard(path, everyone, make_local_communicator()); });
    if (!whole_read) return;
    // Oracles: what read_dataset accepts, the other readers accept and see alike.
    if (!header_read || !index_read || !shard_read) throw harness_failure("read_dataset accepted a file another reader refused");
    if (index.user_offsets != whole.events.user_offsets || index.in_offsets != whole.graph.in_offsets ||
        index.in_source != whole.graph.in_source || index.time.size() != whole.events.time.size())
        throw harness_failure("read_dataset_index disagrees with read_dataset");
    if (!same_shard(all, make_shard(whole, everyone))) throw harness_failure("read_shard of every user disagrees with read_dataset");
    summarise(whole, 3);  // what `mic info` computes
}

} // namespace mic::fuzz
