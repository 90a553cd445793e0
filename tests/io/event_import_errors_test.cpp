// `mic import` on bad input: every problem is one line naming the file and line (or the option)
// and saying how to fix it, and no output file, nor a temporary, is left behind.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/io/import_test_support.hpp"

namespace mic::io {
namespace {

using namespace mic::testing;

TEST(ImportEventsRejects, AHeaderWithoutACascadeColumn) {
    import_case c("missing_column");
    c.write("events.csv", "user,topic_name,time\na,x,1\n");
    expect_rejected(c,
                    c.path("events.csv") +
                        ":1: the header has no cascade column (it has user,topic_name,time); name the "
                        "columns user,cascade,time, or give their order with --columns");
}

TEST(ImportEventsRejects, AnUnparsableTime) {
    import_case c("bad_time");
    c.write("events.csv", "user,cascade,time\na,x,1\n\na,x,12:30\n");
    expect_rejected(c,
                    c.path("events.csv") + ":4: time '12:30' is not a number" +
                        "; write a number such as 12.5, or an ISO-8601 timestamp such as 2024-03-01T12:30:00Z");
}

TEST(ImportEventsRejects, AnUnrecognisedHeaderWithAHint) {
    import_case c("header_hint");
    c.write("events.csv", "who,what,when\na,x,1\n");
    expect_rejected(c,
                    c.path("events.csv") +
                        ":1: time 'when' is not a number; write a number such as 12.5, or an ISO-8601 timestamp such "
                        "as 2024-03-01T12:30:00Z; if line 1 is a header, "
                        "pass --header yes");
}

TEST(ImportEventsRejects, NanAndInfiniteTimes) {
    import_case c("nan");
    c.write("events.csv", "a,x,1\na,x,nan\n");
    expect_rejected(c, c.path("events.csv") + ":2: time 'nan' is not a finite number (NaN and infinities are not times)");
    c.write("events.csv", "a,x,1\na,x,2\na,x,-inf\n");
    expect_rejected(c, c.path("events.csv") + ":3: time '-inf' is not a finite number (NaN and infinities are not times)");
}

TEST(ImportEventsRejects, ANegativeTime) {
    import_case c("negative");
    c.write("events.csv", "a,x,1\na,x,-3\n");
    expect_rejected(c,
                    c.path("events.csv") +
                        ":2: time '-3' is negative; times must be ≥ 0 (shift them, or use ISO-8601 timestamps)");
}

TEST(ImportEventsRejects, MixedTimeFormats) {
    import_case c("mixed");
    c.write("events.csv", "a,x,2024-01-01\na,x,17\n");
    expect_rejected(
        c,
        c.path("events.csv") +
            ":2: time '17' is a number, but line 1 has an ISO-8601 timestamp; use one time format in a file");
    c.write("events.csv", "a,x,17\na,x,2024-01-01T10:00\n");
    expect_rejected(c,
                    c.path("events.csv") +
                        ":2: time '2024-01-01T10:00' is an ISO-8601 timestamp, but line 1 has a "
                        "number; use one time format in a file");
}

TEST(ImportEventsRejects, AnIsoDateThatDoesNotExist) {
    import_case c("bad_date");
    c.write("events.csv", "a,x,2024-01-01\na,x,2024-04-31T10:00Z\n");
    expect_rejected(c, c.path("events.csv") + ":2: time '2024-04-31T10:00Z' has day 31; 2024-04 has 30 days");
}

TEST(ImportEventsRejects, AnEmptyFile) {
    import_case c("empty");
    c.write("events.csv", "");
    expect_rejected(c, c.path("events.csv") + ": no events (the file is empty)");
    c.write("events.csv", "# only a comment\n\n");
    expect_rejected(c, c.path("events.csv") + ": no events: its one non-blank line starts with '#' and was taken for a "
                                              "comment; if its first column holds hashtags, pass --columns in the file's order "
                                              "(e.g. --columns cascade,user,time) or add a header line");
}

TEST(ImportEventsRejects, AFileWithOnlyAHeader) {
    import_case c("header_only");
    c.write("events.csv", "user,cascade,time\n");
    expect_rejected(c, c.path("events.csv") + ": no events (only a header, on line 1)");
}

TEST(ImportEventsRejects, AWrongNumberOfFields) {
    import_case c("field_count");
    c.write("events.csv", "user,cascade,time\na,x,1\na,x,2,3\n");
    expect_rejected(c,
                    c.path("events.csv") +
                        ":3: 4 fields where 3 were expected (user,cascade,time); check the delimiter (',' was used) "
                        "and the quoting");
}

TEST(ImportEventsRejects, AnEmptyUserId) {
    import_case c("empty_user");
    c.write("events.csv", "a,x,1\n,x,2\n");
    expect_rejected(c, c.path("events.csv") + ":2: empty user id; every event needs a user");
}

TEST(ImportEventsRejects, AnEdgeToAUserWithoutEvents) {
    import_case c("unknown_user");
    c.write("events.csv", "a,x,1\nb,x,2\n");
    c.options.edges = c.write("edges.csv", "source,target\na,b\nb,zoe\n");
    expect_rejected(c,
                    c.path("edges.csv") + ":3: user 'zoe' has no events in " + c.path("events.csv") +
                        "; remove the edge, or pass --allow-edge-only-users to add users without events");
}

TEST(ImportEventsRejects, AnEmptyEdgeList) {
    import_case c("empty_edges");
    c.write("events.csv", "a,x,1\n");
    c.options.edges = c.write("edges.csv", "\n");
    expect_rejected(c,
                    c.path("edges.csv") + ": no edges (the file is empty); omit --edges for a dataset without a graph");
}

TEST(ImportEventsRejects, AnUnreadableEventsFile) {
    import_case c("no_events_file");
    expect_rejected(c, c.path("events.csv") + ": cannot open (No such file or directory)");
}

TEST(ImportEventsRejects, AnUnreadableEdgesFile) {
    import_case c("no_edges_file");
    c.write("events.csv", "a,x,1\n");
    c.options.edges = c.path("edges.csv");
    expect_rejected(c, c.path("edges.csv") + ": cannot open (No such file or directory)");
}

TEST(ImportEventsRejects, AnExistingOutputWithoutForceBeforeReadingTheInput) {
    import_case c("exists");
    c.write("out.h5", "precious");
    // The events file does not even exist: the output is checked first.
    expect_rejected(c, c.path("out.h5") + " already exists; pass --force to overwrite it");
    std::ifstream in(c.path("out.h5"));
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "precious");
}

TEST(ImportEventsRejects, BadInputWithForceAndLeavesTheOldOutputAlone) {
    import_case c("force_fails");
    c.write("events.csv", "a,x,1\na,x,oops\n");
    c.write("out.h5", "old");
    c.options.force = true;
    expect_rejected(c,
                    c.path("events.csv") + ":2: time 'oops' is not a number" +
                        "; write a number such as 12.5, or an ISO-8601 timestamp such as 2024-03-01T12:30:00Z");
    std::ifstream in(c.path("out.h5"));
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "old");
}

TEST(ImportEventsRejects, AnOutputThatIsAlsoTheInput) {
    import_case c("same_file");
    c.write("events.csv", "a,x,1\n");
    c.options.out = c.options.events;
    c.options.force = true;
    expect_rejected(c,
                    c.path("events.csv") + " is also an input (" + c.path("events.csv") +
                        "); write the dataset to another file");
}

TEST(ImportEventsRejects, AnEventAfterTheGivenEndOrBeforeTheGivenStart) {
    import_case c("window");
    c.write("events.csv", "a,x,1\na,x,7.5\na,x,3\n");
    c.options.t_end = 5.0;
    expect_rejected(
        c, c.path("events.csv") + ":2: time 7.5 is after --t-end 5; raise --t-end, or remove the events after it");
    c.options.t_end.reset();
    c.options.t_start = 2.0;
    expect_rejected(
        c, c.path("events.csv") + ":1: time 1 is before --t-start 2; lower --t-start, or remove the events before it");
    // An ISO log's times and bounds are named as timestamps, the form the user wrote (not epoch seconds).
    c.write("events.csv", "a,x,2024-03-01T10:00\na,x,2024-03-01T11:00\n");
    c.options.t_start = 1709289000.0;  // 2024-03-01T10:30:00Z
    expect_rejected(c, c.path("events.csv") + ":1: time 2024-03-01T10:00:00Z is before --t-start 2024-03-01T10:30:00Z; "
                                              "lower --t-start, or remove the events before it");
}

TEST(ImportEventsRejects, BothAnEdgeListAndTheCompleteGraph) {
    import_case c("both_graphs");
    c.write("events.csv", "a,x,1\n");
    c.options.edges = c.write("edges.csv", "a,a\n");
    c.options.complete_graph = true;
    expect_rejected(c, "--edges and --complete-graph exclude each other; give one of them");
}

TEST(ImportEventsRejects, ACompleteGraphTooLargeToStore) {
    import_case c("huge_complete");
    std::string text;
    for (int u = 0; u < 15000; ++u) text += std::to_string(u) + ",x,1\n";
    c.write("events.csv", text);
    c.options.complete_graph = true;
    expect_rejected(
        c,
        "--complete-graph: 15,000 users make 224,985,000 edges, more than the limit of 200,000,000; give the "
        "graph as an edge list with --edges");
}

TEST(ImportEventsRejects, IsoTimesInAUnitWithoutAFixedLength) {
    import_case c("iso_unit");
    c.write("events.csv", "a,x,2024-01-01\n");
    c.options.time_unit = "week";
    expect_rejected(c, "--time-unit week: " + c.path("events.csv") +
                           " has ISO-8601 timestamps, which can be counted in s, min, h or d; choose one of those");
}

} // namespace
} // namespace mic::io
