package dev.runlog.tracking;

import dev.runlog.tracking.internal.CsvDatasets;
import dev.runlog.tracking.spi.InputRules;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A versioned description of data a run used: what it is called, exactly which bytes it was (the
 * digest), where it came from, its columns, and a statistical profile of them. Log it with
 * {@link ActiveRun#logInput(Dataset, String)}; find the runs that used it with
 * {@link Tracker#runsUsing(String)}.
 *
 * <pre>{@code
 * Dataset iris = Dataset.fromCsv(Path.of("iris.csv"));
 * run.logInput(iris, "training");
 * iris.profile().columns().get("sepal_length").mean();
 * }</pre>
 *
 * <p>The profile is what later drift checks compare against, so it is complete: row count and, per
 * numeric column, count, missing, min, max, mean, sample standard deviation and a histogram.
 *
 * @param name    a human name, such as {@code "iris"}
 * @param digest  a content hash identifying exactly this data; for CSV files the SHA-256 of the
 *                whole file, 64 lowercase hex characters
 * @param source  where the data came from, as a URI ({@code file:/...}, {@code s3://...})
 * @param schema  the columns, in order
 * @param profile statistics of the columns
 */
public record Dataset(String name, String digest, String source, List<Column> schema, Profile profile) {
    public Dataset {
        InputRules.notNull("name", name);
        InputRules.notNull("digest", digest);
        if (digest.isEmpty() || digest.length() > 256 || digest.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("dataset digest '" + (digest.length() > 80 ? digest.substring(0, 77) + "..." : digest)
                    .replaceAll("\\p{Cntrl}", "?") + "' is not a content hash: 1 to 256 characters, none a control character");
        }
        InputRules.notNull("source", source);
        schema = List.copyOf(InputRules.notNull("schema", schema));
        InputRules.notNull("profile", profile);
    }

    /**
     * Reads a CSV file with a header row (RFC 4180 quoting; lines end in LF, CRLF or a lone CR, in
     * any mix, each kept as data inside quotes), infers each column's type
     * ({@code long}, {@code double}, {@code boolean} or {@code string}), profiles it, and hashes the
     * whole file. The name is the file name without its extension.
     *
     * <p>Cells are typed without the spaces and tabs around them, for every type alike. Missing are
     * empty cells, {@code NA}, and {@code NaN} in any case with or without a sign ({@code nan},
     * {@code -NaN}). A number is decimal: an optional sign, digits with an optional fraction
     * ({@code 1.}, {@code .5}), an optional exponent ({@code 1e-3}), and finite as a double. Any
     * other cell is text, and makes its column a {@code string} column without a profile: so do
     * Java's own number forms ({@code 1d}, {@code 0x1p3}), {@code Infinity} and {@code inf}, and a
     * value beyond a double ({@code 1e400}). A column is {@code long} when its numbers are whole and
     * fit a long, {@code boolean} when its values are {@code true} and {@code false} in any case.
     * {@link dev.runlog.tracking.spi.CsvCells} publishes these rules.
     *
     * @throws InvalidInputException if the file is not a well-formed CSV (the message names the line)
     * @throws StoreException        if the file cannot be read
     */
    public static Dataset fromCsv(Path file) {
        return CsvDatasets.read(InputRules.notNull("file", file), null);
    }

    /**
     * The name, digest, source and the size of the data; the profile is left out, since printed
     * whole it runs to kilobytes.
     */
    @Override
    public String toString() {
        return "Dataset[name=" + name + ", digest=" + digest + ", source=" + source + ", columns=" + schema.size()
                + ", rows=" + profile.rowCount() + "]";
    }

    /**
     * Hands each data row of a CSV file (the header row skipped) to {@code row}, as the text of its
     * cells in column order, read by the same parser as {@link #fromCsv(Path)}: for what needs the
     * rows themselves rather than the profile, such as a drift reference sketched from them.
     *
     * @throws InvalidInputException if the file does not exist or is not a well-formed CSV (the
     *                               message names the line)
     * @throws StoreException        if the file cannot be read
     */
    public static void forEachCsvRow(Path file, Consumer<List<String>> row) {
        CsvDatasets.forEachRow(InputRules.notNull("file", file), InputRules.notNull("row", row));
    }

    /** As {@link #fromCsv(Path)}, under the given name. */
    public static Dataset fromCsv(Path file, String name) {
        return CsvDatasets.read(InputRules.notNull("file", file), InputRules.notNull("name", name));
    }

    /**
     * A column of the data.
     *
     * @param name the header name
     * @param type {@code long}, {@code double}, {@code boolean} or {@code string}
     */
    public record Column(String name, String type) {
        public Column {
            InputRules.notNull("name", name);
            InputRules.notNull("type", type);
        }
    }

    /**
     * Statistics of the data.
     *
     * @param rowCount   the number of data rows; {@link #UNKNOWN_ROWS} (-1) when it is not known (a
     *                   dataset an MLflow client logged with a profile that gives no {@code num_rows})
     * @param columns    per numeric column, its statistics; columns of other types are absent
     * @param extensions what {@link dev.runlog.tracking.spi.DatasetProfiler} plugins added, by their
     *                   key: the monitoring module's drift reference (quantile sketches and category
     *                   frequencies) under {@code runlog.drift.reference}. Empty when no plugin was
     *                   present, and for profiles stored before extensions existed (the stores' JSON
     *                   reads an absent one as empty)
     */
    public record Profile(long rowCount, Map<String, ColumnProfile> columns, Map<String, String> extensions) {
        /** The row count of a profile that does not know it. */
        public static final long UNKNOWN_ROWS = -1;

        public Profile {
            if (rowCount < UNKNOWN_ROWS) {
                throw new InvalidInputException("a profile's row count is 0 or more, or -1 when unknown; got " + rowCount);
            }
            columns = Map.copyOf(InputRules.notNull("columns", columns));
            extensions = Map.copyOf(InputRules.notNull("extensions", extensions));
        }

        /** A profile without extensions. */
        public Profile(long rowCount, Map<String, ColumnProfile> columns) {
            this(rowCount, columns, Map.of());
        }
    }

    /**
     * Statistics of one numeric column, over its non-missing values.
     *
     * @param count     non-missing values
     * @param missing   missing values
     * @param min       smallest value (NaN when count is 0)
     * @param max       largest value (NaN when count is 0)
     * @param mean      arithmetic mean (NaN when count is 0)
     * @param std       sample standard deviation, n − 1 in the denominator as pandas computes it
     *                  (NaN when count is below 2). Finite whenever the true value is a finite
     *                  double; only values of both signs near the largest double (such as ±1.7e308)
     *                  have a larger one, and it is then {@code Infinity}. Min, max, mean and the
     *                  histogram edges of the finite values CSV datasets count are always finite
     * @param histogram counts in equal-width bins from min to max
     */
    public record ColumnProfile(long count, long missing, double min, double max, double mean, double std,
                                Histogram histogram) {
        public ColumnProfile {
            if (count < 0 || missing < 0) {
                throw new InvalidInputException("a column profile's counts are 0 or more; got count " + count
                        + " and missing " + missing);
            }
            InputRules.notNull("histogram", histogram);
        }
    }

    /**
     * Counts of values in consecutive bins: bin {@code i} holds values in
     * {@code [edges[i], edges[i+1])}, the last bin also its upper edge.
     *
     * @param edges  bin edges, one more than counts
     * @param counts values per bin
     */
    public record Histogram(List<Double> edges, List<Long> counts) {
        public Histogram {
            edges = List.copyOf(InputRules.notNull("edges", edges));
            counts = List.copyOf(InputRules.notNull("counts", counts));
            if (!counts.isEmpty() && edges.size() != counts.size() + 1) {
                throw new InvalidInputException("a histogram has one more edge than counts; got "
                        + edges.size() + " edges and " + counts.size() + " counts");
            }
        }
    }
}
