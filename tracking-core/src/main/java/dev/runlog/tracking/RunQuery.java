package dev.runlog.tracking;

import java.util.List;
import java.util.stream.Stream;

/**
 * A search for runs, from {@link Tracker#searchRuns()}, in MLflow's filter language plus
 * {@code OR}, {@code NOT} and parentheses.
 *
 * <pre>{@code
 * RunPage page = tracker.searchRuns()
 *         .experiments("iris")
 *         .filter("metrics.accuracy > 0.9 and params.penalty = 'l2'")
 *         .orderBy("metrics.accuracy DESC")
 *         .maxResults(100)
 *         .page();
 * List<Run> all = tracker.searchRuns().filter("tags.team = 'vision'").list();
 * }</pre>
 *
 * <p>Pages are keyset-paginated: a page token names the position after the last run returned, so
 * runs logged or deleted while a caller pages never make it skip or repeat a run. A token works
 * only with the query that produced it.
 *
 * <p>The filter grammar: {@code metrics.K}, {@code params.K}, {@code tags.K} (also
 * {@code metric, param, parameter(s), tag}), {@code attributes.A} (also {@code attribute, attr,
 * run}, or {@code A} alone) for run_id, run_name, status, user_id, start_time (or created),
 * end_time and artifact_uri, and {@code datasets.name|digest|context}. Keys with other characters
 * go in backticks or double quotes. Metrics and times compare with {@code = != < <= > >=} against
 * numbers; strings with {@code = != LIKE ILIKE} against quoted strings; params and tags also with
 * {@code IS [NOT] NULL}; string fields with {@code [NOT] IN ('a', 'b')}. A metric condition looks
 * at the latest value; a run lacking the key does not match it.
 */
public interface RunQuery {

    /**
     * Limits the search to these experiments, by id or name (an id first: a name that is another
     * experiment's id finds that experiment); all experiments when not called.
     */
    RunQuery experiments(String... namesOrIds);

    /**
     * The filter; everything matches when not called. A filter may nest parentheses and
     * {@code NOT} at most 100 levels deep, hold at most 2,000 conditions and at most 50,000
     * {@code IN} values in all, and {@code LIKE} patterns of at most 10,000 characters; every store
     * answers every filter within those limits.
     *
     * @throws InvalidFilterException at {@link #page()}, naming the column and the problem (a limit
     *         passed, an unpaired UTF-16 surrogate, a syntax error)
     */
    RunQuery filter(String filter);

    /**
     * The order, such as {@code "metrics.accuracy DESC", "start_time"}; {@code start_time DESC} when
     * not called. Runs lacking a key come after those that have it, NaN after numbers.
     */
    RunQuery orderBy(String... clauses);

    /** How many runs a page holds, 1 to 50,000; 1,000 by default. */
    RunQuery maxResults(int maxResults);

    /** Continues after the page whose {@link RunPage#nextPageToken()} this is. */
    RunQuery pageToken(String pageToken);

    /** Which lifecycle stages to include; {@link ViewType#ACTIVE_ONLY} by default. */
    RunQuery viewType(ViewType viewType);

    /** Runs one page of the search. */
    RunPage page();

    /** Every matching run, reading page after page. */
    List<Run> list();

    /** Every matching run, reading pages as the stream is consumed. */
    Stream<Run> stream();
}
