package dev.runlog.tracking.spi;

import dev.runlog.tracking.ViewType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A page request for experiments, parsed and checked by the tracker; as {@link RunSearch}, with
 * experiment ids breaking ties.
 */
public record ExperimentSearch(SearchFilter filter, List<SearchOrder> orderBy, int limit,
                               Optional<SearchCursor> after, ViewType viewType) {
    public ExperimentSearch {
        Objects.requireNonNull(filter, "filter");
        orderBy = List.copyOf(orderBy);
        if (orderBy.isEmpty()) {
            throw new IllegalArgumentException("orderBy must not be empty");
        }
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(viewType, "viewType");
    }
}
