package dev.runlog.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;

/** How values read to people (humanized), to spreadsheets (CSV) and to scripts (JSON). */
final class Text {
    /**
     * Runlog's JSON: keys in the order written, NaN and infinities as strings, no pretty printing.
     * In a holder class because building a mapper loads some 400 classes (about a third of a table
     * command's start-up on a loaded machine), which commands printing tables or CSV never need.
     */
    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

        private Json() {
        }
    }
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private Text() {
    }

    static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** A moment for people: "12 s ago", "5 min ago", "3 h ago", "2 d ago", then the date. */
    static String ago(Instant time, Clock clock) {
        Duration age = Duration.between(time, clock.instant());
        if (age.isNegative()) {
            return date(time, clock);
        }
        long seconds = age.toSeconds();
        if (seconds < 60) {
            return seconds + " s ago";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h ago";
        }
        if (seconds < 7 * 86_400) {
            return seconds / 86_400 + " d ago";
        }
        return date(time, clock);
    }

    static String date(Instant time, Clock clock) {
        return DATE.format(LocalDateTime.ofInstant(time, clock.getZone()));
    }

    /** How long a run took: "850 ms", "12.3 s", "5m 02s", "2h 05m"; "-" if it has not ended. */
    static String duration(Instant start, Optional<Instant> end) {
        if (end.isEmpty()) {
            return "-";
        }
        long ms = Math.max(0, Duration.between(start, end.get()).toMillis());
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s / 60 % 60);
    }

    /** Bytes for people: "512 B", "1.2 KiB", "3.4 MiB". */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }

    /**
     * A metric value for people: the decimal Java prints for it ({@link Double#toString}) rounded to
     * six significant digits (half up), without trailing zeros or an exponent; below 1e-6 and from
     * 1e12 on, six digits with an exponent.
     */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        double magnitude = Math.abs(value);
        if (value != 0 && (magnitude >= 1e12 || magnitude < 1e-6)) {
            return String.format(Locale.ROOT, "%.5e", value);
        }
        return value == 0 ? "0" : (value < 0 ? "-" : "") + sixDigits(Double.toString(magnitude));
    }

    /**
     * Rounds the digits of a positive {@link Double#toString} ({@code 123.456}, {@code 1.0E-5}) as
     * text: what {@code BigDecimal.valueOf(v).round(new MathContext(6)).stripTrailingZeros()
     * .toPlainString()} gives, without BigDecimal, which took some 30 ms for a 1,000-point table in
     * a new JVM.
     */
    private static String sixDigits(String decimal) {
        int e = decimal.indexOf('E');
        String mantissa = e < 0 ? decimal : decimal.substring(0, e);
        int dot = mantissa.indexOf('.');
        StringBuilder digits = new StringBuilder(mantissa.length()).append(mantissa, 0, dot).append(mantissa, dot + 1, mantissa.length());
        // The value is 0.DIGITS x 10^point.
        int point = dot + (e < 0 ? 0 : Integer.parseInt(decimal.substring(e + 1)));
        while (digits.length() > 1 && digits.charAt(0) == '0') {
            digits.deleteCharAt(0);
            point--;
        }
        if (digits.length() > 6) {
            boolean up = digits.charAt(6) >= '5';
            digits.setLength(6);
            for (int i = 5; up && i >= 0; i--) {
                up = digits.charAt(i) == '9';
                digits.setCharAt(i, up ? '0' : (char) (digits.charAt(i) + 1));
            }
            if (up) { // 999999.5 became 000000: one more digit
                digits.insert(0, '1').setLength(6);
                point++;
            }
        }
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits.setLength(end);
        if (point <= 0) {
            return "0." + "0".repeat(-point) + digits;
        }
        if (point >= digits.length()) {
            return digits + "0".repeat(point - digits.length());
        }
        return digits.insert(point, '.').toString();
    }

    /**
     * {@code Instant.ofEpochMilli(millis).toString()}, written out for the years 0 to 9999: the
     * JDK's formatter was some 15 ms of a 1,000-point table in a new JVM. Other years go to it.
     */
    static String instant(long millis) {
        long seconds = Math.floorDiv(millis, 1000L);
        int fraction = (int) Math.floorMod(millis, 1000L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        long day = Math.floorDiv(seconds, 86_400L);
        // LocalDate.MIN's epoch day is far below the years kept here; only those are written out.
        if (day < -719_528L || day > 2_932_896L) { // 0000-01-01 and 9999-12-31
            return Instant.ofEpochMilli(millis).toString();
        }
        LocalDate date = LocalDate.ofEpochDay(day);
        StringBuilder text = new StringBuilder(24);
        pad(text, date.getYear(), 4).append('-');
        pad(text, date.getMonthValue(), 2).append('-');
        pad(text, date.getDayOfMonth(), 2).append('T');
        pad(text, secondOfDay / 3600, 2).append(':');
        pad(text, secondOfDay / 60 % 60, 2).append(':');
        pad(text, secondOfDay % 60, 2);
        if (fraction != 0) {
            pad(text.append('.'), fraction, 3);
        }
        return text.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder text, int value, int digits) {
        String number = Integer.toString(value);
        for (int i = number.length(); i < digits; i++) {
            text.append('0');
        }
        return text.append(number);
    }

    /** A metric value for machines: every bit, as Java writes doubles. */
    static String exact(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /**
     * Text for a terminal: control characters (C0, DEL, C1) and the bidirectional overrides that
     * reorder what follows are written as {@code \\uXXXX} ({@code \\n}, {@code \\r}, {@code \\t} for
     * those), so a stored name can neither move the cursor, clear the screen, retitle the window
     * nor fake a line of the table. JSON and CSV output keep the text as stored.
     */
    static String visible(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // U+2028 and U+2029 end a line in some terminals and editors, as U+0085 does.
            // And the invisible U+200B, U+2060 to U+2064, U+FEFF, the soft hyphen, U+034F and U+180E, which make
            // two names look alike and a column look aligned when it is not (not ZWJ and ZWNJ, which scripts
            // and emoji sequences need).
            boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
                    || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C
                    || c == 0x200B || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF || c == 0x00AD || c == 0x034F || c == 0x180E;
            if (control && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\t') {
                    out.append("\\t");
                } else {
                    out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
    static String csv(String field) {
        if (field == null) {
            return "";
        }
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    static String csvLine(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            line.append(i == 0 ? "" : ",").append(csv(fields.get(i)));
        }
        return line.toString();
    }

    /**
     * An aligned table: columns as wide as their widest cell, numbers right-aligned, and a colour
     * per cell (applied after padding, so escape codes never shift the columns).
     */
    static final class Table {
        /**
         * Whether a cell reads as a number ({@code -?[0-9][0-9.,eE+-]*}, {@code NaN},
         * {@code -?Infinity}). Not a regular expression: matching one per cell was some 15 ms of a
         * 1,000-point table in a new JVM, still interpreting.
         */
        static boolean isNumber(String cell) {
            if (cell.equals("NaN") || cell.equals("Infinity") || cell.equals("-Infinity")) {
                return true;
            }
            int start = cell.startsWith("-") ? 1 : 0;
            if (start >= cell.length() || cell.charAt(start) < '0' || cell.charAt(start) > '9') {
                return false;
            }
            for (int i = start + 1; i < cell.length(); i++) {
                char c = cell.charAt(i);
                if ((c < '0' || c > '9') && c != '.' && c != ',' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                    return false;
                }
            }
            return true;
        }

        private final List<String> headers;
        private final List<List<String>> rows = new ArrayList<>();
        private final boolean[] numeric;
        private final boolean[] anyNumber;
        private final int[] width;
        private Function<String, String> colorOf = cell -> null;
        private int coloredColumn = -1;

        Table(List<String> headers) {
            // Headers can be stored text too (diff's columns are run names), escaped as cells are.
            this.headers = headers.stream().map(Text::visible).toList();
            this.numeric = new boolean[headers.size()];
            this.anyNumber = new boolean[headers.size()];
            this.width = new int[headers.size()];
            java.util.Arrays.fill(numeric, true);
            for (int i = 0; i < width.length; i++) {
                width[i] = this.headers.get(i).length();
            }
        }

        Table(String... headers) {
            this(List.of(headers));
        }

        Table row(List<String> given) {
            rows.add(measure(given));
            return this;
        }

        /** The row's cells as shown, after counting them into the columns' widths and alignment. */
        private List<String> measure(List<String> given) {
            List<String> cells = new ArrayList<>(given.size());
            for (String cell : given) {
                cells.add(visible(cell));
            }
            for (int i = 0; i < cells.size(); i++) {
                String cell = cells.get(i);
                boolean number = isNumber(cell);
                anyNumber[i] |= number;
                numeric[i] &= number || cell.isEmpty() || cell.equals("-");
                width[i] = Math.max(width[i], cell.length());
            }
            return cells;
        }

        Table row(String... cells) {
            return row(List.of(cells));
        }

        /** Colours the cells of one column by their text: the function gives an ANSI code or null. */
        Table color(int column, Function<String, String> ansiCode) {
            this.coloredColumn = column;
            this.colorOf = ansiCode;
            return this;
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        void print(PrintWriter out, boolean color) {
            line(out, headers, false, color);
            for (List<String> row : rows) {
                line(out, row, true, color);
            }
        }

        /**
         * Prints {@code count} rows made by {@code row} as {@link #print} would, without holding
         * them: a first pass measures the columns, a second makes each row again and prints it. For
         * tables too long to keep (a metric's millions of points); {@code row} must give the same
         * cells both times.
         */
        void print(PrintWriter out, boolean color, int count, IntFunction<List<String>> row) {
            for (int i = 0; i < count; i++) {
                measure(row.apply(i));
            }
            line(out, headers, false, color);
            for (int i = 0; i < count; i++) {
                line(out, measure(row.apply(i)), true, color);
            }
        }

        private void line(PrintWriter out, List<String> cells, boolean body, boolean color) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                String cell = cells.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                boolean last = i == cells.size() - 1;
                String padded = body && numeric[i] && anyNumber[i] ? pad + cell : (last ? cell : cell + pad);
                String code = color && body && i == coloredColumn ? colorOf.apply(cell) : null;
                text.append(i == 0 ? "" : "  ").append(code == null ? padded : code + padded + "\033[0m");
            }
            out.println(text.toString().stripTrailing());
        }
    }
}
