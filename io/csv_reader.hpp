#pragma once
// Streaming reader of delimited text (CSV, TSV, ';'-separated), one record at a time.
//
// The file is read in large blocks and never held whole: a record's fields are views into the
// current block, valid until the next call to next(). Dialect (RFC 4180, restricted to one line):
// - fields are separated by one delimiter character (' ' stands for runs of spaces and tabs, as in
//   whitespace-separated files); unquoted fields are trimmed of spaces (and of
//   tabs, unless the delimiter is a tab);
// - a field may be quoted ("a,b"); inside quotes "" stands for one quote; quoted fields cannot span
//   lines;
// - blank lines are skipped, and so are lines whose first non-blank character is '#' before the
//   first record (a comment block such as SNAP's); later, such a line is a record (a hashtag);
// - CRLF line ends and a UTF-8 byte-order mark at the start of the file are tolerated;
// - a NUL byte in a record is an error (names are stored as C strings: it would cut them).
// Line numbers are physical line numbers (1-based), counting skipped lines, as an editor shows them.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mic::io {

// Reads a file line by line through a large buffer. Throws input_error
// "NAME: cannot open (REASON)" / "NAME: read error (REASON)".
class line_reader {
public:
    line_reader(const std::filesystem::path& path, std::string display_name);
    ~line_reader();
    line_reader(const line_reader&) = delete;
    line_reader& operator=(const line_reader&) = delete;

    // The next physical line without its line end, valid until the next call; false at end of file.
    bool next(std::string_view& line);
    std::int64_t line_number() const { return line_number_; }  // of the line last returned
    const std::string& name() const { return name_; }

private:
    void refill();

    std::string name_;
    std::FILE* file_ = nullptr;
    std::vector<char> buffer_;
    std::size_t begin_ = 0, end_ = 0;
    bool at_eof_ = false;
    std::int64_t line_number_ = 0;
};

// The delimiter of a file whose first non-blank, non-comment line is `first_line`: a tab if it has
// one, else ',' if it has one, else ';' if it has one, else ' ' (runs of blanks, as SNAP's edge
// lists) if it holds two words, else ','.
char detect_delimiter(std::string_view first_line);

// The delimiter named by an option value: "" (auto, returns '\0'), one character, "tab" or "\t",
// "space" or "whitespace" (' ': fields separated by runs of spaces and tabs).
// Throws input_error for anything else (or for '"', which cannot be a delimiter).
char parse_delimiter_option(const std::string& value);

// Splits one line into fields. The views point into `line` or into `scratch` (which receives the
// unescaped text of quoted fields). Returns an empty string on success, else what is wrong with the
// quoting (without file or line).
std::string split_fields(std::string_view line, char delimiter, std::vector<std::string_view>& fields,
                         std::string& scratch);

// The position of the first byte of `text` that is not part of valid UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF included), or npos when it is all valid.
std::size_t first_invalid_utf8(std::string_view text);

// Records of one delimited-text file.
class csv_reader {
public:
    // `delimiter` '\0' = detect from the first non-blank, non-comment line. Throws input_error when the
    // file cannot be opened. `display_name` names the file in messages. `hash_comments` false: a line
    // starting with '#' is a record wherever it is (a log whose first column holds hashtags).
    csv_reader(const std::filesystem::path& path, std::string display_name, char delimiter = '\0', bool hash_comments = true);

    // Advances to the next record; false at end of file. Throws input_error on bad quoting.
    bool next();
    std::span<const std::string_view> fields() const { return fields_; }
    std::int64_t line_number() const { return lines_.line_number(); }  // of the current record
    std::int64_t comment_lines() const { return comment_lines_; }       // '#' lines skipped before the first record
    // "NAME: skipped N comment lines ('#') before line L", or "" when there were none.
    std::string comment_note() const;
    char delimiter() const { return delimiter_; }                      // '\0' until the first record was read
    const std::string& name() const { return lines_.name(); }

    // Throws input_error "NAME:LINE: what" for the current record.
    [[noreturn]] void fail(const std::string& what) const;
    // Fails the current record unless `field` (a name: `what` says which, e.g. "user id") is UTF-8.
    // Names are stored as UTF-8 strings (SPEC §5) and h5py and the JSON output decode them.
    void require_utf8(std::string_view field, const char* what) const;

private:
    line_reader lines_;
    char delimiter_;
    bool hash_comments_;
    std::int64_t first_record_line_ = 0;  // 0 until the first record was read
    std::int64_t comment_lines_ = 0;
    std::vector<std::string_view> fields_;
    std::string scratch_;
};

} // namespace mic::io
