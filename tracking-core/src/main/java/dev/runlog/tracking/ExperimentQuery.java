package dev.runlog.tracking;

import java.util.List;
import java.util.stream.Stream;

/**
 * A search for experiments, from {@link Tracker#searchExperiments()}: the same language and paging
 * as {@link RunQuery}, over {@code name} (or {@code attributes.name}), {@code experiment_id},
 * {@code creation_time}, {@code last_update_time} and {@code tags.K}.
 *
 * <pre>{@code
 * List<Experiment> vision = tracker.searchExperiments().filter("tags.team = 'vision' OR name LIKE 'cv-%'").list();
 * }</pre>
 */
public interface ExperimentQuery {

    /**
     * The filter; everything matches when not called. The limits of {@link RunQuery#filter} apply.
     *
     * @throws InvalidFilterException when the query runs, naming the column and the problem
     */
    ExperimentQuery filter(String filter);

    /** The order; {@code creation_time DESC} when not called. */
    ExperimentQuery orderBy(String... clauses);

    ExperimentQuery maxResults(int maxResults);

    ExperimentQuery pageToken(String pageToken);

    ExperimentQuery viewType(ViewType viewType);

    ExperimentPage page();

    List<Experiment> list();

    Stream<Experiment> stream();
}
