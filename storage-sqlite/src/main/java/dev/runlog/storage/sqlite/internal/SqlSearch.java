package dev.runlog.storage.sqlite.internal;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.spi.ExperimentSearch;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchField.Kind;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.SearchOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Translates a parsed search into one SQL query returning a page of ids in order (for runs, each
 * with its {@link RunLoader#RUN_COLUMNS}). Every
 * value from the filter is a bound parameter; the SQL text is built only from this class's own
 * fragments, so filter text can never change the query's shape.
 *
 * <p>The semantics are those {@link SearchFilter} and {@link SearchOrder} publish (ranks from
 * {@link SearchOrder#rank}), which the in-memory store keeps too; the contract kit runs the same
 * cases on both. One plan is special-cased for speed: when runs are ordered
 * first by a metric that the filter requires to be a number (a top-level {@code metrics.k > x}),
 * the query walks the index on (key, latest value, run id) in order and stops after one page.
 */
final class SqlSearch {
    record Query(String sql, List<Object> params) {
    }

    /** One component of the total order: an SQL expression, its direction, and the cursor's value. */
    private record Component(String expression, boolean ascending) {
    }

    private final StringBuilder joins = new StringBuilder();
    private int aliases;

    private SqlSearch() {
    }

    // ---- runs ---------------------------------------------------------------------------------

    static Query runs(RunSearch search) {
        return new SqlSearch().buildRuns(search);
    }

    private Query buildRuns(RunSearch search) {
        List<SearchOrder> order = search.orderBy();
        boolean lastAscending = order.get(order.size() - 1).ascending();
        Optional<String> driver = search.drivingMetric().map(SearchField::key);
        String from;
        String idColumn;
        List<List<Component>> keys = new ArrayList<>();
        List<Object> joinParams = new ArrayList<>();
        if (driver.isPresent()) {
            // The first order key is a metric every match has as a number: drive from its index.
            from = "metric_series o JOIN runs r ON r.run_id = o.run_id JOIN run_data d ON d.run_id = r.run_id";
            idColumn = "o.run_id";
            keys.add(List.of(new Component("o.latest_value", order.get(0).ascending())));
            for (SearchOrder o : order.subList(1, order.size())) {
                keys.add(orderComponents(o, joinParams));
            }
        } else {
            from = "runs r JOIN run_data d ON d.run_id = r.run_id";
            idColumn = "r.run_id";
            for (SearchOrder o : order) {
                keys.add(orderComponents(o, joinParams));
            }
        }
        List<String> where = new ArrayList<>();
        List<Object> whereParams = new ArrayList<>();
        if (driver.isPresent()) {
            where.add("o.key = ?");
            whereParams.add(driver.get());
        }
        if (!search.experimentIds().isEmpty()) {
            where.add("r.experiment_id IN (" + marks(search.experimentIds().size()) + ")");
            for (String id : search.experimentIds()) {
                whereParams.add(parseId(id));
            }
        }
        if (search.viewType() != ViewType.ALL) {
            where.add("r.lifecycle_stage = ?");
            whereParams.add(search.viewType() == ViewType.ACTIVE_ONLY ? LifecycleStage.ACTIVE.name() : LifecycleStage.DELETED.name());
        }
        List<SearchFilter> conjuncts = search.filter() instanceof SearchFilter.And and ? and.operands()
                : search.filter() instanceof SearchFilter.All ? List.of() : List.of(search.filter());
        List<String> conditions = new ArrayList<>();
        for (SearchFilter conjunct : conjuncts) {
            if (driver.isPresent() && conjunct instanceof SearchFilter.Compare c && c.field().kind() == Kind.METRIC
                    && c.field().key().equals(driver.get()) && c.op() != SearchFilter.Op.NE) {
                // A condition on the driving metric bounds the index range itself.
                conditions.add(comparison(c).formatted("o.latest_value"));
                whereParams.add(c.value());
            } else {
                conditions.add(runCondition(conjunct, whereParams));
            }
        }
        if (!conditions.isEmpty()) {
            // Balanced, not a flat chain: a thousand conjuncts in a row exceed SQLite's expression
            // depth. SQLite still splits nested ANDs into terms, so the index range is kept.
            where.add(balanced(conditions, " AND "));
        }
        search.after().ifPresent(cursor -> where.add(after(keys, idColumn, lastAscending, cursor.values(), cursor.id(),
                order, whereParams)));

        // The page's rows come back whole (RunLoader.RUN_COLUMNS), saving a second lookup per run.
        return assemble(idColumn + ", " + RunLoader.RUN_COLUMNS, from, idColumn, where, keys, lastAscending, joinParams,
                whereParams, search.limit());
    }

    /** The SQL components of one order key: a rank (present, NaN, missing) when it can vary, then the value. */
    private List<Component> orderComponents(SearchOrder order, List<Object> joinParams) {
        SearchField field = order.field();
        String alias = "k" + (aliases++);
        return switch (field.kind()) {
            case METRIC -> {
                joins.append(" LEFT JOIN metric_series ").append(alias).append(" ON ").append(alias)
                        .append(".run_id = r.run_id AND ").append(alias).append(".key = ?");
                joinParams.add(field.key());
                yield List.of(new Component("CASE WHEN " + alias + ".series_id IS NULL THEN 2 WHEN " + alias
                                + ".latest_value IS NULL THEN 1 ELSE 0 END", true),
                        new Component(alias + ".latest_value", order.ascending()));
            }
            case PARAM, TAG -> {
                joinParams.add(field.key());
                yield keyValueOrder(field.kind() == Kind.PARAM ? "params" : "tags", alias, order.ascending());
            }
            case ATTRIBUTE -> switch (field.key()) {
                case "user_id" -> {
                    // A run without the tag has the empty user (see SearchValues): first, ascending.
                    joins.append(" LEFT JOIN tags ").append(alias).append(" ON ").append(alias)
                            .append(".run_id = r.run_id AND ").append(alias).append(".key = ?");
                    joinParams.add(ActiveRun.USER_TAG);
                    yield List.of(new Component("COALESCE(" + alias + ".value, '')", order.ascending()));
                }
                case "end_time" -> List.of(new Component("CASE WHEN r.end_time IS NULL THEN 2 ELSE 0 END", true),
                        new Component("r.end_time", order.ascending()));
                default -> List.of(new Component(runColumn(field.key()), order.ascending()));
            };
            case DATASET -> throw new IllegalArgumentException("cannot order by a dataset field");
        };
    }

    private List<Component> keyValueOrder(String table, String alias, boolean ascending) {
        joins.append(" LEFT JOIN ").append(table).append(' ').append(alias).append(" ON ").append(alias)
                .append(".run_id = r.run_id AND ").append(alias).append(".key = ?");
        return List.of(new Component("CASE WHEN " + alias + ".value IS NULL THEN 2 ELSE 0 END", true),
                new Component(alias + ".value", ascending));
    }

    private static String runColumn(String attribute) {
        return switch (attribute) {
            case "run_id" -> "r.run_id";
            case "run_name" -> "r.name";
            case "status" -> "r.status";
            case "artifact_uri" -> "r.artifact_uri";
            case "start_time" -> "r.start_time";
            case "end_time" -> "r.end_time";
            default -> throw new IllegalArgumentException("no run column for attribute " + attribute);
        };
    }

    private String runCondition(SearchFilter filter, List<Object> out) {
        return condition(filter, out, this::runLeaf);
    }

    /** A condition on one field of a run: a comparison, IS NULL or IN. */
    private String runLeaf(SearchFilter filter, List<Object> out) {
        if (filter instanceof SearchFilter.IsNull isNull) {
            return (isNull.negated() ? "" : "NOT ") + "EXISTS (" + keyedRow(isNull.field(), out) + ")";
        }
        if (filter instanceof SearchFilter.In in) {
            return valueCondition(in.field(), valueIn(in), in.values(), out);
        }
        SearchFilter.Compare compare = (SearchFilter.Compare) filter;
        return valueCondition(compare.field(), comparison(compare), List.of(comparisonValue(compare)), out);
    }

    /**
     * A condition {@code test} on the field's value, where {@code test} is SQL with a {@code %s} for
     * the value expression and one {@code ?} per entry of {@code values}.
     */
    private String valueCondition(SearchField field, String test, List<?> values, List<Object> out) {
        String key = field.key();
        switch (field.kind()) {
            case METRIC, PARAM, TAG -> {
                // A scalar subquery on the (run, key) row, not EXISTS: SQLite 3.54 may turn an EXISTS
                // into a join driven by the value index, scanning that index once per run. A run
                // lacking the key yields NULL, which COALESCE makes false, so NOT stays a complement.
                String column = field.kind() == Kind.METRIC ? "x.latest_value" : "x.value";
                out.addAll(values);
                out.add(key);
                return "COALESCE((SELECT " + test.formatted(column) + " FROM " + table(field.kind())
                        + " x WHERE x.run_id = r.run_id AND x.key = ?), 0)";
            }
            case DATASET -> {
                String column = switch (key) {
                    case "name" -> "d.name";
                    case "digest" -> "d.digest";
                    default -> "i.context";
                };
                out.addAll(values);
                return "EXISTS (SELECT 1 FROM inputs i JOIN datasets d ON d.dataset_id = i.dataset_id"
                        + " WHERE i.run_id = r.run_id AND " + test.formatted(column) + ")";
            }
            default -> {
                if (key.equals("user_id")) {
                    // A run without the tag has the empty user, which the test then sees.
                    out.add(ActiveRun.USER_TAG);
                    out.addAll(values);
                    return test.formatted("COALESCE((SELECT x.value FROM tags x WHERE x.run_id = r.run_id AND x.key = ?), '')");
                }
                out.addAll(values);
                String column = runColumn(key);
                // end_time is NULL while a run is active: no comparison holds then, NOT included.
                return key.equals("end_time") ? "(r.end_time IS NOT NULL AND " + test.formatted(column) + ")"
                        : test.formatted(column);
            }
        }
    }

    /** The rows holding a run's value of a metric, param or tag key, as x; binds the key. */
    private static String keyedRow(SearchField field, List<Object> out) {
        out.add(field.key());
        return "SELECT 1 FROM " + table(field.kind()) + " x WHERE x.run_id = r.run_id AND x.key = ?";
    }

    private static String table(Kind kind) {
        return switch (kind) {
            case METRIC -> "metric_series";
            case PARAM -> "params";
            case TAG -> "tags";
            default -> throw new IllegalArgumentException(kind + " has no keyed table");
        };
    }

    // ---- experiments --------------------------------------------------------------------------

    static Query experiments(ExperimentSearch search) {
        return new SqlSearch().buildExperiments(search);
    }

    private Query buildExperiments(ExperimentSearch search) {
        List<SearchOrder> order = search.orderBy();
        boolean lastAscending = order.get(order.size() - 1).ascending();
        List<List<Component>> keys = new ArrayList<>();
        List<Object> joinParams = new ArrayList<>();
        for (SearchOrder o : order) {
            SearchField field = o.field();
            if (field.kind() == Kind.TAG) {
                String alias = "k" + (aliases++);
                joins.append(" LEFT JOIN experiment_tags ").append(alias).append(" ON ").append(alias)
                        .append(".experiment_id = e.experiment_id AND ").append(alias).append(".key = ?");
                joinParams.add(field.key());
                keys.add(List.of(new Component("CASE WHEN " + alias + ".value IS NULL THEN 2 ELSE 0 END", true),
                        new Component(alias + ".value", o.ascending())));
            } else {
                keys.add(List.of(new Component(experimentColumn(field.key()), o.ascending())));
            }
        }
        List<String> where = new ArrayList<>();
        List<Object> whereParams = new ArrayList<>();
        if (search.viewType() != ViewType.ALL) {
            where.add("e.lifecycle_stage = ?");
            whereParams.add(search.viewType() == ViewType.ACTIVE_ONLY ? LifecycleStage.ACTIVE.name() : LifecycleStage.DELETED.name());
        }
        if (!(search.filter() instanceof SearchFilter.All)) {
            where.add(experimentCondition(search.filter(), whereParams));
        }
        search.after().ifPresent(cursor -> where.add(after(keys, "e.experiment_id", lastAscending, cursor.values(),
                parseId(cursor.id()), order, whereParams)));
        return assemble("e.experiment_id", "experiments e", "e.experiment_id", where, keys, lastAscending, joinParams,
                whereParams, search.limit());
    }

    private static String experimentColumn(String attribute) {
        return switch (attribute) {
            case "name" -> "e.name";
            // Ids are integers in this store and strings in the API, which orders them as text.
            case "experiment_id" -> "CAST(e.experiment_id AS TEXT)";
            case "creation_time" -> "e.creation_time";
            case "last_update_time" -> "e.last_update_time";
            default -> throw new IllegalArgumentException("no experiment column for attribute " + attribute);
        };
    }

    private String experimentCondition(SearchFilter filter, List<Object> out) {
        return condition(filter, out, this::experimentLeaf);
    }

    /** A condition on one field of an experiment: a comparison, IS NULL or IN. */
    private String experimentLeaf(SearchFilter filter, List<Object> out) {
        SearchField field;
        String test;
        List<?> values;
        if (filter instanceof SearchFilter.IsNull isNull) {
            out.add(isNull.field().key());
            return (isNull.negated() ? "" : "NOT ")
                    + "EXISTS (SELECT 1 FROM experiment_tags x WHERE x.experiment_id = e.experiment_id AND x.key = ?)";
        } else if (filter instanceof SearchFilter.In in) {
            field = in.field();
            test = valueIn(in);
            values = in.values();
        } else {
            SearchFilter.Compare compare = (SearchFilter.Compare) filter;
            field = compare.field();
            test = comparison(compare);
            values = List.of(comparisonValue(compare));
        }
        if (field.kind() == Kind.TAG) {
            out.addAll(values);
            out.add(field.key());
            return "COALESCE((SELECT " + test.formatted("x.value")
                    + " FROM experiment_tags x WHERE x.experiment_id = e.experiment_id AND x.key = ?), 0)";
        }
        out.addAll(values);
        return test.formatted(experimentColumn(field.key()));
    }

    // ---- shared -------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Translator {
        String apply(SearchFilter filter, List<Object> out);
    }

    /** Translates AND, OR, NOT and the empty filter here, and every other node with {@code leaf}. */
    private static String condition(SearchFilter filter, List<Object> out, Translator leaf) {
        if (filter instanceof SearchFilter.All) {
            return "1";
        }
        if (filter instanceof SearchFilter.And and) {
            return join(and.operands(), " AND ", out, leaf);
        }
        if (filter instanceof SearchFilter.Or or) {
            return join(or.operands(), " OR ", out, leaf);
        }
        if (filter instanceof SearchFilter.Not not) {
            return "NOT (" + condition(not.operand(), out, leaf) + ")";
        }
        return leaf.apply(filter, out);
    }

    private static String join(List<SearchFilter> operands, String op, List<Object> out, Translator leaf) {
        List<String> parts = new ArrayList<>();
        for (SearchFilter operand : operands) {
            parts.add(condition(operand, out, leaf));
        }
        return balanced(parts, op);
    }

    /**
     * "(a OP b)" nested as a balanced tree: SQLite limits expression depth to 1,000, which a flat
     * chain of a thousand ORs would reach; a balanced one is only log2(n) deep. Always wrapped, so
     * an OR never leaks into the AND around it.
     */
    private static String balanced(List<String> parts, String op) {
        if (parts.size() == 1) {
            return "(" + parts.get(0) + ")";
        }
        int half = parts.size() / 2;
        return "(" + balanced(parts.subList(0, half), op) + op + balanced(parts.subList(half, parts.size()), op) + ")";
    }

    /** SELECT id FROM ... WHERE ... ORDER BY every component, then the id in the last key's direction. */
    private Query assemble(String select, String from, String idColumn, List<String> where, List<List<Component>> keys,
                           boolean lastAscending, List<Object> joinParams, List<Object> whereParams, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(select).append(" FROM ").append(from).append(joins);
        if (!where.isEmpty()) {
            sql.append(" WHERE (").append(String.join(") AND (", where)).append(")");
        }
        sql.append(" ORDER BY ");
        for (List<Component> key : keys) {
            for (Component c : key) {
                sql.append(c.expression()).append(c.ascending() ? " ASC, " : " DESC, ");
            }
        }
        sql.append(idColumn).append(lastAscending ? " ASC" : " DESC").append(" LIMIT ?");
        List<Object> params = new ArrayList<>(joinParams);
        params.addAll(whereParams);
        params.add(limit);
        return new Query(sql.toString(), params);
    }

    private static String comparison(SearchFilter.Compare compare) {
        return switch (compare.op()) {
            case EQ -> "%s = ?";
            // NaN is stored as NULL: it is unequal to every number, as in IEEE arithmetic.
            case NE -> compare.value() instanceof Double ? "(%1$s IS NULL OR %1$s != ?)" : "%s != ?";
            case LT -> "%s < ?";
            case LE -> "%s <= ?";
            case GT -> "%s > ?";
            case GE -> "%s >= ?";
            // SQLite's LIKE folds ASCII case; GLOB does not, so case-sensitive LIKE becomes GLOB.
            case LIKE -> "%s GLOB ?";
            case ILIKE -> "%s LIKE ?";
        };
    }

    private static Object comparisonValue(SearchFilter.Compare compare) {
        return compare.op() == SearchFilter.Op.LIKE ? likeToGlob((String) compare.value()) : compare.value();
    }

    private static String valueIn(SearchFilter.In in) {
        return "%s " + (in.negated() ? "NOT IN" : "IN") + " (" + marks(in.values().size()) + ")";
    }

    /** A LIKE pattern as a GLOB pattern: % and _ become * and ?, GLOB's own metacharacters become literals. */
    static String likeToGlob(String like) {
        StringBuilder glob = new StringBuilder();
        for (char c : like.toCharArray()) {
            switch (c) {
                case '%' -> glob.append('*');
                case '_' -> glob.append('?');
                case '*' -> glob.append("[*]");
                case '?' -> glob.append("[?]");
                case '[' -> glob.append("[[]");
                default -> glob.append(c);
            }
        }
        return glob.toString();
    }

    /**
     * Rows strictly after the cursor in the order of {@code keys} then the id: the expanded form
     * of a row-value comparison, written out because directions differ between components.
     */
    private static String after(List<List<Component>> keys, String idColumn, boolean lastAscending, List<Object> cursorValues,
                                Object cursorId, List<SearchOrder> order, List<Object> out) {
        List<String> expressions = new ArrayList<>();
        List<Boolean> ascending = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Object value = cursorValues.get(i);
            int rank = SearchOrder.rank(value);
            List<Component> key = keys.get(i);
            if (key.size() == 2) {
                expressions.add(key.get(0).expression());
                ascending.add(true);
                values.add(rank);
            }
            if (rank == 0) {
                Component valueComponent = key.get(key.size() - 1);
                expressions.add(valueComponent.expression());
                ascending.add(valueComponent.ascending());
                values.add(value);
            } else if (key.size() == 1) {
                // A key that cannot be missing or NaN in this plan cannot have such a cursor either.
                throw new InvalidInputException("Page token is malformed: it continues after " + value + " for "
                        + order.get(i).field() + ", which no run this search finds has; pass back a nextPageToken unchanged");
            }
        }
        expressions.add(idColumn);
        ascending.add(lastAscending);
        values.add(cursorId);
        if (ascending.stream().distinct().count() == 1) {
            // One direction throughout: a row value, which SQLite turns into an index range.
            out.addAll(values);
            return "(" + String.join(", ", expressions) + ") " + (ascending.get(0) ? ">" : "<")
                    + " (" + marks(values.size()) + ")";
        }
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            StringBuilder alternative = new StringBuilder("(");
            for (int j = 0; j < i; j++) {
                alternative.append(expressions.get(j)).append(" = ? AND ");
                out.add(values.get(j));
            }
            alternative.append(expressions.get(i)).append(ascending.get(i) ? " > ?" : " < ?").append(")");
            out.add(values.get(i));
            alternatives.add(alternative.toString());
        }
        return "(" + String.join(" OR ", alternatives) + ")";
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static Object parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return id; // matches no integer id: the search finds nothing, as for any unknown id
        }
    }
}
