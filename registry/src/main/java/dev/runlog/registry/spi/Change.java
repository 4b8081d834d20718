package dev.runlog.registry.spi;

import dev.runlog.registry.GateResult;
import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.List;

/**
 * Who makes a change to the registry, when and why: what a store writes into the audit trail
 * together with the change itself, as given. The registry words it, so every store records the same
 * text (a version archived by a promotion gets {@link StageTransition#archiving()}, whose comment
 * names the version that took its stage).
 *
 * <p>A store records {@code gates} with the event it writes for this change, as it records the
 * user and comment, and returns them, in order, from {@link dev.runlog.registry.ModelEvent#gates()}.
 * The registry gives gates only with the change of a successful promotion, so only the
 * STAGE_CHANGED event of the promoted version carries them; the versions it archives are recorded
 * with {@link StageTransition#archiving()}, which has none.
 *
 * @param time    the registry's clock at the change
 * @param user    the acting user, empty if unknown
 * @param comment the caller's reason, empty if none
 * @param gates   the result of every gate the change passed, in the order they were given; empty
 *                for anything but a promotion
 */
public record Change(Instant time, String user, String comment, List<GateResult> gates) {
    public Change {
        InputRules.notNull("time", time);
        InputRules.notNull("user", user);
        InputRules.notNull("comment", comment);
        InputRules.notNull("gates", gates);
        gates.forEach(gate -> InputRules.notNull("gate result", gate));
        gates = List.copyOf(gates);
    }

    /** A change that passed no gates: every change but a promotion. */
    public Change(Instant time, String user, String comment) {
        this(time, user, comment, List.of());
    }
}
