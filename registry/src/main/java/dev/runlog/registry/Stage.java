package dev.runlog.registry;

import dev.runlog.tracking.InvalidInputException;
import java.util.Locale;

/**
 * The lifecycle stage of a model version, as in MLflow: every version starts in {@link #NONE};
 * serving code usually loads the version in {@link #PRODUCTION}.
 *
 * <p>{@link #toString()} gives the display name used in {@code models:/} URIs and in the audit
 * trail ({@code "Production"}); {@link #parse} reads it back in any letter case.
 */
public enum Stage {
    NONE("None"),
    STAGING("Staging"),
    PRODUCTION("Production"),
    ARCHIVED("Archived");

    private final String displayName;

    Stage(String displayName) {
        this.displayName = displayName;
    }

    /** The stage named {@code name}, in any letter case: {@code "production"}, {@code "Staging"}. */
    public static Stage parse(String name) {
        if (name != null) {
            for (Stage stage : values()) {
                if (stage.displayName.equalsIgnoreCase(name)) {
                    return stage;
                }
            }
        }
        throw new InvalidInputException("unknown stage '" + name + "'; stages are None, Staging, Production and Archived");
    }

    /** Whether {@code name} names a stage, in any letter case. */
    static boolean isStageName(String name) {
        for (Stage stage : values()) {
            if (stage.displayName.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return displayName;
    }

    /** The stage's name in lowercase, for messages that run in a sentence. */
    String lowerName() {
        return displayName.toLowerCase(Locale.ROOT);
    }
}
