package dev.runlog.tracking.internal.search;

import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.ExperimentPage;
import dev.runlog.tracking.ExperimentQuery;
import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.ExperimentSearch;
import dev.runlog.tracking.spi.SearchCursor;
import dev.runlog.tracking.spi.SearchField;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.SearchOrder;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/** {@link ExperimentQuery} over a store's {@code searchExperiments}. */
public final class DefaultExperimentQuery extends PagedQuery<Experiment> implements ExperimentQuery {
    static final SearchOrder DEFAULT_ORDER =
            new SearchOrder(new SearchField(SearchField.Kind.ATTRIBUTE, "creation_time"), false);

    private final Function<ExperimentSearch, List<Experiment>> store;

    public DefaultExperimentQuery(Function<ExperimentSearch, List<Experiment>> store) {
        super(FilterParser.Target.EXPERIMENTS, DEFAULT_ORDER);
        this.store = store;
    }

    @Override
    public ExperimentQuery filter(String filter) {
        setFilter(filter);
        return this;
    }

    @Override
    public ExperimentQuery orderBy(String... clauses) {
        setOrder(clauses);
        return this;
    }

    @Override
    public ExperimentQuery maxResults(int maxResults) {
        setMaxResults(maxResults);
        return this;
    }

    @Override
    public ExperimentQuery pageToken(String pageToken) {
        setPageToken(pageToken);
        return this;
    }

    @Override
    public ExperimentQuery viewType(ViewType viewType) {
        setViewType(viewType);
        return this;
    }

    @Override
    public ExperimentPage page() {
        Page<Experiment> page = fetchPage();
        return new ExperimentPage(page.rows(), page.nextPageToken());
    }

    @Override
    public List<Experiment> list() {
        return stream().toList();
    }

    @Override
    public Stream<Experiment> stream() {
        return streamAll();
    }

    @Override
    List<Experiment> fetch(SearchFilter filter, List<SearchOrder> order, int limit, Optional<SearchCursor> after) {
        return store.apply(new ExperimentSearch(filter, order, limit, after, viewType));
    }

    @Override
    Ordering.Position position(Experiment experiment, List<SearchOrder> order) {
        return new Ordering.Position(Ordering.values(order, o -> SearchValues.of(experiment, o.field())), experiment.id());
    }

    @Override
    String scope() {
        return "";
    }
}
