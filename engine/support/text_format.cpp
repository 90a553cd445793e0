#include "engine/support/text_format.hpp"

#include <charconv>

namespace mic {

std::string with_thousands(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return n < 0 ? "-" + out : out;
}

std::string shortest(double x) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, x);
    return std::string(text, result.ptr);
}

std::size_t display_columns(std::string_view text) {
    std::size_t n = 0;
    for (const char ch : text) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    return n;
}

std::string shortened(std::string text, std::size_t width) {
    if (display_columns(text) <= width) return text;
    std::size_t kept = 0, columns = 0;  // bytes of the first width − 1 characters
    while (kept < text.size()) {
        const bool starts_character = (static_cast<unsigned char>(text[kept]) & 0xC0) != 0x80;
        if (starts_character && columns == width - 1) break;
        columns += starts_character;
        ++kept;
    }
    text.resize(kept);
    return text + "…";
}

std::string padded(std::string text, std::size_t width) {
    const std::size_t columns = display_columns(text);
    if (columns < width) text.append(width - columns, ' ');
    return text;
}

} // namespace mic
