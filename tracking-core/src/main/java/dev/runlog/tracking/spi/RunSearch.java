package dev.runlog.tracking.spi;

import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.InputRules;
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
}
