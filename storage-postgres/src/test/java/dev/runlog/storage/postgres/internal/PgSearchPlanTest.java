package dev.runlog.storage.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.storage.postgres.TestPostgres;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.SearchCursor;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchField.Kind;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.SearchFilter.Op;
import dev.runlog.tracking.spi.SearchOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plans of the searches a runs table makes most: ordered by a metric, one page at a time.
 * The kit proves what they answer; this proves they can be answered by reading the value index in
 * order and stopping after a page, instead of sorting every run. Asked with sorts and sequential
 * scans disabled, so that the answer does not hang on the planner's estimates for a few rows: a
 * query whose order no index gives keeps its Sort node even then.
 */
@ExtendWith(TestPostgres.class)
class PgSearchPlanTest {
    private static final SearchField M0 = new SearchField(Kind.METRIC, "m0");
    private static final SearchOrder BY_M0_DESC = new SearchOrder(M0, false);
    private static final SearchFilter P1_IS_X = new SearchFilter.Compare(new SearchField(Kind.PARAM, "p1"), Op.EQ, "x");
    private static String database;

    @BeforeAll
    static void runs(@TempDir Path dir) throws Exception {
        database = TestPostgres.get().freshDatabase(dir.resolve("store"));
        try (Tracker tracker = Tracker.builder().uri(TestPostgres.get().uri(database)).shutdownHook(false).build()) {
            for (int i = 0; i < 4; i++) {
                double v = i;
                tracker.run("plans", r -> r.logMetric("m0", v).logParam("p1", v > 1 ? "x" : "y"));
            }
        }
        // One run more than a value may hold to name a search's candidates (runs need not exist for the look-up).
        try (Connection c = TestPostgres.get().connect(database); Statement s = c.createStatement()) {
            s.execute("INSERT INTO runlog_params (run_id, key, value) SELECT md5(i::text), 'crowd', 'v'"
                    + " FROM generate_series(0, " + PgSearch.FEW_RUNS + ") i");
            // Statistics as autovacuum would leave them, so that plans do not hang on whether it has run yet.
            s.execute("VACUUM ANALYZE runlog_runs, runlog_params, runlog_tags, runlog_metric_series");
        }
    }

    @Test
    void aFilteredMetricOrderIsReadOffTheValueIndex() throws Exception {
        SearchFilter filter = new SearchFilter.And(List.of(new SearchFilter.Compare(M0, Op.GT, 0.5),
                new SearchFilter.Compare(new SearchField(Kind.PARAM, "p1"), Op.EQ, "x")));
        String first = plan(PgSearch.runs(search(filter, Optional.empty())));
        assertTrue(first.contains("runlog_metric_series_by_value"), first);
        assertFalse(first.contains("Sort"), first);

        // A later page starts at its cursor in the index, not at the top.
        String later = plan(PgSearch.runs(search(filter, Optional.of(new SearchCursor(List.of(2.0), "someid")))));
        assertTrue(later.matches("(?s).*Index Cond: .*latest_value <= .*"), later);
        assertFalse(later.contains("Sort"), later);
    }

    @Test
    void anUnfilteredMetricOrderReadsItsNumbersOffTheValueIndexFirst() throws Exception {
        RunSearch search = search(new SearchFilter.All(), Optional.empty());
        String numbers = plan(PgSearch.runs(search.numbersFirst().orElseThrow()));
        assertTrue(numbers.contains("runlog_metric_series_by_value"), numbers);
        assertFalse(numbers.contains("Sort"), numbers);
    }

    @Test
    void anEqualityOnTheDrivenPathIsAnIndexOnlyProbeBeforeTheRunRow() throws Exception {
        SearchFilter filter = new SearchFilter.And(List.of(new SearchFilter.Compare(M0, Op.GT, 0.5), P1_IS_X));
        String later = plan(PgSearch.runs(search(filter, Optional.of(new SearchCursor(List.of(2.0), "someid")))));
        // Probed per index row, on its run id, before the run's row is read; never a join, which
        // would let the planner hash every run holding the value for each page of a stream.
        assertTrue(later.matches("(?s).*Index Only Scan using runlog_params_by_value.*Index Cond: .*run_id = o\\.run_id.*"), later);
        assertFalse(later.contains("Semi Join"), later);
        assertFalse(later.contains("Sort"), later);
    }

    @Test
    void theFewRunsHoldingAnEqualityOfTheFirstFewAreTheCandidates() throws Exception {
        SearchOrder byStart = new SearchOrder(new SearchField(Kind.ATTRIBUTE, "start_time"), false);
        SearchFilter crowded = new SearchFilter.Compare(new SearchField(Kind.PARAM, "crowd"), Op.EQ, "v");
        try (Connection c = TestPostgres.get().connect(database)) {
            String[] few = PgSearch.fewest(c, new SearchFilter.And(List.of(crowded, P1_IS_X))).orElseThrow();
            assertEquals(2, few.length, "the runs with p1 = 'x', not the " + (PgSearch.FEW_RUNS + 1) + " with crowd = 'v'");
            assertEquals(Optional.empty(), PgSearch.fewest(c, crowded).map(List::of));
            List<SearchFilter> late = new ArrayList<>(Collections.nCopies(PgSearch.LOOKED_UP_EQUALITIES, crowded));
            late.add(P1_IS_X);
            assertEquals(Optional.empty(), PgSearch.fewest(c, new SearchFilter.And(late)).map(List::of), "looked up too late");

            // Both the start_time and the driven query read only those.
            String byIds = plan(PgSearch.runs(new RunSearch(List.of(), P1_IS_X, List.of(byStart), 100, Optional.empty(),
                    ViewType.ACTIVE_ONLY), Optional.of(few)));
            assertTrue(byIds.contains("r.run_id = ANY") || byIds.contains("(run_id = ANY"), byIds);
            SearchFilter driven = new SearchFilter.And(List.of(new SearchFilter.Compare(M0, Op.GT, 0.5), P1_IS_X));
            String drivenByIds = plan(PgSearch.runs(search(driven, Optional.empty()), Optional.of(few)));
            assertTrue(drivenByIds.contains("run_id = ANY"), drivenByIds);
        }
    }

    @Test
    void thousandsOfEqualitiesStayProbesThePlannerCannotJoin() throws Exception {
        List<SearchFilter> equalities = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            equalities.add(new SearchFilter.Compare(new SearchField(i % 2 == 0 ? Kind.PARAM : Kind.TAG, "k" + i), Op.EQ, "v"));
        }
        SearchOrder byStart = new SearchOrder(new SearchField(Kind.ATTRIBUTE, "start_time"), false);
        // 2,000 joins would take the planner minutes: each is a subquery, one index probe on the run id.
        String many = plan(PgSearch.runs(new RunSearch(List.of(), new SearchFilter.And(equalities), List.of(byStart), 100,
                Optional.empty(), ViewType.ACTIVE_ONLY)));
        assertEquals(2_000, lines(many, "\\s*SubPlan \\d+"), many);
        // Which index each probes is the planner's choice (with statistics a tag's goes by its primary key).
        assertEquals(2_000, lines(many, "\\s*->  Index (Only )?Scan using runlog_(params|tags)_\\w+ on .*"), many);
        assertEquals(2_000, lines(many, "\\s*Index Cond: .*run_id = r\\.run_id.*"), many);
        assertFalse(many.contains("Join"), many);
    }

    private static long lines(String plan, String regex) {
        return plan.lines().filter(line -> line.matches(regex)).count();
    }

    private static RunSearch search(SearchFilter filter, Optional<SearchCursor> after) {
        return new RunSearch(List.of(), filter, List.of(BY_M0_DESC), 100, after, ViewType.ACTIVE_ONLY);
    }

    private static String plan(SqlText query) throws Exception {
        try (Connection c = TestPostgres.get().connect(database)) {
            try (Statement s = c.createStatement()) {
                s.execute("SET enable_sort = off");
                s.execute("SET enable_seqscan = off");
            }
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement ps = new SqlText().sql("EXPLAIN ").sql(query).prepare(c);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
