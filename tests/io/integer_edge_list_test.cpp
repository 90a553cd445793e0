// Edge lists of integer ids (`mic generate --graph FILE`): separators, header, comments, errors.
#include <gtest/gtest.h>

#include <fstream>

#include "engine/support/error.hpp"
#include "io/integer_edge_list.hpp"

namespace mic::io {
namespace {

std::filesystem::path write(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() / ("mic-edges-" + name);
    std::ofstream(path) << text;
    return path;
}

std::string error_of(const std::filesystem::path& path) {
    try {
        read_integer_edge_list(path);
    } catch (const input_error& e) {
        return e.what();
    }
    return "no error";
}

TEST(ReadIntegerEdgeList, ReadsEdgesInFileOrderWithHeaderCommentsAndTabs) {
    const auto list = read_integer_edge_list(write("ok.tsv", "# a comment\nsource\ttarget\n0\t1\n\n3\t0\n2\t2\n"));
    EXPECT_EQ(list.edges, (std::vector<std::pair<std::int32_t, std::int32_t>>{{0, 1}, {3, 0}, {2, 2}}));
    EXPECT_EQ(list.largest_id, 3);
    EXPECT_EQ(read_integer_edge_list(write("empty.csv", "")).largest_id, -1);
}

TEST(ReadIntegerEdgeList, NamesTheLineOfAMalformedOrNegativeId) {
    const auto bad = write("bad.csv", "0,1\n1,x\n");
    EXPECT_EQ(error_of(bad), bad.string() + ":2: expected `source,target` with two integer ids; fix the line "
                                            "(named ids: use `mic import --edges`)");
    const auto negative = write("neg.csv", "0,1\n-1,2\n");
    EXPECT_EQ(error_of(negative), negative.string() + ":2: ids must be 0-based integers below 2^31 - 1");
    const auto three = write("three.csv", "0,1,2\n");
    EXPECT_NE(error_of(three).find(three.string() + ":1:"), std::string::npos);
    EXPECT_NE(error_of("/nonexistent/edges.csv").find("/nonexistent/edges.csv"), std::string::npos);
}

} // namespace
} // namespace mic::io
