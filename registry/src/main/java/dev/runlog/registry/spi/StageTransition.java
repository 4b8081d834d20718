package dev.runlog.registry.spi;

import dev.runlog.registry.Stage;
import dev.runlog.tracking.internal.Validation;

/**
 * A stage transition as a store carries it out, in one transaction.
 *
 * @param name              the model
 * @param version           the version to move
 * @param stage             its new stage
 * @param archiveExisting   whether every other version in {@code stage} moves to ARCHIVED
 * @param expectedIncumbent when not null, the transition happens only if the highest other version
 *                          now in {@code stage} is this one (0 for none); otherwise the store throws
 *                          {@link dev.runlog.tracking.ConflictException}. Promotion uses it to act
 *                          on exactly the state its gates judged.
 */
public record StageTransition(String name, int version, Stage stage, boolean archiveExisting,
                              Integer expectedIncumbent) {
    public StageTransition {
        Validation.notNull("name", name);
        Validation.notNull("stage", stage);
    }
}
