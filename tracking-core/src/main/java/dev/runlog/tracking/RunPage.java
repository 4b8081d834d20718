package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.util.List;
import java.util.Optional;

/**
 * One page of a run search.
 *
 * @param runs          the runs, in the search's order
 * @param nextPageToken the token for the next page; empty on the last page
 */
public record RunPage(List<Run> runs, Optional<String> nextPageToken) {
    public RunPage {
        runs = List.copyOf(InputRules.notNull("runs", runs));
        InputRules.notNull("nextPageToken", nextPageToken);
    }
}
