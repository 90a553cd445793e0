#pragma once
// Reading decisions out of a fuzzer's input: small integers, choices and strings, consumed from the
// front; an exhausted input reads as zeros, so every input is a valid recipe.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>

namespace mic::fuzz {

class fuzz_bytes {
public:
    fuzz_bytes(const std::uint8_t* data, std::size_t size): data_(data), size_(size) {}

    bool empty() const { return position_ >= size_; }
    std::uint8_t byte() { return empty() ? 0 : data_[position_++]; }
    std::uint16_t two_bytes() { return std::uint16_t(byte() | (byte() << 8)); }
    // A number in [0, n) (n ≥ 1), from one or two bytes.
    std::uint32_t below(std::uint32_t n) { return n <= 256 ? byte() % n : two_bytes() % n; }
    bool coin() { return byte() & 1; }
    template <class T> T pick(std::initializer_list<T> values) { return values.begin()[below(std::uint32_t(values.size()))]; }
    // Up to `max` bytes, length first.
    std::string text(std::size_t max) {
        std::string s;
        for (std::size_t n = below(std::uint32_t(max + 1)); n > 0 && !empty(); --n) s.push_back(char(byte()));
        return s;
    }
    // Everything not read yet.
    std::string rest() {
        std::string s(reinterpret_cast<const char*>(data_ + position_), empty() ? 0 : size_ - position_);
        position_ = size_;
        return s;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t position_ = 0;
};

} // namespace mic::fuzz
