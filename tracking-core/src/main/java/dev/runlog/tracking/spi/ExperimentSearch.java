package dev.runlog.tracking.spi;

import dev.runlog.tracking.ViewType;
import dev.runlog.tracking.spi.InputRules;
import java.util.List;
import java.util.Optional;

/**
 * A page request for experiments, parsed and checked by the tracker; as {@link RunSearch}, with
 * experiment ids breaking ties.
 */
public record ExperimentSearch(SearchFilter filter, List<SearchOrder> orderBy, int limit,
                               Optional<SearchCursor> after, ViewType viewType) {
    public ExperimentSearch {
        InputRules.notNull("filter", filter);
        orderBy = List.copyOf(InputRules.notNull("orderBy", orderBy));
        if (orderBy.isEmpty()) {
            throw new dev.runlog.tracking.InvalidInputException("orderBy must not be empty");
        }
        InputRules.notNull("after", after);
        InputRules.notNull("viewType", viewType);
    }
}
