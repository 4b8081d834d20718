package dev.runlog.tracking.internal.search;

import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunPage;
import dev.runlog.tracking.RunQuery;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.SearchCursor;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.SearchOrder;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/** {@link RunQuery} over a store's {@code searchRuns}. */
public final class DefaultRunQuery extends PagedQuery<Run> implements RunQuery {
    static final SearchOrder DEFAULT_ORDER = new SearchOrder(new SearchField(SearchField.Kind.ATTRIBUTE, "start_time"), false);

    private final Function<RunSearch, List<Run>> store;
    private final Function<String, String> experimentIdOf;
    private List<String> experiments = List.of();

    /**
     * @param store          runs one search against the store
     * @param experimentIdOf resolves an experiment name or id to its id, failing for unknown ones
     */
    public DefaultRunQuery(Function<RunSearch, List<Run>> store, Function<String, String> experimentIdOf) {
        super(FilterParser.Target.RUNS, DEFAULT_ORDER);
        this.store = store;
        this.experimentIdOf = experimentIdOf;
    }

    @Override
    public RunQuery experiments(String... namesOrIds) {
        InputRules.notNull("experiments", namesOrIds);
        for (String nameOrId : namesOrIds) {
            InputRules.notNull("experiment name or id", nameOrId);
        }
        this.experiments = List.of(namesOrIds);
        return this;
    }

    @Override
    public RunQuery filter(String filter) {
        setFilter(filter);
        return this;
    }

    @Override
    public RunQuery orderBy(String... clauses) {
        setOrder(clauses);
        return this;
    }

    @Override
    public RunQuery maxResults(int maxResults) {
        setMaxResults(maxResults);
        return this;
    }

    @Override
    public RunQuery pageToken(String pageToken) {
        setPageToken(pageToken);
        return this;
    }

    @Override
    public RunQuery viewType(ViewType viewType) {
        setViewType(viewType);
        return this;
    }

    @Override
    public RunPage page() {
        Page<Run> page = fetchPage();
        return new RunPage(page.rows(), page.nextPageToken());
    }

    @Override
    public List<Run> list() {
        return stream().toList();
    }

    @Override
    public Stream<Run> stream() {
        return streamAll();
    }

    @Override
    List<Run> fetch(SearchFilter filter, List<SearchOrder> order, int limit, Optional<SearchCursor> after) {
        List<String> ids = experiments.stream().map(experimentIdOf).distinct().toList();
        return store.apply(new RunSearch(ids, filter, order, limit, after, viewType));
    }

    @Override
    Ordering.Position position(Run run, List<SearchOrder> order) {
        return new Ordering.Position(Ordering.values(order, o -> SearchValues.of(run, o.field())), run.info().id());
    }

    @Override
    String scope() {
        return String.join("\u0000", experiments);
    }
}
