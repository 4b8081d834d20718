package dev.runlog.tracking.internal.search;

import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.spi.ExperimentSearch;
import dev.runlog.tracking.spi.RunSearch;
import dev.runlog.tracking.spi.SearchCursor;
import dev.runlog.tracking.spi.SearchOrder;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Search by evaluation: filter every row, sort, and cut the page after the cursor. */
public final class InMemorySearch {
    private InMemorySearch() {
    }

    public static List<Run> runs(Collection<Run> candidates, RunSearch search) {
        return page(candidates.stream()
                        .filter(run -> search.experimentIds().isEmpty() || search.experimentIds().contains(run.info().experimentId()))
                        .filter(run -> search.viewType().includes(run.info().lifecycleStage()))
                        .filter(run -> Matcher.matches(search.filter(), run))
                        .toList(),
                search.orderBy(), search.after(), search.limit(), false,
                run -> new Ordering.Position(Ordering.values(search.orderBy(), o -> SearchValues.of(run, o.field())), run.info().id()));
    }

    public static List<Experiment> experiments(Collection<Experiment> candidates, ExperimentSearch search) {
        return page(candidates.stream()
                        .filter(e -> search.viewType().includes(e.lifecycleStage()))
                        .filter(e -> Matcher.matches(search.filter(), e))
                        .toList(),
                search.orderBy(), search.after(), search.limit(), true,
                e -> new Ordering.Position(Ordering.values(search.orderBy(), o -> SearchValues.of(e, o.field())), e.id()));
    }

    private record Ranked<T>(T value, Ordering.Position at) {
    }

    private static <T> List<T> page(List<T> rows, List<SearchOrder> order, Optional<SearchCursor> after, int limit,
                                    boolean numericIds, Function<T, Ordering.Position> position) {
        Comparator<Ordering.Position> comparator = Ordering.comparator(order, numericIds);
        Optional<Ordering.Position> cursor = after.map(Ordering.Position::of);
        return rows.stream()
                .map(row -> new Ranked<>(row, position.apply(row)))
                .filter(row -> cursor.isEmpty() || comparator.compare(row.at(), cursor.get()) > 0)
                .sorted((a, b) -> comparator.compare(a.at(), b.at()))
                .limit(limit)
                .map(Ranked::value)
                .toList();
    }
}
