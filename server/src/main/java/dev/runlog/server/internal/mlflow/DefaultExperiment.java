package dev.runlog.server.internal.mlflow;

import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * MLflow's default experiment, id {@code "0"}, which every client that names no experiment logs
 * to: in Runlog, the experiment tagged {@link #TAG}. It is made as {@code "Default"} on first use
 * and tagged at once (in a store from before the tag, the experiment then named "Default" is
 * tagged), so that, as in MLflow, id 0 stays that experiment when it is renamed, and another
 * experiment renamed "Default" does not become it.
 */
final class DefaultExperiment {
    static final String NAME = "Default";
    /** Marks the experiment MLflow's id 0 stands for. */
    static final String TAG = "runlog.mlflowDefault";

    private final Tracker tracker;
    /** Its id once found: an experiment's id never changes. */
    private volatile String id;

    DefaultExperiment(Tracker tracker) {
        this.tracker = tracker;
    }

    Experiment get() {
        String known = id;
        if (known != null) {
            try {
                return tracker.getExperiment(known);
            } catch (NotFoundException purged) {
                id = null; // gc purged it: made again below, as on first use
            }
        }
        Experiment found;
        try (Stream<Experiment> tagged = tracker.searchExperiments().viewType(ViewType.ALL)
                .filter("tags.`" + TAG + "` = 'true'").stream()) {
            // Two only if the tag was set by hand: the oldest (ids are numbers) stays id 0.
            found = tagged.min(Comparator.comparing((Experiment e) -> e.id().length()).thenComparing(Experiment::id))
                    .orElse(null);
        }
        if (found == null) {
            found = tracker.getExperimentByName(NAME).orElseGet(() -> {
                try {
                    return tracker.createExperiment(NAME);
                } catch (ConflictException raced) {
                    return tracker.getExperimentByName(NAME).orElseThrow();
                }
            });
            tracker.setExperimentTag(found.id(), TAG, "true");
        }
        id = found.id();
        return found;
    }

    /** Whether {@code experiment} is what MLflow's clients know as experiment 0. */
    boolean is(Experiment experiment) {
        return "true".equals(experiment.tags().get(TAG));
    }
}
