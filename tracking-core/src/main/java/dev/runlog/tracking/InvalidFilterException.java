package dev.runlog.tracking;

/**
 * A search filter or order-by clause that does not parse, or names something that cannot be
 * compared that way. The message says what was expected and where:
 * {@code expected a comparator after 'metrics.acc' at column 12}.
 */
public final class InvalidFilterException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final String filter;
    private final int column;

    public InvalidFilterException(String filter, int column, String problem) {
        this(filter, column, problem, null);
    }

    /** A problem at {@code column}; {@code found}, when not null, says what stood there instead. */
    public InvalidFilterException(String filter, int column, String problem, String found) {
        super(problem + " at column " + column + (found != null ? ", found " + found : "")
                + " in \"" + filter + "\"");
        this.filter = filter;
        this.column = column;
    }

    /** The text that failed. */
    public String filter() {
        return filter;
    }

    /** The 1-based column of the problem in {@link #filter()}. */
    public int column() {
        return column;
    }
}
