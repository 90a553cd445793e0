// The delimited-text reader: field splitting and quoting, delimiter detection, blank and comment
// lines, CRLF and byte-order marks, lines across read blocks; and header detection.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "engine/support/error.hpp"
#include "io/csv_reader.hpp"
#include "io/import_columns.hpp"
#include "tests/support/test_world.hpp"

namespace mic::io {
namespace {

std::vector<std::string> split(std::string_view line, char delimiter = ',') {
    std::vector<std::string_view> fields;
    std::string scratch;
    const std::string problem = split_fields(line, delimiter, fields, scratch);
    if (!problem.empty()) return {"error: " + problem};
    return {fields.begin(), fields.end()};
}

using strings = std::vector<std::string>;

// A scratch directory, removed at the end of the test (these tests run in one process only).
struct scratch_files {
    explicit scratch_files(const std::string& name): dir(testing::scratch_directory(name)) {}
    ~scratch_files() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    std::filesystem::path dir;
};

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

// Every record of a file, each as "LINE: f1|f2|…".
strings records_of(const std::filesystem::path& path, char delimiter = '\0') {
    csv_reader reader(path, path.filename().string(), delimiter);
    strings out;
    while (reader.next()) {
        std::string r = std::to_string(reader.line_number()) + ":";
        for (std::size_t i = 0; i < reader.fields().size(); ++i) {
            r += i ? '|' : ' ';
            r += reader.fields()[i];
        }
        out.push_back(r);
    }
    return out;
}

TEST(SplitFields, SplitsOnTheDelimiterAndTrimsUnquotedFields) {
    EXPECT_EQ(split(" a , b ,c"), (strings{"a", "b", "c"}));
    EXPECT_EQ(split("a,,c,"), (strings{"a", "", "c", ""}));
    EXPECT_EQ(split(""), (strings{""}));
    EXPECT_EQ(split("a;b,c", ';'), (strings{"a", "b,c"}));
}

TEST(SplitFields, TabSeparatedFieldsKeepInnerSpacesAndEmptyFields) {
    EXPECT_EQ(split("a b\t c \t\td", '\t'), (strings{"a b", "c", "", "d"}));
}

TEST(SplitFields, QuotedFieldsKeepDelimitersSpacesAndUnescapeDoubledQuotes) {
    EXPECT_EQ(split(R"("a,b","say ""hi""",c)"), (strings{"a,b", R"(say "hi")", "c"}));
    EXPECT_EQ(split(R"( " a " ,b)"), (strings{" a ", "b"}));
    EXPECT_EQ(split(R"("",x,"")"), (strings{"", "x", ""}));
    EXPECT_EQ(split(R"(a,"b")"), (strings{"a", "b"}));
    EXPECT_EQ(split(R"(5" screen,b)"), (strings{R"(5" screen)", "b"}));  // a quote inside an unquoted field is text
}

TEST(SplitFields, ExplainsBrokenQuoting) {
    EXPECT_EQ(split(R"(a,"b,c)"),
              (strings{"error: unterminated quoted field (a quoted field must end on the same line with \")"}));
    EXPECT_EQ(
        split(R"("a"b,c)"),
        (strings{"error: text after the closing quote of field 1 (inside a quoted field, write a quote as \"\")"}));
}

TEST(DetectDelimiter, PrefersTabThenCommaThenSemicolonThenBlanksBetweenWords) {
    EXPECT_EQ(detect_delimiter("user\tcascade\ttime"), '\t');
    EXPECT_EQ(detect_delimiter("a,b\tc"), '\t');
    EXPECT_EQ(detect_delimiter("u;c;1"), ';');
    EXPECT_EQ(detect_delimiter("u;c,1"), ',');
    EXPECT_EQ(detect_delimiter("u,c,1"), ',');
    EXPECT_EQ(detect_delimiter("single"), ',');
    EXPECT_EQ(detect_delimiter("0 1"), ' ');          // SNAP's edge lists
    EXPECT_EQ(detect_delimiter("  12   7  "), ' ');
    EXPECT_EQ(detect_delimiter("Smith J,#a,1"), ',');  // a name with a space in a CSV
    EXPECT_EQ(detect_delimiter("  single  "), ',');
}

TEST(SplitFields, BlankSeparatedFieldsSplitOnRunsOfSpacesAndTabsAndMayBeQuoted) {
    EXPECT_EQ(split("0 1", ' '), (strings{"0", "1"}));
    EXPECT_EQ(split("  a  \t b c  ", ' '), (strings{"a", "b", "c"}));
    EXPECT_EQ(split("\"Smith, J.\"   \"say \"\"hi\"\"\" x", ' '), (strings{"Smith, J.", "say \"hi\"", "x"}));
    EXPECT_EQ(split("\"a\"b c", ' ')[0].rfind("error: text after the closing quote of field 1", 0), 0u);
    EXPECT_EQ(split("\"a b", ' ')[0].rfind("error: unterminated quoted field", 0), 0u);
}

TEST(ParseDelimiterOption, AcceptsOneCharacterOrTabAndRejectsTheRest) {
    EXPECT_EQ(parse_delimiter_option(""), '\0');
    EXPECT_EQ(parse_delimiter_option("tab"), '\t');
    EXPECT_EQ(parse_delimiter_option("\\t"), '\t');
    EXPECT_EQ(parse_delimiter_option("|"), '|');
    EXPECT_EQ(parse_delimiter_option("space"), ' ');
    EXPECT_THROW(parse_delimiter_option(",,"), input_error);
    EXPECT_THROW(parse_delimiter_option("\""), input_error);
}

TEST(CsvReader, SkipsBlankLinesAndTheCommentsBeforeTheFirstRecordAndReportsPhysicalLineNumbers) {
    const scratch_files files("csv_skip");
    const auto& dir = files.dir;
    write_file(dir / "a.csv", "# comment\n\n  # indented comment\nu,c,1\n   \nv , d , 2\n");
    EXPECT_EQ(records_of(dir / "a.csv"), (strings{"4: u|c|1", "6: v|d|2"}));
    csv_reader reader(dir / "a.csv", "a.csv");
    while (reader.next()) {}
    EXPECT_EQ(reader.comment_lines(), 2);
}

// After the first record a line starting with '#' is data: a hashtag in the first column.
TEST(CsvReader, ReadsLinesStartingWithAHashAfterTheFirstRecordAsRecords) {
    const scratch_files files("csv_hashtags");
    write_file(files.dir / "a.csv", "# exported 2024\nhashtag,user,time\n#mic,u,1\n #hpc,v,2\n");
    EXPECT_EQ(records_of(files.dir / "a.csv"), (strings{"2: hashtag|user|time", "3: #mic|u|1", "4: #hpc|v|2"}));
}

TEST(FirstInvalidUtf8, AcceptsUtf8AndFindsTheFirstByteThatIsNot) {
    EXPECT_EQ(first_invalid_utf8("plain ascii"), std::string_view::npos);
    EXPECT_EQ(first_invalid_utf8("Jos\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), std::string_view::npos);  // é € 😀
    EXPECT_EQ(first_invalid_utf8("Jos\xE9"), 3u);                                               // Latin-1 é
    EXPECT_EQ(first_invalid_utf8("ab\xC3"), 2u);                                                // cut short
    EXPECT_EQ(first_invalid_utf8("\xC0\xAF"), 0u);                                              // overlong '/'
    EXPECT_EQ(first_invalid_utf8("x\xED\xA0\x80"), 1u);                                        // a surrogate
    EXPECT_EQ(first_invalid_utf8("\xF4\x90\x80\x80"), 0u);                                    // above U+10FFFF
    EXPECT_EQ(first_invalid_utf8("\xE2\x82x"), 0u);                                             // bad continuation
}

TEST(CsvReader, RefusesANameThatIsNotUtf8NamingFileLineByteAndHowToConvert) {
    const scratch_files files("csv_latin1");
    write_file(files.dir / "a.csv", "user,cascade,time\nJos\xE9,c,1\n");
    csv_reader reader(files.dir / "a.csv", "a.csv");
    ASSERT_TRUE(reader.next());
    ASSERT_TRUE(reader.next());
    try {
        reader.require_utf8(reader.fields()[0], "user id");
        FAIL() << "expected input_error";
    } catch (const input_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("a.csv:2: the user id is not UTF-8 text (byte 0xE9 at its position 4); "
                                              "convert the file to UTF-8, e.g. from Latin-1: iconv -f latin1 -t utf-8 a.csv",
                                              0),
                  0u)
            << e.what();
    }
    EXPECT_NO_THROW(reader.require_utf8(reader.fields()[1], "cascade id"));
}

TEST(CsvReader, ToleratesCrlfAByteOrderMarkAndAMissingFinalNewline) {
    const scratch_files files("csv_crlf");
    const auto& dir = files.dir;
    write_file(dir / "a.csv", "\xEF\xBB\xBFuser,cascade,time\r\nu,c,1\r\n\r\nv,d,2");
    EXPECT_EQ(records_of(dir / "a.csv"), (strings{"1: user|cascade|time", "2: u|c|1", "4: v|d|2"}));
}

TEST(CsvReader, DetectsTheDelimiterFromTheFirstContentLine) {
    const scratch_files files("csv_detect");
    const auto& dir = files.dir;
    write_file(dir / "a.tsv", "# a, comment; with commas\nu 1\tc\t1\n");
    csv_reader reader(dir / "a.tsv", "a.tsv");
    ASSERT_TRUE(reader.next());
    EXPECT_EQ(reader.delimiter(), '\t');
    EXPECT_EQ(reader.fields().size(), 3u);
    EXPECT_EQ(reader.fields()[0], "u 1");
    write_file(dir / "b.csv", "u;c;1,5\n");
    EXPECT_EQ(records_of(dir / "b.csv", ';'), (strings{"1: u|c|1,5"}));
}

TEST(CsvReader, ReadsLinesThatCrossReadBlocksAndLinesLongerThanABlock) {
    const scratch_files files("csv_blocks");
    const auto& dir = files.dir;
    std::string text;
    for (int i = 0; i < 200000; ++i)
        text += "user" + std::to_string(i) + ",c" + std::to_string(i % 7) + "," + std::to_string(i) + "\n";
    const std::string long_name(3 << 20, 'x');  // 3 MiB: longer than one read block
    text += long_name + ",c,1\n";
    write_file(dir / "big.csv", text);
    csv_reader reader(dir / "big.csv", "big.csv");
    std::int64_t n = 0;
    bool all_match = true;
    while (reader.next() && n < 200000) {
        all_match =
            all_match && reader.fields()[0] == "user" + std::to_string(n) && reader.fields()[2] == std::to_string(n);
        ++n;
    }
    EXPECT_TRUE(all_match);
    EXPECT_EQ(n, 200000);
    EXPECT_EQ(reader.line_number(), 200001);
    EXPECT_EQ(reader.fields()[0], long_name);
    EXPECT_FALSE(reader.next());
}

TEST(CsvReader, NamesTheFileThatCannotBeOpened) {
    const scratch_files files("csv_open");
    const auto& dir = files.dir;
    try {
        csv_reader reader(dir / "missing.csv", "missing.csv");
        FAIL() << "expected input_error";
    } catch (const input_error& e) {
        EXPECT_EQ(std::string(e.what()), "missing.csv: cannot open (No such file or directory)");
    }
    EXPECT_THROW(csv_reader(dir, "dir"), input_error);
}

TEST(CsvReader, RecognisesACompressedFile) {
    const scratch_files files("csv_gzip");
    const auto& dir = files.dir;
    write_file(dir / "a.csv.gz", std::string("\x1f\x8b\x08\x00\x00\x00", 6) + "binary\n");
    csv_reader reader(dir / "a.csv.gz", "a.csv.gz");
    try {
        reader.next();
        FAIL() << "expected input_error";
    } catch (const input_error& e) {
        EXPECT_EQ(std::string(e.what()), "a.csv.gz: is gzip-compressed; decompress it first (gunzip -k a.csv.gz)");
    }
}

TEST(CsvReader, NamesTheLineOfBrokenQuoting) {
    const scratch_files files("csv_quote");
    const auto& dir = files.dir;
    write_file(dir / "a.csv", "u,c,1\nu,\"c,2\n");
    csv_reader reader(dir / "a.csv", "a.csv");
    ASSERT_TRUE(reader.next());
    try {
        reader.next();
        FAIL() << "expected input_error";
    } catch (const input_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "a.csv:2: unterminated quoted field (a quoted field must end on the same line with \")");
    }
}

TEST(CsvReader, RefusesANulByteInsideARecordNamingFileLineAndColumn) {
    const scratch_files files("csv_nul");
    write_file(files.dir / "a.csv", std::string("user,cascade,time\nal\0ice,c,1\n", 29));
    csv_reader reader(files.dir / "a.csv", "a.csv");
    ASSERT_TRUE(reader.next());
    try {
        reader.next();
        FAIL() << "expected input_error: a NUL would cut the name to \"al\"";
    } catch (const input_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("a.csv:2: a NUL byte (\\0) at column 3; ", 0), 0u) << e.what();
    }
}

std::vector<std::string_view> views(const strings& s) { return {s.begin(), s.end()}; }

TEST(HeaderDetection, RecognisesColumnNamesCaseInsensitively) {
    EXPECT_TRUE(looks_like_header(views({"User", "CASCADE", "time"}), event_roles()));
    EXPECT_TRUE(looks_like_header(views({"timestamp", "x", "y"}), event_roles()));
    EXPECT_FALSE(looks_like_header(views({"u1", "c1", "12"}), event_roles()));
    EXPECT_TRUE(looks_like_header(views({"from", "to"}), edge_roles()));
    EXPECT_TRUE(looks_like_header(views({"Source", "Target"}), edge_roles()));
    EXPECT_FALSE(looks_like_header(views({"alice", "bob"}), edge_roles()));
}

TEST(HeaderDetection, MapsColumnsByHeaderNamesInAnyOrder) {
    const auto layout = decide_layout(views({"time", "extra", "cascade", "user"}), event_roles(),
                                      header_mode::automatic, "", "e.csv", 1);
    EXPECT_TRUE(layout.first_record_is_header);
    EXPECT_EQ(layout.field_of_role, (std::vector<std::size_t>{3, 2, 0}));
    EXPECT_EQ(layout.n_fields, 4u);
}

TEST(HeaderDetection, WithoutHeaderUsesColumnsOptionOrDefaultOrder) {
    auto layout = decide_layout(views({"u1", "c1", "3"}), event_roles(), header_mode::automatic, "", "e.csv", 1);
    EXPECT_FALSE(layout.first_record_is_header);
    EXPECT_EQ(layout.field_of_role, (std::vector<std::size_t>{0, 1, 2}));
    layout = decide_layout(views({"3", "x", "u1", "c1"}), event_roles(), header_mode::automatic, "time,_,user,cascade",
                           "e.csv", 1);
    EXPECT_FALSE(layout.first_record_is_header);
    EXPECT_EQ(layout.field_of_role, (std::vector<std::size_t>{2, 3, 0}));
    EXPECT_EQ(layout.n_fields, 4u);
    layout = decide_layout(views({"a", "b", "c"}), event_roles(), header_mode::yes, "cascade,user,time", "e.csv", 1);
    EXPECT_TRUE(layout.first_record_is_header);
    EXPECT_EQ(layout.field_of_role, (std::vector<std::size_t>{1, 0, 2}));
    layout = decide_layout(views({"user", "cascade", "time"}), event_roles(), header_mode::no, "", "e.csv", 1);
    EXPECT_FALSE(layout.first_record_is_header);
}

std::string layout_error(const strings& record, header_mode mode, const std::string& columns) {
    try {
        decide_layout(views(record), event_roles(), mode, columns, "e.csv", 2);
    } catch (const input_error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(HeaderDetection, ExplainsMissingRepeatedAndUnknownColumns) {
    EXPECT_EQ(layout_error({"user", "topic_name", "time"}, header_mode::automatic, ""),
              "e.csv:2: the header has no cascade column (it has user,topic_name,time); name the columns "
              "user,cascade,time, or give their order with --columns");
    EXPECT_EQ(layout_error({"user", "user_id", "cascade", "time"}, header_mode::automatic, ""),
              "e.csv:2: the header has two user columns ('user' and 'user_id'); rename one, or choose with --columns");
    EXPECT_EQ(layout_error({"a", "b", "c"}, header_mode::no, "user,time"),
              "--columns 'user,time' has no cascade column; name the fields user,cascade,time in file order "
              "(e.g. --columns user,cascade,time)");
    EXPECT_EQ(
        layout_error({"a", "b", "c"}, header_mode::no, "user,who,time"),
        "--columns 'user,who,time': unknown column 'who'; name the fields user,cascade,time in file order, with _ "
        "for a field to skip");
    EXPECT_EQ(layout_error({"a", "b", "c"}, header_mode::no, "user,user,time"),
              "--columns 'user,user,time' names user twice; give it once");
    EXPECT_EQ(layout_error({"user", "cascade", "time"}, header_mode::automatic, "user,cascade,time,_"),
              "e.csv:2: the header has 3 fields but --columns 'user,cascade,time,_' names 4; give one --columns entry "
              "per field (_ to skip one)");
    // A header that names its columns in another order than --columns: one of the two is wrong.
    EXPECT_EQ(layout_error({"user", "cascade", "time"}, header_mode::automatic, "cascade,user,time"),
              "e.csv:2: the header names field 2 'cascade' but --columns 'cascade,user,time' takes it as the user; drop "
              "--columns (the header gives the order) or fix it");
    EXPECT_EQ(layout_error({"user", "hashtag", "when"}, header_mode::automatic, "user,cascade,time"), "(no error)");
    EXPECT_THROW(parse_header_option("maybe", "--header"), input_error);
}

} // namespace
} // namespace mic::io
