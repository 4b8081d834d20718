package dev.runlog.tracking.spi;

import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.InputRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A page request for runs, parsed and checked by the tracker.
 *
 * @param experimentIds the experiments to search; empty for all
 * @param filter        which runs match
 * @param orderBy       the order, never empty: the tracker adds {@code start_time DESC} when the
 *                      caller gives none; ties are broken by run id in the direction of the last key
 * @param limit         how many runs to return at most
 * @param after         where the previous page ended: return only runs strictly after it
 * @param viewType      which lifecycle stages to include
 */
public record RunSearch(List<String> experimentIds, SearchFilter filter, List<SearchOrder> orderBy, int limit,
                        Optional<SearchCursor> after, ViewType viewType) {
    public RunSearch {
        experimentIds = List.copyOf(InputRules.notNull("experimentIds", experimentIds));
        InputRules.notNull("filter", filter);
        orderBy = List.copyOf(InputRules.notNull("orderBy", orderBy));
        if (orderBy.isEmpty()) {
            throw new dev.runlog.tracking.InvalidInputException("orderBy must not be empty");
        }
        InputRules.notNull("after", after);
        InputRules.notNull("viewType", viewType);
    }

    /**
     * The first order key, when it is a metric the filter's top level requires to be a number (any
     * comparison but {@code !=} is false on a missing key and on NaN): every match then has that
     * metric with a value, so a store can read the matches off an index of (key, value) in order
     * and stop after a page. Empty otherwise.
     */
    public Optional<SearchField> drivingMetric() {
        SearchField first = orderBy.get(0).field();
        if (first.kind() != SearchField.Kind.METRIC) {
            return Optional.empty();
        }
        for (SearchFilter f : conjuncts(filter)) {
            if (f instanceof SearchFilter.Compare c && c.field().equals(first) && c.op() != SearchFilter.Op.NE) {
                return Optional.of(first);
            }
        }
        return Optional.empty();
    }

    /**
     * This search narrowed to the runs whose first order key, a metric, is a number, when the
     * filter does not already require that ({@link #drivingMetric()} is empty) and the cursor, if
     * any, is among such runs; empty otherwise. Those runs come first in the order, in the same
     * order as in the whole search, so when the narrowed search fills a page, that page is the
     * whole search's; and the narrowed one has a driving metric.
     */
    public Optional<RunSearch> numbersFirst() {
        SearchField first = orderBy.get(0).field();
        if (first.kind() != SearchField.Kind.METRIC || drivingMetric().isPresent()
                || after.map(a -> SearchOrder.rank(a.values().get(0)) != 0).orElse(false)) {
            return Optional.empty();
        }
        // Every number passes >= -Infinity; NaN and a missing key do not.
        List<SearchFilter> conjuncts = new ArrayList<>();
        conjuncts.add(new SearchFilter.Compare(first, SearchFilter.Op.GE, Double.NEGATIVE_INFINITY));
        conjuncts.addAll(conjuncts(filter));
        return Optional.of(new RunSearch(experimentIds, new SearchFilter.And(conjuncts), orderBy, limit, after, viewType));
    }

    /** The filter's top-level AND operands: itself alone, or none for the empty filter. */
    private static List<SearchFilter> conjuncts(SearchFilter filter) {
        return filter instanceof SearchFilter.And and ? and.operands()
                : filter instanceof SearchFilter.All ? List.of() : List.of(filter);
    }
}
