#include "io/topic_share_read.hpp"

#include <span>
#include <stdexcept>
#include <vector>

#include "engine/ctmp/topic_posts.hpp"
#include "io/dataset_file.hpp"

namespace mic::io {

dataset read_topic_share(const std::filesystem::path& path, int part, int n_parts, std::int64_t block_events) {
    if (n_parts < 1 || part < 0 || part >= n_parts || block_events < 1)
        throw std::invalid_argument("read_topic_share: part outside [0, n_parts) or an empty block");
    hdf5_file file = hdf5_file::open_read(path);
    const problem_context where = reading_context(path);
    dataset d;
    d.header = read_header(file);
    const dataset_header& h = d.header;
    const dataset_arrays a = open_dataset_arrays(file, h);
    const auto offsets = a.user_offsets.read_all<std::int64_t>();
    check_offsets(offsets, h.n_users, a.time.size(), a.user_offsets.name(), a.time.name(), where);
    d.events.user_offsets.reserve(offsets.size());
    std::vector<std::int32_t> cascade;
    std::vector<double> time;
    for (std::int32_t u = 0; u < h.n_users;) {
        // Users [u, last): as many whole users as fit in one block, at least one.
        std::int32_t last = u + 1;
        while (last < h.n_users && offsets[last + 1] - offsets[u] <= block_events) ++last;
        const std::int64_t first_event = offsets[u], count = offsets[last] - first_event;
        cascade.resize(static_cast<std::size_t>(count));
        time.resize(static_cast<std::size_t>(count));
        a.cascade.read(first_event, std::span(cascade));
        a.time.read(first_event, std::span(time));
        for (std::int32_t v = u; v < last; ++v) {
            const auto begin = static_cast<std::size_t>(offsets[v] - first_event), end = static_cast<std::size_t>(offsets[v + 1] - first_event);
            check_user_events(v, offsets[v], std::span(cascade).subspan(begin, end - begin),
                              std::span(time).subspan(begin, end - begin), h, where);
            for (auto k = begin; k < end; ++k) {
                if (!in_topic_part(cascade[k], part, n_parts)) continue;
                d.events.cascade.push_back(cascade[k]);
                d.events.time.push_back(time[k]);
            }
            d.events.user_offsets.push_back(d.events.n_events());
        }
        u = last;
    }
    check_user_column_in_blocks(a.user, offsets, where);
    d.graph = read_whole_graph(a, h, where);
    return d;
}

} // namespace mic::io
