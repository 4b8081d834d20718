package dev.runlog.tracking.spi;

import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.internal.Validation;
import java.util.List;
import java.util.Optional;

/**
 * A page request for experiments, parsed and checked by the tracker; as {@link RunSearch}, with
 * experiment ids breaking ties.
 */
public record ExperimentSearch(SearchFilter filter, List<SearchOrder> orderBy, int limit,
                               Optional<SearchCursor> after, ViewType viewType) {
    public ExperimentSearch {
        Validation.notNull("filter", filter);
        orderBy = List.copyOf(Validation.notNull("orderBy", orderBy));
        if (orderBy.isEmpty()) {
            throw new dev.runlog.tracking.InvalidInputException("orderBy must not be empty");
        }
        Validation.notNull("after", after);
        Validation.notNull("viewType", viewType);
    }
}
