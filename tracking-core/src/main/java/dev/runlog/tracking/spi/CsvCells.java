package dev.runlog.tracking.spi;

/**
 * How {@link dev.runlog.tracking.Dataset#fromCsv} reads a CSV cell, published so that a
 * {@link DatasetProfiler}, which sees the cells as the file holds them, types them exactly alike:
 * {@code trim} first, then {@code isMissing}, then {@code number} (and {@code isLong}).
 *
 * <pre>{@code
 * String cell = CsvCells.trim(" 2.5 ");
 * double v = CsvCells.isMissing(cell) ? Double.NaN : CsvCells.number(cell);   // 2.5; NaN also for text
 * }</pre>
 */
public final class CsvCells {

    private CsvCells() {
    }

    /**
     * The cell without the spaces and tabs around it: typing ignores them for every type alike, so
     * {@code " 1"} is the long 1, {@code " true"} a boolean and {@code "  "} missing.
     */
    public static String trim(String cell) {
        InputRules.notNull("cell", cell);
        int start = 0;
        int end = cell.length();
        while (start < end && (cell.charAt(start) == ' ' || cell.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (cell.charAt(end - 1) == ' ' || cell.charAt(end - 1) == '\t')) {
            end--;
        }
        return cell.substring(start, end);
    }

    /**
     * Missing: a (trimmed) cell that is empty, {@code NA}, or NaN in any case with or without a sign
     * ({@code NaN}, {@code nan}, {@code -NaN}: pandas reads these as missing, Double.parseDouble
     * the signed ones as NaN), so that no cell counts as the value NaN.
     */
    public static boolean isMissing(String cell) {
        InputRules.notNull("cell", cell);
        if (cell.isEmpty() || cell.equals("NA")) {
            return true;
        }
        int sign = cell.charAt(0) == '+' || cell.charAt(0) == '-' ? 1 : 0;
        return cell.length() == sign + 3 && cell.regionMatches(true, sign, "nan", 0, 3);
    }

    /**
     * The value of a (trimmed) cell that is a decimal number, NaN for any other: an optional sign,
     * digits with an optional fraction ({@code 1.}, {@code .5}), an optional exponent, and the value
     * finite. Double.parseDouble alone would take Java's own syntax too ({@code 1d}, {@code 0x1p3},
     * {@code Infinity}) and {@code 1e400} as Infinity, which no profile statistic survives.
     */
    public static double number(String cell) {
        InputRules.notNull("cell", cell);
        int n = cell.length();
        int i = n > 0 && (cell.charAt(0) == '+' || cell.charAt(0) == '-') ? 1 : 0;
        int whole = digits(cell, i);
        i += whole;
        int fraction = 0;
        if (i < n && cell.charAt(i) == '.') {
            fraction = digits(cell, ++i);
            i += fraction;
        }
        if (whole + fraction == 0) {
            return Double.NaN;
        }
        if (i < n && (cell.charAt(i) == 'e' || cell.charAt(i) == 'E')) {
            i++;
            i += i < n && (cell.charAt(i) == '+' || cell.charAt(i) == '-') ? 1 : 0;
            int exponent = digits(cell, i);
            if (exponent == 0) {
                return Double.NaN;
            }
            i += exponent;
        }
        if (i != n) {
            return Double.NaN;
        }
        double v = Double.parseDouble(cell);
        return Double.isFinite(v) ? v : Double.NaN;
    }

    /**
     * Whether a (trimmed) cell that {@link #number} reads is a whole number that fits a long: digits
     * only, after an optional sign.
     */
    public static boolean isLong(String cell) {
        InputRules.notNull("cell", cell);
        if (cell.isEmpty()) {
            return false;
        }
        int sign = cell.charAt(0) == '+' || cell.charAt(0) == '-' ? 1 : 0;
        if (digits(cell, sign) != cell.length() - sign) {
            return false;
        }
        try {
            Long.parseLong(cell);
            return true;
        } catch (NumberFormatException e) {
            return false; // beyond a long: a double
        }
    }

    /** How many ASCII digits start at {@code from}; Character.isDigit would take other scripts' digits too. */
    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }
}
