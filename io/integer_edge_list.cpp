#include "io/integer_edge_list.hpp"

#include <charconv>
#include <limits>
#include <string>

#include "io/csv_reader.hpp"

namespace mic::io {
namespace {

bool parse_id(std::string_view text, std::int64_t& id) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    return error == std::errc() && end == text.data() + text.size();
}

} // namespace

integer_edge_list read_integer_edge_list(const std::filesystem::path& path) {
    csv_reader reader(path, path.string());
    integer_edge_list list;
    bool first = true;
    while (reader.next()) {
        const auto fields = reader.fields();
        std::int64_t source = 0, target = 0;
        const bool numeric = fields.size() == 2 && parse_id(fields[0], source) && parse_id(fields[1], target);
        if (!numeric) {
            if (first && fields.size() == 2) {  // a header line such as "source,target"
                first = false;
                list.header = std::string(fields[0]) + "," + std::string(fields[1]);
                continue;
            }
            reader.fail("expected `source,target` with two integer ids; fix the line (named ids: use `mic import --edges`)");
        }
        first = false;
        constexpr std::int64_t limit = std::numeric_limits<std::int32_t>::max() - 1;
        if (source < 0 || target < 0 || source > limit || target > limit)
            reader.fail("ids must be 0-based integers below 2^31 - 1");
        list.edges.emplace_back(static_cast<std::int32_t>(source), static_cast<std::int32_t>(target));
        list.largest_id = std::max(list.largest_id, static_cast<std::int32_t>(std::max(source, target)));
    }
    return list;
}

} // namespace mic::io
