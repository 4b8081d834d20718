package dev.runlog.tracking;

/**
 * A search filter or order-by clause that does not parse, or names something that cannot be
 * compared that way. The message says what was expected, at which 1-based column, what stood there
 * instead, and the filter; {@code metrics.acc 0.9} fails with
 * {@code expected a comparator after 'metrics.acc' at column 13, found '0.9' in "metrics.acc 0.9"}.
 */
public final class InvalidFilterException extends InvalidInputException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_QUOTED = 200;

    private final String filter;
    private final int column;

    public InvalidFilterException(String filter, int column, String problem) {
        this(filter, column, problem, null);
    }

    /** A problem at {@code column}; {@code found}, when not null, says what stood there instead. */
    public InvalidFilterException(String filter, int column, String problem, String found) {
        super(problem + " at column " + column + (found != null ? ", found " + found : "")
                + " in " + quote(filter, column));
        this.filter = filter;
        this.column = column;
    }

    /**
     * The filter in quotes; a long one only around the column, so that a hostile 100 KB filter does
     * not become a 100 KB message. {@link #filter()} keeps it whole.
     */
    private static String quote(String filter, int column) {
        if (filter == null || filter.length() <= MAX_QUOTED) {
            return "\"" + filter + "\"";
        }
        int from = Math.max(0, Math.min(column - 1 - MAX_QUOTED / 2, filter.length() - MAX_QUOTED));
        int to = from + MAX_QUOTED;
        return "\"" + (from > 0 ? "..." : "") + filter.substring(from, to) + (to < filter.length() ? "..." : "")
                + "\" (" + filter.length() + " characters; from column " + (from + 1) + ")";
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
