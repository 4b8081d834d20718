package dev.runlog.registry;

import dev.runlog.tracking.spi.InputRules;
import java.util.Optional;

/**
 * How a stage transition is made: whether the versions already in the target stage move to
 * {@link Stage#ARCHIVED} in the same transaction, and the comment and user the audit trail records.
 * Immutable: each setter ({@code comment(String)}) returns a changed copy, each accessor
 * ({@code comment()}) is named after its property, with no {@code get} or {@code is} prefix.
 *
 * <pre>{@code
 * registry.transition("iris", 4, Stage.PRODUCTION,
 *         TransitionOptions.archiveExisting().comment("beats v3 on the holdout set").user("ci"));
 * }</pre>
 */
public final class TransitionOptions {
    private static final TransitionOptions DEFAULTS = new TransitionOptions(null, null, null);

    /** Null until {@link #archiveExisting(boolean)} chooses: a transition then archives nothing, a promotion archives. */
    private final Boolean archiveExisting;
    private final String comment;
    private final String user;

    private TransitionOptions(Boolean archiveExisting, String comment, String user) {
        this.archiveExisting = archiveExisting;
        this.comment = comment;
        this.user = user;
    }

    /**
     * No choice about archiving (a transition archives nothing, a promotion archives the stage's
     * holders), no comment, the process's user ({@code user.name}).
     */
    public static TransitionOptions defaults() {
        return DEFAULTS;
    }

    /** Options that archive every other version in the target stage: {@code defaults().archiveExisting(true)}. */
    public static TransitionOptions archiveExisting() {
        return DEFAULTS.archiveExisting(true);
    }

    /**
     * A copy that does, or does not, archive the other versions in the target stage; for
     * {@link ModelRegistry#promote}, {@code false} keeps them in the stage beside the promoted
     * version, as MLflow's transitions do by default.
     */
    public TransitionOptions archiveExisting(boolean archive) {
        return new TransitionOptions(archive, comment, user);
    }

    /**
     * A copy with this comment for the audit trail; null for none.
     *
     * @throws dev.runlog.tracking.InvalidInputException if the text holds an unpaired UTF-16 surrogate
     */
    public TransitionOptions comment(String text) {
        return new TransitionOptions(archiveExisting, InputRules.text("transition comment", text), user);
    }

    /**
     * A copy recording {@code name} as the acting user instead of the process's user; null for the
     * process's user.
     *
     * @throws dev.runlog.tracking.InvalidInputException if the name holds an unpaired UTF-16 surrogate
     */
    public TransitionOptions user(String name) {
        return new TransitionOptions(archiveExisting, comment, InputRules.text("transition user", name));
    }

    /**
     * Whether the other versions in the target stage move to {@link Stage#ARCHIVED}. Not named
     * {@code archiveExisting()} as the other accessors are named after their property: that name
     * is the static factory's.
     */
    public boolean archivesExisting() {
        return Boolean.TRUE.equals(archiveExisting);
    }

    /**
     * The choice {@link #archiveExisting(boolean)} made, empty when none was made: then a
     * transition archives nothing and a promotion archives the stage's holders.
     */
    public Optional<Boolean> archiveChoice() {
        return Optional.ofNullable(archiveExisting);
    }

    /** The comment the audit trail records; empty for none. */
    public Optional<String> comment() {
        return Optional.ofNullable(comment);
    }

    /** The acting user the audit trail records; empty for the process's user ({@code user.name}). */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    @Override
    public String toString() {
        return "TransitionOptions[archiveExisting=" + (archiveExisting == null ? "unset" : archiveExisting) + ", comment=" + comment + ", user=" + user + "]";
    }
}
