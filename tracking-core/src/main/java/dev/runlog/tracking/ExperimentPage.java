package dev.runlog.tracking;

import dev.runlog.tracking.internal.Validation;
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
        experiments = List.copyOf(Validation.notNull("experiments", experiments));
        Validation.notNull("nextPageToken", nextPageToken);
    }
}
