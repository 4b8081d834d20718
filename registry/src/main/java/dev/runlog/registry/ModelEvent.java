package dev.runlog.registry;

import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.Optional;

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
 */
public record ModelEvent(long sequence, String model, int version, Action action, String alias, String from,
                         String to, Instant time, String user, String comment) {

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
    }

    /** The alias concerned, for {@link Action#ALIAS_SET} and {@link Action#ALIAS_DELETED}. */
    public Optional<String> aliasName() {
        return Optional.ofNullable(alias);
    }

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
        return text.toString();
    }
}
