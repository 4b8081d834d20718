package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.util.List;
import java.util.Optional;

/**
 * One page of an experiment search.
 *
 * @param experiments   the experiments, in the search's order
 * @param nextPageToken the token for the next page; empty on the last page
 */
public record ExperimentPage(List<Experiment> experiments, Optional<String> nextPageToken) {
    public ExperimentPage {
        experiments = List.copyOf(InputRules.notNull("experiments", experiments));
        InputRules.notNull("nextPageToken", nextPageToken);
    }
}
