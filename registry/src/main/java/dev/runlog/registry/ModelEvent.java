package dev.runlog.registry;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One entry of a registered model's audit trail: a registration, a stage transition, an alias move,
 * a deletion or a rename, with when, by whom and why. The registry writes it in the same transaction
 * as the change it records, so the trail and the registry never disagree. See
 * {@link ModelRegistry#history(String)}.
 *
 * @param sequence increases with every event of the store; orders events recorded in the same instant
 * @param model    the model's name (its current one: a rename rewrites the trail's earlier entries)
 * @param version  the version concerned, or 0 for an event about the model as a whole
 * @param action   what happened
 * @param alias    the alias moved or deleted, or null for other actions
 * @param from     the state before: a stage name, the version an alias pointed to, an old name; null
 *                 when there was none
 * @param to       the state after, in the same terms; null when there is none
 * @param time     when it happened, by the tracker's clock
 * @param user     who did it
 * @param comment  why, as given by the caller; empty when none
 * @param gates    for the STAGE_CHANGED event of a version moved by
 *                 {@link ModelRegistry#promote(String, int, Stage, Gate...) promote}, the result of every
 *                 gate it passed (name, actual and required value), in the order the gates were given;
 *                 empty for every other event, including a plain transition and the versions a
 *                 promotion archived, and for events recorded before stores kept gates
 */
public record ModelEvent(long sequence, String model, int version, Action action, String alias, String from,
                         String to, Instant time, String user, String comment, List<GateResult> gates) {

    /** What an audit trail entry records. */
    public enum Action {
        /** A model name was created, explicitly or by its first registration. */
        MODEL_CREATED,
        /** A version was registered: {@code to} is its source URI. */
        VERSION_REGISTERED,
        /** A version moved between stages: {@code from} and {@code to} are stage names. */
        STAGE_CHANGED,
        /** An alias was set or moved: {@code from} and {@code to} are version numbers. */
        ALIAS_SET,
        /** An alias was removed: {@code from} is the version it pointed to. */
        ALIAS_DELETED,
        /** A version was deleted: {@code from} is the stage it was in. */
        VERSION_DELETED,
        /** The model was renamed: {@code from} and {@code to} are the names. */
        MODEL_RENAMED,
        /** The model and all its versions were deleted. */
        MODEL_DELETED
    }

    public ModelEvent {
        InputRules.notNull("model", model);
        InputRules.notNull("action", action);
        InputRules.notNull("time", time);
        user = user == null ? "" : user;
        comment = comment == null ? "" : comment;
        InputRules.notNull("gates", gates);
        gates.forEach(gate -> InputRules.notNull("gate result", gate));
        gates = List.copyOf(gates);
    }

    /** An event that records no gates: anything but the promotion of a version. */
    public ModelEvent(long sequence, String model, int version, Action action, String alias, String from, String to,
                      Instant time, String user, String comment) {
        this(sequence, model, version, action, alias, from, to, time, user, comment, List.of());
    }

    /** The alias concerned, for {@link Action#ALIAS_SET} and {@link Action#ALIAS_DELETED}. */
    public Optional<String> aliasName() {
        return Optional.ofNullable(alias);
    }

    /**
     * One line for logs and consoles: time, model, version, action, {@code from -> to}, user,
     * comment and, for a promotion, its gates, such as
     * {@code [gates: metrics.accuracy >= 0.9: passed (0.93)]}.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(time).append(' ').append(model);
        if (version > 0) {
            text.append(" v").append(version);
        }
        text.append(' ').append(action);
        if (alias != null) {
            text.append(" @").append(alias);
        }
        text.append(' ').append(from == null ? "-" : from).append(" -> ").append(to == null ? "-" : to)
                .append(" by ").append(user.isEmpty() ? "?" : user);
        if (!comment.isEmpty()) {
            text.append(": ").append(comment);
        }
        if (!gates.isEmpty()) {
            text.append(gates.stream().map(GateResult::toString).collect(Collectors.joining("; ", " [gates: ", "]")));
        }
        return text.toString();
    }
}
