#pragma once
// Names (user or cascade ids as written in a file) → dense ids, compactly.
//
// While a file streams in, each distinct name gets a provisional id in order of first appearance.
// Names live back to back in one byte arena and the hash table holds 8-byte slots, so a million
// names cost a few tens of MB, not the ~100 B per entry of a map of strings.
//
// final_order() then fixes the ids the dataset uses, independent of line order: numeric order when
// every name is an integer (so ids 0..n-1 keep their values), byte order otherwise.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mic::io {

class id_table {
public:
    id_table();

    // The provisional id of `name`, adding it when new. Throws input_error when more than 2^31-1
    // names would be needed (`kind` names them in the message, e.g. "users").
    std::int32_t intern(std::string_view name, const char* kind);
    // The provisional id of `name`, or -1.
    std::int32_t find(std::string_view name) const;

    std::int32_t size() const { return static_cast<std::int32_t>(ends_.size()); }
    std::string_view name(std::int32_t id) const;
    bool all_integers() const { return all_integers_; }

    // The provisional ids in final order: final id k is provisional id order[k].
    std::vector<std::int32_t> final_order() const;

private:
    struct slot {
        std::uint32_t hash_tag;  // high bits of the hash, to skip most string compares
        std::int32_t id;         // -1 = empty
    };
    std::size_t slot_of(std::string_view name, std::uint64_t hash) const;
    void grow();

    std::string arena_;                // all names, back to back
    std::vector<std::uint64_t> ends_;  // name k is arena_[ends_[k-1], ends_[k])
    std::vector<slot> slots_;          // open addressing, linear probing, load ≤ 1/2
    bool all_integers_ = true;
};

// True when `text` is an integer: an optional sign and at least one digit, nothing else.
bool is_integer_name(std::string_view text);

// Integer names by value (ties, such as "7" and "007", by bytes); needs is_integer_name on both.
bool integer_name_less(std::string_view a, std::string_view b);

} // namespace mic::io
