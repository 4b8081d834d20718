package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.ExperimentSearch;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.SearchCursor;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchField.Kind;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.SearchOrder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A parsed search as one PostgreSQL query returning a page of runs in order, each run's row with its
 * data record ({@link PgRunReader}), so a page is read in the query that finds it. Built with
 * {@link SqlText}: every value of the filter and cursor is a bound parameter, and the SQL text comes
 * only from this class, so no filter can change the query's shape.
 *
 * <p>Semantics are those {@link SearchFilter} and {@link SearchOrder} publish, which every store
 * keeps alike: a condition on a key a run lacks is false and so is one on NaN, except {@code !=};
 * NOT is the complement (each keyed condition is {@code COALESCE(..., false)}, never NULL); LIKE
 * is case-sensitive with no escape character; ILIKE folds ASCII letters only; missing values sort
 * after NaN, which sorts after every number, in both directions ({@link SearchOrder#rank}). NaN is
 * stored as a NULL {@code latest_value}, so it is no number to any comparison.
 *
 * <p>Speed: runs ordered first by a metric are read off the index on (key, latest_value, run_id)
 * in order, stopping after a page, when the filter's top level requires the metric to be a number
 * ({@code metrics.acc > 0.9 ORDER BY metrics.acc DESC}) and, otherwise, first for the runs holding
 * it as one ({@link #runs(Connection, RunSearch)}); every other condition is then a probe of a
 * primary key per row read.
 * A keyset cursor also bounds its first sort component, so a later page starts where the last ended.
 * On that path every keyed condition is tested on the index row's run id, so a run that fails one
 * costs no probe of its run row.
 *
 * <p>An equality on a param or tag ({@code params.p1 = 'x'}) is an EXISTS on the partial index of
 * (key, value, run_id) of schema migration 3: an index-only probe per run. When one of the first
 * {@link #LOOKED_UP_EQUALITIES} top-level equalities holds for at most {@link #FEW_RUNS} runs, a
 * look-up of that index reads them first ({@link #fewest}) and the query tests only those (100
 * runs of 100,000: some 1 ms instead of a probe of run after run until a page is full). Every
 * keyed condition stays a subquery per row that the planner cannot make a join of (a scalar
 * subquery, or an EXISTS with {@code OFFSET 0}): a filter of thousands of joins makes PostgreSQL
 * plan for minutes, and measured on 100,000 runs, the joins it chose for a few were the slower
 * plans: a hash of the 50,000 runs holding a value, rebuilt for every page of a stream, or a
 * parallel plan, where probing in index order took a tenth of the time.
 */
final class PgSearch {
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    /** The column of each run attribute kept in the run's row (user_id is a tag). */
    private static final Map<String, String> RUN_COLUMNS = Map.of("run_id", "r.run_id", "run_name", "r.name",
            "status", "r.status", "artifact_uri", "r.artifact_uri", "start_time", "r.start_time", "end_time", "r.end_time");
    /** The column of each experiment attribute; ids are numbers here and text in the API, which orders them as text. */
    private static final Map<String, String> EXPERIMENT_COLUMNS = Map.of("name", "e.name",
            "experiment_id", "(e.experiment_id::text COLLATE \"C\")", "creation_time", "e.creation_time",
            "last_update_time", "e.last_update_time");

    /** One sort key: a rank expression when the value may be missing or NaN, then the value expression. */
    private record SortKey(Optional<String> rank, String value, boolean ascending) {
    }

    /** At most this many runs holding a value make them the candidates of a search ({@link #fewest}). */
    static final int FEW_RUNS = 1000;
    /** How many top-level equalities of a filter {@link #fewest} looks up, a query each. */
    static final int LOOKED_UP_EQUALITIES = 3;
    /**
     * The longest value, in UTF-8 bytes, the (key, value, run_id) indexes hold (schema migration 3),
     * keeping each entry under a B-tree's limit of some 2,700 bytes with a key of up to 250 characters.
     * Their SQL repeats the predicate in the same words, so that PostgreSQL sees the index applies.
     */
    static final int INDEXED_VALUE_BYTES = 1000;

    private final SqlText joins = new SqlText();
    private int nextAlias;
    /** The run id keyed conditions are tested on: the driving index row's when there is one. */
    private String runId = "r.run_id";

    private PgSearch() {
    }

    // ---- runs ---------------------------------------------------------------------------------

    /**
     * A page of runs, in order, read whole by the page's query itself ({@link PgRunReader#COLUMNS}).
     * When the runs are ordered first by a metric the filter does not require, the runs holding it
     * as a number come first (SearchOrder's ranks): those are read first through the value index,
     * and when they fill the page, that page is the answer; otherwise (runs without the metric, or
     * NaN, may follow) the whole search is read.
     */
    static List<Run> runs(Connection c, RunSearch search) throws SQLException {
        // A page of at least FEW_RUNS after another (each of a stream's pages after the first) skips the
        // look-up: had an equality held for so few runs, the page before would mostly have held every
        // match. Only speed depends on it; every condition is tested either way.
        boolean afterFullPage = search.after().isPresent() && search.limit() >= FEW_RUNS;
        Optional<String[]> candidates = afterFullPage ? Optional.empty() : fewest(c, search.filter());
        Optional<RunSearch> numbers = search.numbersFirst();
        if (numbers.isPresent()) {
            List<Run> runs = PgRunReader.read(c, runs(numbers.get(), candidates));
            if (runs.size() == search.limit()) {
                return runs;
            }
        }
        return PgRunReader.read(c, runs(search, candidates));
    }

    /** The query of a page of runs, selecting {@link PgRunReader#COLUMNS}. */
    static SqlText runs(RunSearch search) {
        return runs(search, Optional.empty());
    }

    /** The query of a page of runs, among {@code candidates} when given: a superset of the matches. */
    static SqlText runs(RunSearch search, Optional<String[]> candidates) {
        return new PgSearch().runQuery(search, candidates);
    }

    /**
     * The runs satisfying whichever of the filter's first {@link #LOOKED_UP_EQUALITIES} top-level
     * equalities the fewest runs satisfy, when at most {@link #FEW_RUNS} do; every match is among
     * them. Read in the search's transaction, so on its snapshot. Empty when there is no such
     * equality, or every one holds for more runs.
     */
    static Optional<String[]> fewest(Connection c, SearchFilter filter) throws SQLException {
        Optional<String[]> fewest = Optional.empty();
        int looked = 0;
        for (SearchFilter conjunct : conjuncts(filter)) {
            Optional<Equality> equality = Equality.of(conjunct);
            if (equality.isEmpty()) {
                continue;
            }
            if (looked++ == LOOKED_UP_EQUALITIES) {
                break;
            }
            Optional<String[]> runs = equality.get().fewRuns(c);
            if (runs.isPresent() && (fewest.isEmpty() || runs.get().length < fewest.get().length)) {
                fewest = runs;
            }
        }
        return fewest;
    }

    /** The filter's top-level AND operands: itself alone, or none for the empty filter. */
    private static List<SearchFilter> conjuncts(SearchFilter filter) {
        return filter instanceof SearchFilter.And and ? and.operands()
                : filter instanceof SearchFilter.All ? List.of() : List.of(filter);
    }

    private static boolean drives(SearchFilter f, SearchField metric) {
        return f instanceof SearchFilter.Compare c && c.field().equals(metric) && c.op() != SearchFilter.Op.NE;
    }

    private SqlText runQuery(RunSearch search, Optional<String[]> candidates) {
        Optional<SearchField> driver = search.drivingMetric();
        List<SortKey> keys = new ArrayList<>();
        List<SearchOrder> orders = search.orderBy();
        SqlText where = new SqlText().sql("TRUE");
        String from = "runlog_runs r";
        String idColumn = "r.run_id";
        if (driver.isPresent()) {
            // Read off the value index in the order asked, stopping after a page: no rank, since
            // every match holds a number, and the id from the index row, which orders ties.
            from = "runlog_metric_series o JOIN runlog_runs r ON r.run_id = o.run_id";
            idColumn = "o.run_id";
            runId = "o.run_id";
            where.sql(" AND o.key = ").value(driver.get().key());
            keys.add(new SortKey(Optional.empty(), "o.latest_value", orders.get(0).ascending()));
        }
        for (SearchOrder order : orders.subList(keys.size(), orders.size())) {
            keys.add(runSortKey(order));
        }
        candidates.ifPresent(ids -> where.sql(" AND " + runId + " = ANY (").value(ids).sql("::text[])"));
        if (!search.experimentIds().isEmpty()) {
            List<Long> ids = new ArrayList<>();
            for (String id : search.experimentIds()) {
                ids.add(PgTrackingStore.experimentKey(id).orElse(-1L)); // -1: no experiment has it
            }
            where.sql(" AND r.experiment_id IN ").values(ids);
        }
        stageCondition(where, "r", search.viewType());
        for (SearchFilter conjunct : conjuncts(search.filter())) {
            where.sql(" AND ");
            if (driver.isPresent() && drives(conjunct, driver.get())) {
                // On the driving row itself: it bounds the index range.
                where.sql("(");
                test(conjunct, "o.latest_value", where);
                where.sql(")");
            } else {
                filter(conjunct, where, this::runLeaf);
            }
        }
        Optional<SearchCursor> after = search.after();
        if (driver.isPresent() && after.isPresent() && SearchOrder.rank(after.get().values().get(0)) != 0) {
            where.sql(" AND FALSE"); // every match holds a number, so none follows a cursor at NaN or missing
        } else {
            String id = idColumn;
            after.ifPresent(cursor -> after(where, keys, orders, cursor, id, cursor.id()));
        }
        return assemble(PgRunReader.COLUMNS, from, where, keys, idColumn, search.limit());
    }

    private SortKey runSortKey(SearchOrder order) {
        SearchField field = order.field();
        boolean up = order.ascending();
        return switch (field.kind()) {
            case METRIC -> {
                String a = join("runlog_metric_series", field.key());
                yield new SortKey(Optional.of("CASE WHEN " + a + ".series_id IS NULL THEN 2 WHEN " + a
                        + ".latest_value IS NULL THEN 1 ELSE 0 END"), a + ".latest_value", up);
            }
            case PARAM -> keyedSortKey(join("runlog_params", field.key()), up);
            case TAG -> keyedSortKey(join("runlog_tags", field.key()), up);
            case ATTRIBUTE -> switch (field.key()) {
                case "user_id" -> {
                    // A run without the tag has the empty user (as every store): first, ascending.
                    String a = join("runlog_tags", ActiveRun.USER_TAG);
                    yield new SortKey(Optional.empty(), "COALESCE(" + a + ".value, '')", up);
                }
                case "end_time" -> new SortKey(Optional.of("CASE WHEN r.end_time IS NULL THEN 2 ELSE 0 END"), "r.end_time", up);
                default -> new SortKey(Optional.empty(), runColumn(field.key()), up);
            };
            case DATASET -> throw new IllegalArgumentException("runs cannot be ordered by a dataset field");
        };
    }

    private static SortKey keyedSortKey(String alias, boolean ascending) {
        return new SortKey(Optional.of("CASE WHEN " + alias + ".value IS NULL THEN 2 ELSE 0 END"), alias + ".value", ascending);
    }

    /** LEFT JOINs the run's row of {@code table} for {@code key}; returns its alias. */
    private String join(String table, String key) {
        String alias = "o" + nextAlias++;
        joins.sql(" LEFT JOIN " + table + " " + alias + " ON " + alias + ".run_id = r.run_id AND " + alias + ".key = ")
                .value(key);
        return alias;
    }

    private static String runColumn(String attribute) {
        return column(RUN_COLUMNS, attribute);
    }

    /** The column of an attribute; the tracker checked the name, so a miss is a bug here. */
    private static String column(Map<String, String> columns, String attribute) {
        return java.util.Objects.requireNonNull(columns.get(attribute), () -> "no column for attribute " + attribute);
    }

    /** One comparison, IS NULL or IN on a field of a run. */
    private void runLeaf(SearchFilter leaf, SqlText out) {
        SearchField field = leafField(leaf);
        Optional<Equality> equality = Equality.of(leaf);
        if (equality.isPresent()) {
            equality.get().exists(out, runId);
            return;
        }
        String owner = "x.run_id = " + runId;
        switch (field.kind()) {
            case METRIC -> keyed(leaf, out, "runlog_metric_series", owner, "x.latest_value", field.key());
            case PARAM -> keyed(leaf, out, "runlog_params", owner, "x.value", field.key());
            case TAG -> keyed(leaf, out, "runlog_tags", owner, "x.value", field.key());
            case DATASET -> {
                String column = switch (field.key()) {
                    case "name" -> "d.name";
                    case "digest" -> "d.digest";
                    default -> "i.context";
                };
                out.sql("EXISTS (SELECT 1 FROM runlog_inputs i JOIN runlog_datasets d ON d.dataset_id = i.dataset_id"
                        + " WHERE i.run_id = " + runId + " AND ");
                test(leaf, column, out);
                out.sql(")");
            }
            case ATTRIBUTE -> {
                if (field.key().equals("user_id")) {
                    // A run without the tag has the empty user, which the test then sees.
                    test(leaf, o -> o.sql("COALESCE((SELECT x.value FROM runlog_tags x WHERE " + owner + " AND x.key = ")
                            .value(ActiveRun.USER_TAG).sql("), '')"), out);
                } else if (field.key().equals("end_time")) {
                    // NULL while the run is active: no comparison holds then, and NOT gives its complement.
                    out.sql("(r.end_time IS NOT NULL AND ");
                    test(leaf, "r.end_time", out);
                    out.sql(")");
                } else {
                    test(leaf, runColumn(field.key()), out);
                }
            }
        }
    }

    /**
     * {@code field = value} on a param or tag (user_id is a tag) whose value the (key, value,
     * run_id) index holds: true exactly when the run has a row of that key with that value, as
     * the scalar form is, NOT and OR included, since a run has at most one row per key and a
     * stored value is never NULL.
     */
    private record Equality(String table, String key, String value) {
        static Optional<Equality> of(SearchFilter leaf) {
            if (!(leaf instanceof SearchFilter.Compare c) || c.op() != SearchFilter.Op.EQ || !(c.value() instanceof String value)
                    || value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > INDEXED_VALUE_BYTES) {
                return Optional.empty();
            }
            SearchField field = c.field();
            return switch (field.kind()) {
                case PARAM -> Optional.of(new Equality("runlog_params", field.key(), value));
                case TAG -> Optional.of(new Equality("runlog_tags", field.key(), value));
                // Not the empty user: the runs without the tag have it too, which no index row holds.
                case ATTRIBUTE -> field.key().equals("user_id") && !value.isEmpty()
                        ? Optional.of(new Equality("runlog_tags", ActiveRun.USER_TAG, value)) : Optional.empty();
                default -> Optional.empty();
            };
        }

        /** The EXISTS on run {@code runId}; {@code OFFSET 0} keeps the planner from making a join of it. */
        void exists(SqlText out, String runId) {
            out.sql("(EXISTS (SELECT 1 FROM " + table + " x WHERE ").sql(indexed()).sql(" AND x.run_id = " + runId
                    + " OFFSET 0))");
        }

        /**
         * The runs holding the value when at most {@link #FEW_RUNS} do, off the index alone; empty
         * otherwise. One row either way: a common value (each page of a stream asks again) sends no ids.
         */
        Optional<String[]> fewRuns(Connection c) throws SQLException {
            SqlText query = new SqlText().sql("SELECT CASE WHEN count(*) <= " + FEW_RUNS + " THEN coalesce(array_agg(z.run_id),"
                    + " '{}') END FROM (SELECT x.run_id FROM " + table + " x WHERE ").sql(indexed())
                    .sql(" LIMIT " + (FEW_RUNS + 1) + ") z");
            List<Optional<String[]>> row = query.list(c, rs -> {
                java.sql.Array ids = rs.getArray(1);
                return ids == null ? Optional.empty() : Optional.of((String[]) ids.getArray());
            });
            return row.get(0);
        }

        /** The key and value, with the index's predicate, so that PostgreSQL sees the index applies. */
        private SqlText indexed() {
            return new SqlText().sql("x.key = ").value(key).sql(" AND x.value = ").value(value)
                    .sql(" AND octet_length(x.value) <= " + INDEXED_VALUE_BYTES);
        }
    }

    // ---- experiments --------------------------------------------------------------------------

    /** The query of a page of experiment ids. */
    static SqlText experiments(ExperimentSearch search) {
        return new PgSearch().experimentQuery(search);
    }

    private SqlText experimentQuery(ExperimentSearch search) {
        List<SortKey> keys = new ArrayList<>();
        for (SearchOrder order : search.orderBy()) {
            SearchField field = order.field();
            if (field.kind() == Kind.TAG) {
                String a = "o" + nextAlias++;
                joins.sql(" LEFT JOIN runlog_experiment_tags " + a + " ON " + a + ".experiment_id = e.experiment_id AND "
                        + a + ".key = ").value(field.key());
                keys.add(keyedSortKey(a, order.ascending()));
            } else {
                keys.add(new SortKey(Optional.empty(), experimentColumn(field.key()), order.ascending()));
            }
        }
        SqlText where = new SqlText().sql("TRUE");
        stageCondition(where, "e", search.viewType());
        if (!(search.filter() instanceof SearchFilter.All)) {
            where.sql(" AND ");
            filter(search.filter(), where, this::experimentLeaf);
        }
        search.after().ifPresent(cursor -> after(where, keys, search.orderBy(), cursor, "e.experiment_id",
                PgTrackingStore.experimentKey(cursor.id()).orElse(-1L)));
        return assemble("e.experiment_id", "runlog_experiments e", where, keys, "e.experiment_id", search.limit());
    }

    private static String experimentColumn(String attribute) {
        return column(EXPERIMENT_COLUMNS, attribute);
    }

    private void experimentLeaf(SearchFilter leaf, SqlText out) {
        SearchField field = leafField(leaf);
        if (field.kind() == Kind.TAG) {
            keyed(leaf, out, "runlog_experiment_tags", "x.experiment_id = e.experiment_id", "x.value", field.key());
        } else {
            test(leaf, experimentColumn(field.key()), out);
        }
    }

    // ---- shared -------------------------------------------------------------------------------

    private static void stageCondition(SqlText where, String alias, ViewType view) {
        if (view != ViewType.ALL) {
            where.sql(" AND " + alias + ".lifecycle_stage = ")
                    .value((view == ViewType.ACTIVE_ONLY ? LifecycleStage.ACTIVE : LifecycleStage.DELETED).name());
        }
    }

    /** AND, OR and NOT here; every other node by {@code leaf}. Always parenthesized. */
    private static void filter(SearchFilter f, SqlText out, BiConsumer<SearchFilter, SqlText> leaf) {
        if (f instanceof SearchFilter.All) {
            out.sql("TRUE");
        } else if (f instanceof SearchFilter.And and) {
            connect(and.operands(), " AND ", out, leaf);
        } else if (f instanceof SearchFilter.Or or) {
            connect(or.operands(), " OR ", out, leaf);
        } else if (f instanceof SearchFilter.Not not) {
            out.sql("(NOT ");
            filter(not.operand(), out, leaf);
            out.sql(")");
        } else {
            out.sql("(");
            leaf.accept(f, out);
            out.sql(")");
        }
    }

    private static void connect(List<SearchFilter> operands, String op, SqlText out, BiConsumer<SearchFilter, SqlText> leaf) {
        out.sql("(");
        for (int i = 0; i < operands.size(); i++) {
            if (i > 0) {
                out.sql(op);
            }
            filter(operands.get(i), out, leaf);
        }
        out.sql(")");
    }

    private static SearchField leafField(SearchFilter leaf) {
        if (leaf instanceof SearchFilter.Compare c) {
            return c.field();
        }
        if (leaf instanceof SearchFilter.In in) {
            return in.field();
        }
        return ((SearchFilter.IsNull) leaf).field();
    }

    /**
     * A condition on the row of {@code table} holding the key: IS NULL asks whether there is one;
     * any other test is made on {@code column} of that row, false when there is none.
     */
    private static void keyed(SearchFilter leaf, SqlText out, String table, String owner, String column, String key) {
        if (leaf instanceof SearchFilter.IsNull isNull) {
            out.sql((isNull.negated() ? "" : "NOT ") + "EXISTS (SELECT 1 FROM " + table + " x WHERE " + owner + " AND x.key = ")
                    .value(key).sql(")");
            return;
        }
        out.sql("COALESCE((SELECT ");
        test(leaf, column, out);
        out.sql(" FROM " + table + " x WHERE " + owner + " AND x.key = ").value(key).sql("), FALSE)");
    }

    /** {@code column op value} or {@code column [NOT] IN (...)}. */
    private static void test(SearchFilter leaf, String column, SqlText out) {
        test(leaf, o -> o.sql(column), out);
    }

    /** As above, the column an expression that {@code column} writes (binding values of its own). */
    private static void test(SearchFilter leaf, java.util.function.Consumer<SqlText> column, SqlText out) {
        if (leaf instanceof SearchFilter.In in) {
            column.accept(out);
            out.sql(in.negated() ? " NOT IN " : " IN ").values(in.values());
            return;
        }
        SearchFilter.Compare c = (SearchFilter.Compare) leaf;
        Object value = c.value();
        if (c.op() == SearchFilter.Op.ILIKE) {
            out.sql("translate(");
            column.accept(out);
            out.sql(", '" + UPPER + "', '" + LOWER + "') LIKE translate(")
                    .value(value).sql("::text, '" + UPPER + "', '" + LOWER + "') ESCAPE ''");
            return;
        }
        if (c.op() == SearchFilter.Op.NE && value instanceof Double) {
            // A NULL metric value is NaN here, unequal to every number as in IEEE arithmetic.
            out.sql("(");
            column.accept(out);
            out.sql(" IS NULL OR ");
            column.accept(out);
            out.sql(" <> ").value(value).sql(")");
            return;
        }
        column.accept(out);
        switch (c.op()) {
            case EQ -> out.sql(" = ").value(value);
            case NE -> out.sql(" <> ").value(value);
            case LT -> out.sql(" < ").value(value);
            case LE -> out.sql(" <= ").value(value);
            case GT -> out.sql(" > ").value(value);
            case GE -> out.sql(" >= ").value(value);
            case LIKE -> out.sql(" LIKE ").value(value).sql(" ESCAPE ''");
            case ILIKE -> throw new IllegalStateException("ILIKE is written above");
        }
    }

    /**
     * Rows strictly after the cursor in the order of the keys, then the id: for each position, the
     * rows equal to the cursor on every component before it and beyond it on that one.
     */
    private static void after(SqlText where, List<SortKey> keys, List<SearchOrder> order, SearchCursor cursor,
                              String idColumn, Object cursorId) {
        List<String> expressions = new ArrayList<>();
        List<Boolean> ascending = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            SortKey key = keys.get(i);
            Object value = cursor.values().get(i);
            int rank = SearchOrder.rank(value);
            if (key.rank().isPresent()) {
                expressions.add(key.rank().get());
                ascending.add(true);
                values.add(rank);
            } else if (rank != 0) {
                throw new InvalidInputException("Page token is malformed: it continues after " + value + " for "
                        + order.get(i).field() + ", which no run this search finds has; pass back a nextPageToken unchanged");
            }
            if (rank == 0) {
                expressions.add(key.value());
                ascending.add(key.ascending());
                values.add(value);
            }
        }
        expressions.add(idColumn);
        ascending.add(keys.get(keys.size() - 1).ascending());
        values.add(cursorId);
        // Implied by the disjunction below, but an index can bound its range by it, which it cannot by an OR.
        where.sql(" AND " + expressions.get(0) + (ascending.get(0) ? " >= " : " <= ")).value(values.get(0));
        where.sql(" AND (");
        for (int i = 0; i < expressions.size(); i++) {
            where.sql(i == 0 ? "(" : " OR (");
            for (int j = 0; j < i; j++) {
                where.sql(expressions.get(j) + " = ").value(values.get(j)).sql(" AND ");
            }
            where.sql(expressions.get(i) + (ascending.get(i) ? " > " : " < ")).value(values.get(i)).sql(")");
        }
        where.sql(")");
    }

    private SqlText assemble(String select, String from, SqlText where, List<SortKey> keys, String idColumn, int limit) {
        SqlText query = new SqlText().sql("SELECT " + select + " FROM " + from).sql(joins).sql(" WHERE ").sql(where)
                .sql(" ORDER BY ");
        for (SortKey key : keys) {
            key.rank().ifPresent(rank -> query.sql(rank + ", "));
            query.sql(key.value() + (key.ascending() ? " ASC, " : " DESC, "));
        }
        boolean lastAscending = keys.get(keys.size() - 1).ascending();
        return query.sql(idColumn + (lastAscending ? " ASC" : " DESC") + " LIMIT ").value(limit);
    }
}
