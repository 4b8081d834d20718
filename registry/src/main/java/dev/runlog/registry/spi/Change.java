package dev.runlog.registry.spi;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;

/**
 * Who makes a change to the registry, when and why: what a store writes into the audit trail
 * together with the change itself, as given. The registry words it, so every store records the same
 * text (a version archived by a promotion gets {@link StageTransition#archiving()}, whose comment
 * names the version that took its stage).
 *
 * @param time    the registry's clock at the change
 * @param user    the acting user, empty if unknown
 * @param comment the caller's reason, empty if none
 */
public record Change(Instant time, String user, String comment) {
    public Change {
        InputRules.notNull("time", time);
        InputRules.notNull("user", user);
        InputRules.notNull("comment", comment);
    }
}
