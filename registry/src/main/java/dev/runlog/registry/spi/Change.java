package dev.runlog.registry.spi;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;

/**
 * Who makes a change to the registry, when and why: what a store writes into the audit trail
 * together with the change itself.
 *
 * @param time    the registry's clock at the change
 * @param user    the acting user, empty if unknown
 * @param comment the caller's reason, empty if none
 */
public record Change(Instant time, String user, String comment) {
    public Change {
        InputRules.notNull("time", time);
        user = user == null ? "" : user;
        comment = comment == null ? "" : comment;
    }
}
