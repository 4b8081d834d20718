package dev.runlog.tracking.spi;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidInputException;

/**
 * Reading back what a store wrote. A value Runlog never writes (a row changed by hand, or by
 * another program) is an {@link IntegrityException} naming it, rather than an
 * {@code IllegalArgumentException} from deep inside a read, so that {@code runlog doctor} and
 * every listing say what is wrong instead of failing with an internal error.
 *
 * <pre>{@code
 * RunStatus status = StoredValues.constant(RunStatus.class, rs.getString("status"), "a run status");
 * }</pre>
 */
public final class StoredValues {
    private StoredValues() {
    }

    /**
     * The constant of {@code type} named {@code name}.
     *
     * @param what what the value is, for the message ("a run status")
     * @throws IntegrityException    naming {@code what} and the value, if {@code type} has no such constant
     * @throws InvalidInputException if an argument is null (the columns read are NOT NULL)
     */
    public static <E extends Enum<E>> E constant(Class<E> type, String name, String what) {
        InputRules.notNull("type", type);
        InputRules.notNull("name", name);
        InputRules.notNull("what", what);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IntegrityException("The store holds " + what + " '" + name + "', which Runlog never writes (a row"
                    + " changed by other means); retrying will not help", e);
        }
    }
}
