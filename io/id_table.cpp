#include "io/id_table.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>

#include "engine/support/error.hpp"

namespace mic::io {
namespace {

std::uint64_t hash_of(std::string_view name) { return std::hash<std::string_view>{}(name); }

std::uint32_t tag_of(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32); }

// Sign and magnitude digits without leading zeros ("-0" is 0, not negative).
struct integer_parts {
    bool negative;
    std::string_view magnitude;
};

integer_parts parts_of(std::string_view text) {
    bool negative = false;
    if (text.front() == '+' || text.front() == '-') {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    while (text.size() > 1 && text.front() == '0') text.remove_prefix(1);
    if (text == "0") negative = false;
    return {negative, text};
}

// |a| < |b| for magnitudes without leading zeros: shorter is smaller, then digit by digit.
int compare_magnitudes(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b);
}

} // namespace

bool is_integer_name(std::string_view text) {
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool integer_name_less(std::string_view a, std::string_view b) {
    const auto x = parts_of(a), y = parts_of(b);
    if (x.negative != y.negative) return x.negative;
    int order = compare_magnitudes(x.magnitude, y.magnitude);
    if (x.negative) order = -order;
    return order != 0 ? order < 0 : a < b;
}

id_table::id_table(): slots_(1024, slot{0, -1}) {}

std::string_view id_table::name(std::int32_t id) const {
    const auto k = static_cast<std::size_t>(id);
    const std::uint64_t begin = k == 0 ? 0 : ends_[k - 1];
    return std::string_view(arena_).substr(begin, ends_[k] - begin);
}

// The slot holding `name`, or the empty slot where it would go.
std::size_t id_table::slot_of(std::string_view name, std::uint64_t hash) const {
    const std::size_t mask = slots_.size() - 1;  // size is a power of two
    const std::uint32_t tag = tag_of(hash);
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const slot& s = slots_[i];
        if (s.id < 0 || (s.hash_tag == tag && this->name(s.id) == name)) return i;
    }
}

void id_table::grow() {
    std::vector<slot> old(slots_.size() * 2, slot{0, -1});
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const slot& s: old) {
        if (s.id < 0) continue;
        std::size_t i = hash_of(name(s.id)) & mask;
        while (slots_[i].id >= 0) i = (i + 1) & mask;
        slots_[i] = s;
    }
}

std::int32_t id_table::find(std::string_view name) const { return slots_[slot_of(name, hash_of(name))].id; }

std::int32_t id_table::intern(std::string_view name, const char* kind) {
    const std::uint64_t hash = hash_of(name);
    std::size_t i = slot_of(name, hash);
    if (slots_[i].id >= 0) return slots_[i].id;
    if (ends_.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw input_error(std::string("more than 2147483647 ") + kind + "; mic ids are 32-bit");
    const auto id = static_cast<std::int32_t>(ends_.size());
    arena_.append(name);
    ends_.push_back(arena_.size());
    all_integers_ = all_integers_ && is_integer_name(name);
    slots_[i] = slot{tag_of(hash), id};
    if (2 * ends_.size() > slots_.size()) grow();
    return id;
}

std::vector<std::int32_t> id_table::final_order() const {
    std::vector<std::int32_t> order(static_cast<std::size_t>(size()));
    std::iota(order.begin(), order.end(), 0);
    if (all_integers_)
        std::sort(order.begin(), order.end(),
                  [&](std::int32_t a, std::int32_t b) { return integer_name_less(name(a), name(b)); });
    else
        std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return name(a) < name(b); });
    return order;
}

} // namespace mic::io
