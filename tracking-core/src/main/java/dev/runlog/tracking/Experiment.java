package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.Map;

/**
 * A named group of runs, usually one modelling problem ("iris", "churn-v2"). Experiment names are
 * unique in a store, deleted experiments included, so a name always means one experiment.
 *
 * @param id             the store's id for it, stable for its whole life
 * @param name           the unique name
 * @param lifecycleStage {@link LifecycleStage#DELETED} once soft-deleted
 * @param creationTime   when it was created
 * @param lastUpdateTime when it was last created, deleted or restored
 * @param tags           its tags, unmodifiable
 */
public record Experiment(String id, String name, LifecycleStage lifecycleStage,
                         Instant creationTime, Instant lastUpdateTime, Map<String, String> tags) {
    public Experiment {
        InputRules.notNull("id", id);
        InputRules.notNull("name", name);
        InputRules.notNull("lifecycleStage", lifecycleStage);
        InputRules.notNull("creationTime", creationTime);
        InputRules.notNull("lastUpdateTime", lastUpdateTime);
        tags = Map.copyOf(InputRules.notNull("tags", tags));
    }
}
