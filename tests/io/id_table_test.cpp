// Name → id tables: stable provisional ids, lookups, and the final order (numeric for integer
// names, byte order otherwise) that makes ids independent of line order.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/id_table.hpp"

namespace mic::io {
namespace {

std::vector<std::string> in_final_order(const id_table& table) {
    std::vector<std::string> names;
    for (std::int32_t id: table.final_order()) names.emplace_back(table.name(id));
    return names;
}

TEST(IdTable, GivesEachDistinctNameOneIdInOrderOfFirstAppearance) {
    id_table t;
    EXPECT_EQ(t.intern("bob", "users"), 0);
    EXPECT_EQ(t.intern("alice", "users"), 1);
    EXPECT_EQ(t.intern("bob", "users"), 0);
    EXPECT_EQ(t.find("alice"), 1);
    EXPECT_EQ(t.find("carol"), -1);
    EXPECT_EQ(t.size(), 2);
    EXPECT_EQ(t.name(1), "alice");
}

TEST(IdTable, KeepsEveryNameThroughManyRehashes) {
    id_table t;
    const auto name = [](int i) { return std::string("n").append(std::to_string(i * 7919)); };
    for (int i = 0; i < 50000; ++i) ASSERT_EQ(t.intern(name(i), "users"), i);
    bool all_found = true;
    for (int i = 0; i < 50000; ++i) all_found = all_found && t.find(name(i)) == i;
    EXPECT_TRUE(all_found);
    EXPECT_EQ(t.find("n1"), -1);
}

TEST(IdTable, OrdersIntegerNamesNumerically) {
    id_table t;
    for (const char* n: {"10", "2", "-1", "007", "7", "0", "-20", "+3"}) t.intern(n, "users");
    EXPECT_TRUE(t.all_integers());
    EXPECT_EQ(in_final_order(t), (std::vector<std::string>{"-20", "-1", "0", "2", "+3", "007", "7", "10"}));
}

TEST(IdTable, OrdersOtherNamesByBytesOnceOneNameIsNotAnInteger) {
    id_table t;
    for (const char* n: {"10", "2", "bob", "Alice", "1"}) t.intern(n, "users");
    EXPECT_FALSE(t.all_integers());
    EXPECT_EQ(in_final_order(t), (std::vector<std::string>{"1", "10", "2", "Alice", "bob"}));
}

TEST(IsIntegerName, AcceptsAnOptionalSignAndDigitsOnly) {
    EXPECT_TRUE(is_integer_name("0"));
    EXPECT_TRUE(is_integer_name("-12"));
    EXPECT_TRUE(is_integer_name("+12"));
    EXPECT_FALSE(is_integer_name(""));
    EXPECT_FALSE(is_integer_name("-"));
    EXPECT_FALSE(is_integer_name("1.5"));
    EXPECT_FALSE(is_integer_name("1e3"));
    EXPECT_FALSE(is_integer_name(" 1"));
}

TEST(IntegerNameLess, ComparesValuesOfAnyLength) {
    EXPECT_TRUE(integer_name_less("99999999999999999999", "100000000000000000000"));
    EXPECT_TRUE(integer_name_less("-100000000000000000000", "-99999999999999999999"));
    EXPECT_FALSE(integer_name_less("0", "-0"));  // equal values: by bytes, "-0" < "0"
    EXPECT_TRUE(integer_name_less("-0", "0"));
}

} // namespace
} // namespace mic::io
