package dev.runlog.registry.spi;

import dev.runlog.registry.Stage;
import dev.runlog.tracking.spi.InputRules;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A stage transition as a store carries it out, in one transaction. The registry decides
 * everything, including the audit entries of the versions it archives, so a store applies the rules
 * below and words nothing itself.
 *
 * @param name              the model
 * @param version           the version to move
 * @param stage             its new stage
 * @param archiving         when present, every other version in {@code stage} moves to ARCHIVED,
 *                          and each move is recorded with this change (the registry words its
 *                          comment: which version took the stage); when empty, other versions stay
 * @param expectedIncumbent when present, the transition happens only if the highest other version
 *                          now in {@code stage} is this one (0 for none); otherwise the store throws
 *                          {@link RegistryErrors#incumbentChanged}. Promotion uses it to act on
 *                          exactly the state its gates judged.
 */
public record StageTransition(String name, int version, Stage stage, Optional<Change> archiving,
                              OptionalInt expectedIncumbent) {
    public StageTransition {
        InputRules.notNull("name", name);
        InputRules.notNull("stage", stage);
        InputRules.notNull("archiving", archiving);
        InputRules.notNull("expectedIncumbent", expectedIncumbent);
    }
}
