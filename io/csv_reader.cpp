#include "io/csv_reader.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "engine/support/error.hpp"

namespace mic::io {
namespace {

constexpr std::size_t block_size = std::size_t{1} << 20;       // bytes per read
constexpr std::size_t max_line_length = std::size_t{1} << 26;  // 64 MiB: longer means "not a text file"

bool is_blank(char c, char delimiter) { return (c == ' ' || c == '\t') && c != delimiter; }

std::string_view trim(std::string_view s, char delimiter) {
    while (!s.empty() && is_blank(s.front(), delimiter)) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back(), delimiter)) s.remove_suffix(1);
    return s;
}

// Blank (0), a '#' comment (1) or anything else (2).
int line_kind(std::string_view line) {
    for (char c: line) {
        if (c == ' ' || c == '\t') continue;
        return c == '#' ? 1 : 2;
    }
    return 0;
}

// Reads the quoted field whose opening quote is at line[i]: appends its text to `scratch` ("" stands
// for one quote), adds the field to `fields` and moves `i` past the closing quote. Returns "" or what
// is wrong. `scratch` must have room for the line (reserved by the caller), so that earlier views
// into it stay valid.
std::string read_quoted_field(std::string_view line, std::size_t& i, std::vector<std::string_view>& fields,
                              std::string& scratch) {
    const std::size_t first = scratch.size();
    for (++i;;) {
        const std::size_t quote = line.find('"', i);
        if (quote == std::string_view::npos)
            return "unterminated quoted field (a quoted field must end on the same line with \")";
        scratch.append(line.substr(i, quote - i));
        i = quote + 1;
        if (i >= line.size() || line[i] != '"') break;
        scratch.push_back('"');
        ++i;
    }
    fields.emplace_back(scratch.data() + first, scratch.size() - first);
    return {};
}

std::string text_after_quote(std::size_t field) {
    return "text after the closing quote of field " + std::to_string(field) +
        " (inside a quoted field, write a quote as \"\")";
}

// Whitespace-separated text (delimiter ' ', as SNAP's edge lists): fields are separated by runs of
// spaces and tabs, blanks at either end are ignored, and a field may be quoted.
std::string split_on_blanks(std::string_view line, std::vector<std::string_view>& fields, std::string& scratch) {
    scratch.clear();
    scratch.reserve(line.size());
    const auto blank = [&](std::size_t k) { return line[k] == ' ' || line[k] == '\t'; };
    std::size_t i = 0;
    for (;;) {
        while (i < line.size() && blank(i)) ++i;
        if (i >= line.size()) return {};
        if (line[i] != '"') {
            const std::size_t start = i;
            while (i < line.size() && !blank(i)) ++i;
            fields.push_back(line.substr(start, i - start));
            continue;
        }
        if (auto problem = read_quoted_field(line, i, fields, scratch); !problem.empty()) return problem;
        if (i < line.size() && !blank(i)) return text_after_quote(fields.size());
    }
}

} // namespace

line_reader::line_reader(const std::filesystem::path& path, std::string display_name)
    : name_(std::move(display_name)) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw input_error(name_ + ": cannot open (" + std::strerror(EISDIR) + ")");
    file_ = std::fopen(path.c_str(), "rb");
    if (file_ == nullptr) throw input_error(name_ + ": cannot open (" + std::strerror(errno) + ")");
    std::setvbuf(file_, nullptr, _IONBF, 0);  // we read whole blocks ourselves
    buffer_.resize(block_size);
}

line_reader::~line_reader() {
    if (file_ != nullptr) std::fclose(file_);
}

// Moves the unread tail to the front and appends the next block (or notes the end of the file).
void line_reader::refill() {
    if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (end_ == buffer_.size()) {
        if (buffer_.size() >= max_line_length)
            throw input_error(name_ + ":" + std::to_string(line_number_ + 1) + ": line longer than " +
                              std::to_string(max_line_length >> 20) + " MiB; is this a text file?");
        buffer_.resize(buffer_.size() * 2);
    }
    const std::size_t n = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
    if (n == 0) {
        if (std::ferror(file_)) throw input_error(name_ + ": read error (" + std::strerror(errno) + ")");
        at_eof_ = true;
    }
    end_ += n;
}

bool line_reader::next(std::string_view& line) {
    std::size_t searched = begin_;  // [begin_, searched) holds no '\n'
    for (;;) {
        const void* nl = std::memchr(buffer_.data() + searched, '\n', end_ - searched);
        if (nl != nullptr || (at_eof_ && begin_ < end_)) {
            const std::size_t stop =
                nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_.data()) : end_;
            line = std::string_view(buffer_.data() + begin_, stop - begin_);
            begin_ = nl ? stop + 1 : end_;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (++line_number_ == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
            return true;
        }
        if (at_eof_) return false;
        const std::size_t unread = end_ - begin_;
        refill();  // moves the unread bytes to the front, then appends a block or sets at_eof_
        searched = begin_ + unread;
    }
}

char detect_delimiter(std::string_view first_line) {
    if (first_line.find('\t') != std::string_view::npos) return '\t';
    if (first_line.find(',') != std::string_view::npos) return ',';
    if (first_line.find(';') != std::string_view::npos) return ';';
    // Neither: whitespace-separated when two words are (SNAP's "0 1"), else one field of a CSV.
    const auto first = first_line.find_first_not_of(' '), last = first_line.find_last_not_of(' ');
    if (first != std::string_view::npos && first_line.substr(first, last - first + 1).find(' ') != std::string_view::npos)
        return ' ';
    return ',';
}

char parse_delimiter_option(const std::string& value) {
    if (value.empty()) return '\0';
    if (value == "tab" || value == "\\t" || value == "\t") return '\t';
    if (value == "space" || value == "whitespace") return ' ';
    if (value.size() == 1 && value[0] != '"' && value[0] != '\n' && value[0] != '\r') return value[0];
    throw input_error("--delimiter '" + value +
                      "' is not a delimiter; give one character such as ',' or ';', or 'tab' or 'space'");
}

std::string split_fields(std::string_view line, char delimiter, std::vector<std::string_view>& fields,
                         std::string& scratch) {
    fields.clear();
    if (delimiter == ' ') return split_on_blanks(line, fields, scratch);
    if (line.find('"') == std::string_view::npos) {  // fast path: no quoting
        std::size_t start = 0;
        for (;;) {
            const std::size_t stop = line.find(delimiter, start);
            fields.push_back(trim(
                line.substr(start, stop == std::string_view::npos ? std::string_view::npos : stop - start), delimiter));
            if (stop == std::string_view::npos) return {};
            start = stop + 1;
        }
    }
    // Quoted fields are unescaped into `scratch`; reserving the line's length up front means it
    // never reallocates, so earlier views stay valid.
    scratch.clear();
    scratch.reserve(line.size());
    std::size_t i = 0;
    for (;;) {  // one field per iteration; `i` is at its first character
        while (i < line.size() && is_blank(line[i], delimiter)) ++i;
        if (i < line.size() && line[i] == '"') {
            if (auto problem = read_quoted_field(line, i, fields, scratch); !problem.empty()) return problem;
            while (i < line.size() && is_blank(line[i], delimiter)) ++i;
            if (i < line.size() && line[i] != delimiter) return text_after_quote(fields.size());
        } else {
            const std::size_t stop = std::min(line.find(delimiter, i), line.size());
            fields.push_back(trim(line.substr(i, stop - i), delimiter));
            i = stop;
        }
        if (i >= line.size()) return {};
        ++i;  // past the delimiter: another field follows, possibly empty
    }
}

csv_reader::csv_reader(const std::filesystem::path& path, std::string display_name, char delimiter, bool hash_comments)
    : lines_(path, std::move(display_name)), delimiter_(delimiter), hash_comments_(hash_comments) {}

bool csv_reader::next() {
    std::string_view line;
    for (;;) {
        if (!lines_.next(line)) return false;
        if (lines_.line_number() == 1 && line.starts_with("\x1f\x8b"))
            throw input_error(name() + ": is gzip-compressed; decompress it first (gunzip -k " + name() + ")");
        const int kind = line_kind(line);
        if (kind == 2 || (kind == 1 && (first_record_line_ > 0 || !hash_comments_))) break;
        comment_lines_ += kind;
    }
    if (first_record_line_ == 0) first_record_line_ = lines_.line_number();
    // Names are stored as C strings (HDF5 variable-length strings): a NUL would cut "al\0ice" to
    // "al" and silently merge two users. Text has no NUL; UTF-16 text has one every other byte.
    if (const auto nul = line.find('\0'); nul != std::string_view::npos)
        fail("a NUL byte (\\0) at column " + std::to_string(nul + 1) +
             "; text files have none — is this file UTF-16 or binary? Convert it to UTF-8 text (e.g. iconv -f UTF-16 -t UTF-8) "
             "or remove the NUL bytes (tr -d '\\000')");
    if (delimiter_ == '\0') delimiter_ = detect_delimiter(line);
    if (auto problem = split_fields(line, delimiter_, fields_, scratch_); !problem.empty()) fail(problem);
    return true;
}

std::string csv_reader::comment_note() const {
    if (comment_lines_ == 0) return {};
    return name() + ": skipped " + std::to_string(comment_lines_) + " comment line" + (comment_lines_ == 1 ? "" : "s") +
        " ('#') before line " + std::to_string(first_record_line_);
}

void csv_reader::fail(const std::string& what) const {
    throw input_error(name() + ":" + std::to_string(line_number()) + ": " + what);
}

std::size_t first_invalid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        // Lead byte → sequence length and the range of its first continuation byte (RFC 3629 table).
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) length = 2;
        else if (c == 0xE0) length = 3, low = 0xA0;
        else if (c == 0xED) length = 3, high = 0x9F;  // no surrogates
        else if (c >= 0xE1 && c <= 0xEF) length = 3;
        else if (c == 0xF0) length = 4, low = 0x90;
        else if (c >= 0xF1 && c <= 0xF3) length = 4;
        else if (c == 0xF4) length = 4, high = 0x8F;  // nothing above U+10FFFF
        else return i;
        if (i + length > n || s[i + 1] < low || s[i + 1] > high) return i;
        for (std::size_t k = 2; k < length; ++k)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
        i += length;
    }
    return std::string_view::npos;
}

void csv_reader::require_utf8(std::string_view field, const char* what) const {
    const std::size_t bad = first_invalid_utf8(field);
    if (bad == std::string_view::npos) return;
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(field[bad])));
    fail(std::string("the ") + what + " is not UTF-8 text (byte " + byte + " at its position " + std::to_string(bad + 1) +
         "); convert the file to UTF-8, e.g. from Latin-1: iconv -f latin1 -t utf-8 " + name() + " > utf8-" +
         std::filesystem::path(name()).filename().string());
}

} // namespace mic::io
