// `mic import` end to end: CSV/TSV event logs and edge lists → dataset files, read back with
// read_dataset and compared element by element.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/io/import_test_support.hpp"

namespace mic::io {
namespace {

using namespace mic::testing;

TEST(ImportEvents, IntegerIdsKeepTheirValuesAndEventsAreSortedByUserThenTime) {
    import_case c("integer_ids");
    // User 0 has two events at time 2 (cascades 1 then 0 in the file): ties keep file order.
    c.write("events.csv", "user,cascade,time\n2,1,5\n0,1,2\n1,1,3\n0,0,1\n0,0,2\n2,0,4\n");
    c.options.time_unit = "h";
    const dataset d = c.run();
    EXPECT_EQ(d.header.n_users, 3);
    EXPECT_EQ(d.header.n_cascades, 2);
    EXPECT_EQ(d.events.user_offsets, (offsets{0, 3, 4, 6}));
    EXPECT_EQ(d.events.time, (times{1, 2, 2, 3, 4, 5}));
    EXPECT_EQ(d.events.cascade, (ids{0, 1, 0, 1, 0, 1}));
    EXPECT_EQ(d.user_names, (strings{"0", "1", "2"}));
    EXPECT_EQ(d.cascade_names, (strings{"0", "1"}));
    EXPECT_EQ(d.header.t_start, 1.0);
    EXPECT_EQ(d.header.t_end, 5.0);
    EXPECT_EQ(d.header.time_unit, "h");
    EXPECT_EQ(d.header.time_origin, "");
    EXPECT_EQ(d.graph.n_edges(), 0);
    EXPECT_EQ(c.summary.n_events, 6);
    EXPECT_FALSE(c.summary.iso_times);
    EXPECT_EQ(c.entries(), (std::set<std::string>{"events.csv", "out.h5"}));
}

TEST(ImportEvents, StringIdsAreNumberedInByteOrderWhateverTheLineOrder) {
    import_case c("string_ids");
    c.write("events.csv", "carol,#b,3\nalice,#a,1\nbob,#b,2\nalice,#b,0.5\n");
    const dataset d = c.run();
    EXPECT_EQ(d.user_names, (strings{"alice", "bob", "carol"}));
    EXPECT_EQ(d.cascade_names, (strings{"#a", "#b"}));
    EXPECT_EQ(d.events.user_offsets, (offsets{0, 2, 3, 4}));
    EXPECT_EQ(d.events.time, (times{0.5, 1, 2, 3}));
    EXPECT_EQ(d.events.cascade, (ids{1, 0, 1, 1}));
}

TEST(ImportEvents, TakesTheColumnOrderFromTheHeaderOrFromTheColumnsOption) {
    import_case c("columns");
    c.write("events.csv", "Time,Cascade,User\n3,x,b\n1,y,a\n");
    dataset d = c.run();
    EXPECT_EQ(d.user_names, (strings{"a", "b"}));
    EXPECT_EQ(d.events.time, (times{1, 3}));
    EXPECT_EQ(d.events.cascade, (ids{1, 0}));

    c.write("events.csv", "3,ignored,b,x\n1,ignored,a,y\n");
    c.options.columns = "time,_,user,cascade";
    c.options.force = true;
    d = c.run();
    EXPECT_EQ(d.user_names, (strings{"a", "b"}));
    EXPECT_EQ(d.events.time, (times{1, 3}));
    EXPECT_EQ(d.cascade_names, (strings{"x", "y"}));
}

TEST(ImportEvents, ReadsTabSeparatedFilesWithQuotesCommentsAndCrlf) {
    import_case c("tsv");
    c.options.events =
        c.write("events.tsv", "# exported 2024\r\nuser\tcascade\ttime\r\n\"Smith, J.\"\t#a b\t2\r\n\r\nx\t#a b\t1\r\n");
    const dataset d = c.run();
    EXPECT_EQ(d.user_names, (strings{"Smith, J.", "x"}));
    EXPECT_EQ(d.cascade_names, (strings{"#a b"}));
    EXPECT_EQ(d.events.time, (times{2, 1}));
}

TEST(ImportEvents, ConvertsIsoTimestampsToSecondsSinceTheEpoch) {
    import_case c("iso");
    c.write("events.csv", "u,c,2024-02-29T12:00:00Z\nu,c,2024-02-29T13:00:00+02:00\nv,c,2024-02-29\n");
    const dataset d = c.run();
    EXPECT_EQ(d.header.time_unit, "s");
    EXPECT_EQ(d.header.time_origin, "1970-01-01T00:00:00Z");
    EXPECT_TRUE(c.summary.iso_times);
    EXPECT_EQ(d.events.time, (times{1709208000.0 - 3600, 1709208000.0, 1709164800.0}));
    EXPECT_EQ(d.header.t_start, 1709164800.0);
    EXPECT_EQ(d.header.t_end, 1709208000.0);
}

// In hours, β and τ of a log with one-second stamps can be given in hours (β ν of order 1 with ν in
// events per hour); the window, the events and the ISO bounds of later commands follow the unit.
TEST(ImportEvents, CountsIsoTimestampsInTheTimeUnitAsked) {
    import_case c("iso_hours");
    c.write("events.csv", "u,c,2024-02-29T12:00:00Z\nu,c,2024-02-29T13:00:00+02:00\nv,c,2024-02-29\n");
    c.options.time_unit = "h";
    const dataset d = c.run();
    EXPECT_EQ(d.header.time_unit, "h");
    EXPECT_EQ(d.header.time_origin, "1970-01-01T00:00:00Z");
    EXPECT_EQ(d.events.time, (times{(1709208000.0 - 3600) / 3600, 1709208000.0 / 3600, 1709164800.0 / 3600}));
    EXPECT_EQ(d.header.t_start, 1709164800.0 / 3600);
    EXPECT_EQ(d.header.t_end, 1709208000.0 / 3600);
}

// Epoch seconds written as numbers, counted in hours: the same division as for ISO stamps.
TEST(ImportEvents, ConvertsNumericTimesFromTheFilesUnitToTheTimeUnitAsked) {
    import_case c("numeric_hours");
    c.write("events.csv", "u,c,1709164800\nu,c,1709168400\nv,c,1709172000\n");
    c.options.time_unit = "h";
    c.options.numeric_time_unit = "s";
    const dataset d = c.run();
    EXPECT_EQ(d.header.time_unit, "h");
    EXPECT_EQ(d.events.time, (times{1709164800.0 / 3600, 1709168400.0 / 3600, 1709172000.0 / 3600}));
    EXPECT_EQ(d.header.t_start, 1709164800.0 / 3600);
    EXPECT_EQ(d.header.t_end, 1709172000.0 / 3600);

    import_case iso("numeric_unit_on_iso");
    iso.write("events.csv", "u,c,2024-02-29T12:00:00Z\n");
    iso.options.time_unit = "h";
    iso.options.numeric_time_unit = "s";
    expect_rejected(iso, "--numeric-time-unit s: " + iso.path("events.csv") +
                             " has ISO-8601 timestamps, not numbers; drop the option (--time-unit alone chooses their unit)");
    import_case weeks("numeric_unit_unknown");
    weeks.write("events.csv", "u,c,1\n");
    weeks.options.time_unit = "weeks";
    weeks.options.numeric_time_unit = "s";
    expect_rejected(weeks, "--numeric-time-unit s --time-unit weeks: both must be s, min, h or d to convert, e.g. "
                           "--numeric-time-unit s --time-unit h");
    try {  // a bad command line, found before the log is read
        io::import_events(weeks.options);
        ADD_FAILURE();
    } catch (const input_error& e) {
        EXPECT_EQ(e.exit_code(), 2);
    }
}

TEST(ImportEvents, RecordsAGivenObservationWindow) {
    import_case c("window");
    c.write("events.csv", "u,c,2\nv,c,3\n");
    c.options.t_start = 0.0;
    c.options.t_end = 10.0;
    const dataset d = c.run();
    EXPECT_EQ(d.header.t_start, 0.0);
    EXPECT_EQ(d.header.t_end, 10.0);
}

TEST(ImportEvents, AnEdgeSourceTargetMakesTheSourceAnInNeighbourOfTheTarget) {
    import_case c("edges");
    c.write("events.csv", "a,x,1\nb,x,2\nc,x,3\n");
    c.options.edges = c.write("edges.csv", "source,target\na,b\nc,b\nb,a\nb,b\n");
    const dataset d = c.run();
    // in-neighbours: a ← {b}; b ← {a, b, c}; c ← {}.
    EXPECT_EQ(d.graph.in_offsets, (offsets{0, 1, 4, 4}));
    EXPECT_EQ(d.graph.in_source, (ids{1, 0, 1, 2}));
    EXPECT_EQ(c.summary.n_edges, 4);
    EXPECT_EQ(c.summary.duplicate_edges_dropped, 0);
}

TEST(ImportEvents, SelfLoopsAddEveryUserToItsOwnInNeighboursOnce) {
    import_case c("self_loops");
    c.write("events.csv", "a,x,1\nb,x,2\nc,x,3\n");
    c.options.edges = c.write("edges.csv", "a\tb\nb\tb\n");
    c.options.self_loops = true;
    const dataset d = c.run();
    EXPECT_EQ(d.graph.in_offsets, (offsets{0, 1, 3, 4}));
    EXPECT_EQ(d.graph.in_source, (ids{0, 0, 1, 2}));
    EXPECT_EQ(c.summary.duplicate_edges_dropped, 0);  // the file's b→b is not a duplicate of the added loop
}

TEST(ImportEvents, CompleteGraphLinksEveryOrderedPair) {
    import_case c("complete");
    c.write("events.csv", "0,0,1\n1,0,2\n2,0,3\n");
    c.options.complete_graph = true;
    dataset d = c.run();
    EXPECT_EQ(d.graph.in_offsets, (offsets{0, 2, 4, 6}));
    EXPECT_EQ(d.graph.in_source, (ids{1, 2, 0, 2, 0, 1}));
    c.options.self_loops = true;
    c.options.force = true;
    d = c.run();
    EXPECT_EQ(d.graph.in_offsets, (offsets{0, 3, 6, 9}));
    EXPECT_EQ(d.graph.in_source, (ids{0, 1, 2, 0, 1, 2, 0, 1, 2}));
}

TEST(ImportEvents, EdgeOnlyUsersBecomeUsersWithoutEventsWhenAllowed) {
    import_case c("edge_only");
    c.write("events.csv", "1,t,5\n3,t,6\n");
    c.options.edges = c.write("edges.csv", "from,to\n1,3\n0,1\n3,2\n");
    c.options.allow_edge_only_users = true;
    const dataset d = c.run();
    EXPECT_EQ(d.user_names, (strings{"0", "1", "2", "3"}));  // integer names: numeric ids
    EXPECT_EQ(d.events.user_offsets, (offsets{0, 0, 1, 1, 2}));
    EXPECT_EQ(d.graph.in_offsets, (offsets{0, 0, 1, 2, 3}));
    EXPECT_EQ(d.graph.in_source, (ids{0, 3, 1}));
    EXPECT_EQ(std::count(c.log.begin(), c.log.end(),
                         c.path("edges.csv") + ": added 2 users that have no events (--allow-edge-only-users)"),
              1);
}

TEST(ImportEvents, DuplicateEdgesAreDroppedWithOneWarning) {
    import_case c("duplicates");
    c.write("events.csv", "a,x,1\nb,x,2\n");
    c.options.edges = c.write("edges.csv", "a,b\nb,a\na,b\na,b\nb,a\n");
    const dataset d = c.run();
    EXPECT_EQ(d.graph.in_offsets, (offsets{0, 1, 2}));
    EXPECT_EQ(d.graph.in_source, (ids{1, 0}));
    EXPECT_EQ(c.summary.duplicate_edges_dropped, 3);
    EXPECT_EQ(
        std::count(c.log.begin(), c.log.end(), c.path("edges.csv") + ": dropped 3 duplicate edges (first at line 3)"),
        1);
}

// Exact repeats are kept (a Hawkes process may have events at one instant) but counted and warned
// about: a log that counts an event twice would otherwise inflate every fitted rate silently.
TEST(ImportEvents, CountsAndWarnsOfEventsThatRepeatAnEarlierOneExactly) {
    import_case c("duplicate_events");
    c.write("events.csv", "a,x,1\na,y,1\nb,x,2\na,x,1\nb,x,2\nb,x,2\nb,y,2\nb,x,3\n");
    const dataset d = c.run();
    EXPECT_EQ(d.events.n_events(), 8);
    EXPECT_EQ(c.summary.duplicate_events, 3);
    EXPECT_EQ(c.logged(c.path("events.csv") + ": 3 events repeat an earlier event exactly (same user, cascade and time); "
                                              "kept as distinct events at one instant — remove duplicate rows first if "
                                              "the log counts an event twice"),
              1);
}

TEST(ImportEvents, KeepsHashtagRowsAfterTheHeaderAndSaysHowManyCommentLinesItSkipped) {
    import_case c("hashtags");
    c.write("events.csv", "# exported 2024\n# by a script\nhashtag,user,time\n#mic,u,1\n#hpc,v,2\n#mic,v,3\n");
    const dataset d = c.run();
    EXPECT_EQ(d.events.n_events(), 3);
    EXPECT_EQ(d.cascade_names, (strings{"#hpc", "#mic"}));
    EXPECT_EQ(c.logged(c.path("events.csv") + ": skipped 2 comment lines ('#') before line 3"), 1);
}

TEST(ImportEvents, RefusesUserOrCascadeNamesThatAreNotUtf8) {
    import_case c("latin1");
    c.write("events.csv", "user,cascade,time\nana,caf\xE9,1\n");
    expect_rejected(c, c.path("events.csv") + ":2: the cascade id is not UTF-8 text (byte 0xE9 at its position 4); convert "
                                              "the file to UTF-8, e.g. from Latin-1: iconv -f latin1 -t utf-8 " +
                           c.path("events.csv") + " > utf8-events.csv");
    c.write("events.csv", "user,cascade,time\nana,x,1\n");
    c.options.edges = c.write("edges.csv", "ana,Jos\xE9\n");
    expect_rejected(c, c.path("edges.csv") + ":1: the target user id is not UTF-8 text (byte 0xE9 at its position 4); "
                                             "convert the file to UTF-8, e.g. from Latin-1: iconv -f latin1 -t utf-8 " +
                           c.path("edges.csv") + " > utf8-edges.csv");
}

TEST(ImportEvents, SaysWhenTheEdgeListItselfHoldsSelfLoops) {
    import_case c("file_loops");
    c.write("events.csv", "a,x,1\nb,x,2\n");
    c.options.edges = c.write("edges.csv", "a,b\nb,b\n");
    const dataset d = c.run();
    EXPECT_EQ(d.graph.in_source, (ids{0, 1}));  // b's in-neighbours: a and b
    EXPECT_EQ(c.logged(c.path("edges.csv") + ": kept 1 self-loop u -> u written in the file (e.g. line 2): those users "
                                             "excite themselves; remove them if the graph should have none"),
              1);
}

// Columns a header names but no role reads are dropped, and said so: an edge weight is what the fit
// estimates, not an input.
TEST(ImportEvents, SaysWhichHeaderColumnsItIgnores) {
    import_case c("ignored_columns");
    c.write("events.csv", "user,text,cascade,time\na,hello,x,1\nb,bye,x,2\n");
    c.options.edges = c.write("edges.csv", "source,target,weight\na,b,0.5\n");
    const dataset d = c.run();
    EXPECT_EQ(d.graph.in_source, (ids{0}));
    EXPECT_EQ(c.logged(c.path("events.csv") + ": ignored column 'text' (mic reads user,cascade,time)"), 1);
    EXPECT_EQ(c.logged(c.path("edges.csv") + ": ignored column 'weight' (mic reads source,target); the influence "
                                             "weights are what `mic fit` estimates"),
              1);
}

// A SNAP edge list (comment block, blank-separated ids) beside a ';'-separated event log: each file's
// delimiter is detected on its own, and --edges-delimiter sets the edge list's alone.
TEST(ImportEvents, ReadsABlankSeparatedEdgeListBesideACsvEventLog) {
    import_case c("snap_edges");
    c.write("events.csv", "user;cascade;time\n0;x;1\n1;x;2\n2;y;3\n");
    c.options.edges = c.write("edges.txt", "# Directed graph: follows.txt\n# FromNodeId\tToNodeId\n0   1\n2 1\n1  0\n");
    dataset d = c.run();
    EXPECT_EQ(d.graph.in_offsets, (offsets{0, 1, 3, 3}));
    EXPECT_EQ(d.graph.in_source, (ids{1, 0, 2}));
    c.options.delimiter = ";";
    c.options.edges_delimiter = "space";
    c.options.force = true;
    d = c.run();
    EXPECT_EQ(d.graph.in_source, (ids{1, 0, 2}));
}

TEST(ImportEvents, NotesThatNoGraphAndNoTimeUnitWereGiven) {
    import_case c("no_graph");
    c.write("events.csv", "a,x,1\n");
    c.run();
    EXPECT_EQ(std::count(c.log.begin(), c.log.end(),
                         "note: numeric times and no --time-unit; the dataset's time_unit is left empty"),
              1);
    EXPECT_EQ(std::count(c.log.begin(), c.log.end(),
                         "note: no --edges or --complete-graph given; the dataset has no edges between users"),
              1);
}

TEST(ImportEvents, ForceReplacesAnExistingOutput) {
    import_case c("force");
    c.write("events.csv", "a,x,1\n");
    c.write("out.h5", "old");
    c.options.force = true;
    EXPECT_EQ(c.run().header.n_users, 1);
}

} // namespace
} // namespace mic::io
