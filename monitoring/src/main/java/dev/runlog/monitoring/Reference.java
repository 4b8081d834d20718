package dev.runlog.monitoring;

import dev.runlog.monitoring.internal.StepCdf;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.CsvCells;
import dev.runlog.tracking.spi.InputRules;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;

/**
 * What the data a model was trained on looked like, kept small enough to store beside the
 * dataset's profile: per numeric column a KLL quantile sketch (Apache DataSketches, mergeable,
 * a few kilobytes however many rows) with the count, mean and variance, and per categorical column
 * the frequency of each category. Drift is measured against it without the raw training rows.
 *
 * <pre>{@code
 * Reference reference = Reference.fromCsv(Path.of("train.csv"));   // or, row by row:
 * Reference.Builder builder = Reference.builder(dataset.schema());
 * rows.forEach(builder::addRow);                       // cells as the CSV holds them
 * DatasetDrift drift = reference.compare(currentNumeric, currentCategorical, DriftOptions.defaults());
 * String stored = reference.toBase64();                // Reference.fromBase64(stored) reads it back
 * }</pre>
 *
 * <p>Statistics computed from a sketch differ from the exact ones by at most about
 * {@link #rankError()} in rank (for the Kolmogorov–Smirnov statistic, directly; the other
 * statistics move accordingly). The Kolmogorov–Smirnov p-value against a reference is asymptotic
 * (Kolmogorov's limiting distribution with the effective size nm/(n+m)), since no exact
 * two-sample distribution applies to a sketch.
 */
public final class Reference {
    /** Columns of these types are numeric; any other is categorical. */
    private static final Set<String> NUMERIC_TYPES = Set.of("long", "double");
    /**
     * The key of the reference in {@link Dataset.Profile#extensions()}: with this module present,
     * {@link Dataset#fromCsv} profiles every dataset into a reference stored under it.
     */
    public static final String PROFILE_KEY = "runlog.drift.reference";
    private static final int MAGIC = 0x524c5246; // "RLRF"
    private static final int FORMAT = 1;

    private final Map<String, NumericColumn> numeric;
    private final Map<String, CategoricalColumn> categorical;

    private Reference(Map<String, NumericColumn> numeric, Map<String, CategoricalColumn> categorical) {
        this.numeric = numeric;
        this.categorical = categorical;
    }

    /**
     * A builder for rows of a dataset with this schema: {@code long} and {@code double} columns
     * are sketched, the others counted by category. Sketches use DataSketches' default accuracy
     * (k = 200, a normalised rank error of about 1.3%).
     */
    public static Builder builder(List<Dataset.Column> schema) {
        return new Builder(InputRules.notNull("schema", schema), KllSketch.DEFAULT_K);
    }

    /**
     * The reference of a CSV file, typed as {@link Dataset#fromCsv(Path)} types it and read row by
     * row with the same parser, so the rows never need to be held in memory.
     *
     * @throws InvalidInputException if the file does not exist or is not a well-formed CSV
     * @throws dev.runlog.tracking.StoreException if the file cannot be read
     */
    public static Reference fromCsv(Path file) {
        Dataset dataset = Dataset.fromCsv(InputRules.notNull("file", file));
        // With this module present, reading the dataset sketched it already (ReferenceProfiler).
        return fromProfile(dataset.profile()).orElseGet(() -> {
            Builder builder = builder(dataset.schema());
            Dataset.forEachCsvRow(file, builder::addRow);
            return builder.build();
        });
    }

    /**
     * The reference stored in a dataset's profile, if it has one: profiles written while this module
     * was on the class or module path do; older ones, and those written without it, do not, and
     * cannot be compared with.
     *
     * @throws InvalidInputException if the profile holds a reference that cannot be read
     */
    public static java.util.Optional<Reference> fromProfile(Dataset.Profile profile) {
        String stored = InputRules.notNull("profile", profile).extensions().get(PROFILE_KEY);
        return stored == null ? java.util.Optional.empty() : java.util.Optional.of(fromBase64(stored));
    }

    /**
     * A reference of columns held in memory: numeric columns (NaN for missing) and categorical ones
     * (null for missing). The columns keep the order of a {@link LinkedHashMap} or a sorted map;
     * those of any other map ({@code Map.of}, {@code HashMap}) are taken by name, since such a map's
     * order can change from one JVM to the next, and {@code record(double[], ...)} takes the
     * features in this order.
     *
     * @throws InvalidInputException if a numeric column holds an infinity
     */
    public static Reference of(Map<String, double[]> numericColumns, Map<String, List<String>> categoricalColumns) {
        InputRules.notNull("numericColumns", numericColumns);
        InputRules.notNull("categoricalColumns", categoricalColumns);
        Map<String, NumericColumn> numeric = new LinkedHashMap<>();
        inStableOrder(numericColumns).forEach((name, values) -> {
            NumericColumn column = new NumericColumn(KllDoublesSketch.newHeapInstance(KllSketch.DEFAULT_K));
            for (double v : InputRules.notNull("numeric column " + name, values)) {
                if (Double.isInfinite(v)) {
                    // As record refuses one: an infinity makes every distance to this column infinite
                    // or NaN, and a window could never be judged against it.
                    throw new InvalidInputException("numeric column '" + name + "' holds " + v
                            + "; a reference holds finite numbers, and NaN for a missing value");
                }
                column.add(v);
            }
            numeric.put(name, column);
        });
        Map<String, CategoricalColumn> categorical = new LinkedHashMap<>();
        inStableOrder(categoricalColumns).forEach((name, values) -> {
            CategoricalColumn column = new CategoricalColumn();
            InputRules.notNull("categorical column " + name, values).forEach(column::add);
            categorical.put(name, column);
        });
        return new Reference(numeric, categorical);
    }

    private static <V> Map<String, V> inStableOrder(Map<String, V> columns) {
        for (String name : columns.keySet()) {
            if (name == null) {
                throw new InvalidInputException("a column name must not be null");
            }
        }
        return columns instanceof LinkedHashMap || columns instanceof java.util.SortedMap ? columns
                : new java.util.TreeMap<>(columns);
    }

    /** Collects rows one at a time; not thread-safe. */
    public static final class Builder {
        private final List<Dataset.Column> schema;
        private final List<Object> columns = new ArrayList<>();

        private Builder(List<Dataset.Column> schema, int k) {
            this.schema = List.copyOf(schema);
            for (Dataset.Column column : this.schema) {
                columns.add(NUMERIC_TYPES.contains(column.type())
                        ? new NumericColumn(KllDoublesSketch.newHeapInstance(k)) : new CategoricalColumn());
            }
        }

        /**
         * Adds a row given as its cells' text, in schema order, typed as {@link Dataset#fromCsv}
         * types them ({@link CsvCells}): missing are null, empty or blank cells, {@code NA}, and
         * {@code NaN} in any case and sign; a number is decimal and finite, spaces around it
         * ignored. A category is the cell as given.
         *
         * @throws InvalidInputException if the row has not one cell per column, or a numeric cell is
         *                               not a number
         */
        public Builder addRow(List<String> cells) {
            InputRules.notNull("cells", cells);
            if (cells.size() != schema.size()) {
                throw new InvalidInputException("a row of " + cells.size() + " cells where the schema has "
                        + schema.size() + " columns");
            }
            for (int i = 0; i < cells.size(); i++) {
                String cell = cells.get(i);
                // The dataset's own rules, so that every row Dataset.fromCsv profiles is sketched too.
                boolean missing = cell == null || CsvCells.isMissing(CsvCells.trim(cell));
                if (columns.get(i) instanceof NumericColumn column) {
                    column.add(missing ? Double.NaN : number(schema.get(i), CsvCells.trim(cell)));
                } else {
                    ((CategoricalColumn) columns.get(i)).add(missing ? null : cell);
                }
            }
            return this;
        }

        private static double number(Dataset.Column column, String cell) {
            double v = CsvCells.number(cell);
            if (Double.isNaN(v)) {
                throw new InvalidInputException("column '" + column.name() + "' is " + column.type()
                        + " but holds '" + cell + "'");
            }
            return v;
        }

        /** The reference of the rows added so far. */
        public Reference build() {
            Map<String, NumericColumn> numeric = new LinkedHashMap<>();
            Map<String, CategoricalColumn> categorical = new LinkedHashMap<>();
            for (int i = 0; i < schema.size(); i++) {
                if (columns.get(i) instanceof NumericColumn column) {
                    numeric.put(schema.get(i).name(), column.copy());
                } else {
                    categorical.put(schema.get(i).name(), ((CategoricalColumn) columns.get(i)).copy());
                }
            }
            return new Reference(numeric, categorical);
        }
    }

    /** The numeric columns, in schema order. */
    public Set<String> numericColumns() {
        return java.util.Collections.unmodifiableSet(numeric.keySet());
    }

    /** Whether {@code column} is a numeric column: a look-up, for the serving thread's checks. */
    boolean isNumeric(String column) {
        return numeric.containsKey(column);
    }

    /** The categorical columns, in schema order. */
    public Set<String> categoricalColumns() {
        return java.util.Collections.unmodifiableSet(categorical.keySet());
    }

    /** The non-missing values of a numeric column. */
    public long count(String column) {
        return numeric(column).sketch.getN();
    }

    /** The frequency of each category of a categorical column, missing values left out. */
    public Map<String, Long> frequencies(String column) {
        InputRules.notNull("column", column);
        CategoricalColumn c = categorical.get(column);
        if (c == null) {
            throw new InvalidInputException("the reference has no categorical column '" + column + "'");
        }
        return java.util.Collections.unmodifiableMap(c.counts);
    }

    /**
     * The largest normalised rank error of this reference's sketches, as DataSketches documents it
     * for single rank queries (at 99% confidence); 0 when every numeric column is held exactly
     * (fewer values than the sketch retains).
     */
    public double rankError() {
        double error = 0;
        for (NumericColumn column : numeric.values()) {
            if (column.sketch.isEstimationMode()) {
                error = Math.max(error, column.sketch.getNormalizedRankError(false));
            }
        }
        return error;
    }

    /**
     * The two-sample Kolmogorov–Smirnov test of current values of a numeric column against the
     * reference's sketch: the statistic within {@link #rankError()} of the exact one, and an
     * asymptotic p-value.
     *
     * @throws InvalidInputException if the column is not a numeric column of the reference, or the
     *                               current sample is empty or holds NaN
     */
    public DriftTests.Result kolmogorovSmirnov(String column, double[] current) {
        NumericColumn reference = numeric(column);
        DriftTests.sample("current", current);
        return kolmogorovSmirnov(reference, StepCdf.ofSample(current));
    }

    private static DriftTests.Result kolmogorovSmirnov(NumericColumn reference, StepCdf current) {
        if (!reference.sketch.isEstimationMode()) {
            // The sketch still holds every training value (a small reference): the exact two-sample
            // test on both samples, the p-value DriftTests and scipy give, not the asymptotic one.
            return DriftTests.kolmogorovSmirnov(reference.cdf().sample(), current.sample());
        }
        double d = StepCdf.kolmogorovSmirnov(reference.cdf(), current);
        return new DriftTests.Result(d, KolmogorovDistribution.twoSampleAsymptotic(d, reference.sketch.getN(), current.count()));
    }

    /**
     * Compares a window of current data against the reference, feature by feature, with the methods
     * and thresholds of the options. Features present in both are compared; missing values (NaN,
     * null) are left out, and a feature with no current values left, or none in the reference, is
     * not compared.
     *
     * @param numericColumns     current values of numeric features
     * @param categoricalColumns current values of categorical features
     * @throws InvalidInputException if a feature is given as numeric but is categorical in the
     *                               reference, or the other way round
     */
    public DatasetDrift compare(Map<String, double[]> numericColumns, Map<String, List<String>> categoricalColumns,
                                DriftOptions options) {
        InputRules.notNull("numericColumns", numericColumns);
        InputRules.notNull("categoricalColumns", categoricalColumns);
        InputRules.notNull("options", options);
        Map<String, StepCdf> currents = new LinkedHashMap<>();
        numericColumns.forEach((name, values) -> {
            if (categorical.containsKey(name)) {
                throw new InvalidInputException("feature '" + name + "' is categorical in the reference, not numeric");
            }
            if (values != null) {
                currents.put(name, presentCdf(values));
            }
        });
        return compareDistributions(currents, categoricalColumns, options);
    }

    /** The exact distribution of the values that are not NaN, sorted once for every statistic. */
    static StepCdf presentCdf(double[] values) {
        double[] present = new double[values.length];
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                present[n++] = v;
            }
        }
        double[] sorted = java.util.Arrays.copyOf(present, n);
        java.util.Arrays.sort(sorted);
        return StepCdf.ofSorted(sorted);
    }

    /** {@link #compare(Map, Map, DriftOptions)} of numeric features already turned into distributions. */
    DatasetDrift compareDistributions(Map<String, StepCdf> numericColumns, Map<String, List<String>> categoricalColumns,
                                      DriftOptions options) {
        for (String name : categoricalColumns.keySet()) {
            if (numeric.containsKey(name)) {
                throw new InvalidInputException("feature '" + name + "' is numeric in the reference, not categorical");
            }
        }
        List<FeatureDrift> features = new ArrayList<>();
        numeric.forEach((name, reference) -> {
            StepCdf current = numericColumns.get(name);
            if (current != null && current.count() > 0 && reference.sketch.getN() > 0) {
                features.add(numericDrift(name, reference, current, options));
            }
        });
        categorical.forEach((name, reference) -> {
            List<String> values = categoricalColumns.get(name);
            if (values != null) {
                CategoricalColumn current = new CategoricalColumn();
                values.forEach(current::add);
                if (!current.counts.isEmpty() && !reference.counts.isEmpty()) {
                    features.add(categoricalDrift(name, reference, current, values.size(), options));
                }
            }
        });
        long drifted = features.stream().filter(FeatureDrift::drifted).count();
        return new DatasetDrift(features, !features.isEmpty() && drifted >= options.driftShare() * features.size());
    }

    private FeatureDrift numericDrift(String name, NumericColumn reference, StepCdf cur, DriftOptions options) {
        DriftMethod method = options.numericMethodFor(reference.sketch.getN(), cur.count());
        double threshold = options.threshold(method);
        return switch (method) {
            case KOLMOGOROV_SMIRNOV -> {
                DriftTests.Result ks = kolmogorovSmirnov(reference, cur);
                yield new FeatureDrift(name, method, ks.statistic(), ks.pValue(), threshold, ks.pValue() < threshold);
            }
            case WASSERSTEIN -> distance(name, method,
                    DriftTests.normalisedWasserstein(reference.cdf(), cur, reference.populationStd()), threshold);
            case POPULATION_STABILITY_INDEX -> {
                double[] edges = reference.quantileEdges(options.bins());
                yield distance(name, method, DriftTests.psi(reference.cdf().binFractions(edges), cur.binFractions(edges),
                        DriftTests.PSI_EMPTY_BIN_FRACTION), threshold);
            }
            case JENSEN_SHANNON -> {
                double[] edges = reference.quantileEdges(options.bins());
                yield distance(name, method, DriftTests.jensenShannon(reference.cdf().binFractions(edges),
                        cur.binFractions(edges)), threshold);
            }
            case CHI_SQUARED -> throw new IllegalStateException("DriftOptions refuses chi-squared for numbers");
        };
    }

    private static FeatureDrift categoricalDrift(String name, CategoricalColumn reference, CategoricalColumn current,
                                                 int rows, DriftOptions options) {
        long referenceValues = reference.counts.values().stream().mapToLong(Long::longValue).sum();
        DriftMethod method = options.categoricalMethodFor(referenceValues, rows);
        double threshold = options.threshold(method);
        if (method == DriftMethod.CHI_SQUARED) {
            DriftTests.Result chi = DriftTests.chiSquared(reference.counts, current.counts);
            return new FeatureDrift(name, method, chi.statistic(), chi.pValue(), threshold, chi.pValue() < threshold);
        }
        return distance(name, method, DriftTests.jensenShannon(reference.counts, current.counts), threshold);
    }

    private static FeatureDrift distance(String name, DriftMethod method, double distance, double threshold) {
        return new FeatureDrift(name, method, distance, Double.NaN, threshold, distance >= threshold);
    }

    /**
     * The reference's and the current sample's fractions in the reference's quantile bins of a
     * numeric column (outer bins open-ended), for reports: edges, reference, current.
     */
    double[][] histogram(String column, StepCdf current, int bins) {
        NumericColumn reference = numeric(column);
        double[] edges = reference.quantileEdges(bins);
        return new double[][] {edges, reference.cdf().binFractions(edges),
                current.count() == 0 ? new double[bins] : current.binFractions(edges)};
    }

    private NumericColumn numeric(String column) {
        InputRules.notNull("column", column);
        NumericColumn c = numeric.get(column);
        if (c == null) {
            throw new InvalidInputException("the reference has no numeric column '" + column + "'");
        }
        return c;
    }

    /** The reference as bytes, for {@link #fromBytes}; the sketches in DataSketches' own format. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(numeric.size());
            for (Map.Entry<String, NumericColumn> e : numeric.entrySet()) {
                writeString(out, e.getKey());
                NumericColumn c = e.getValue();
                out.writeLong(c.missing);
                out.writeDouble(c.mean);
                out.writeDouble(c.m2);
                byte[] sketch = c.sketch.toByteArray();
                out.writeInt(sketch.length);
                out.write(sketch);
            }
            out.writeInt(categorical.size());
            for (Map.Entry<String, CategoricalColumn> e : categorical.entrySet()) {
                writeString(out, e.getKey());
                out.writeLong(e.getValue().missing);
                out.writeInt(e.getValue().counts.size());
                for (Map.Entry<String, Long> category : e.getValue().counts.entrySet()) {
                    writeString(out, category.getKey());
                    out.writeLong(category.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** {@link #toBytes()} in base64, for JSON. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(toBytes());
    }

    /**
     * The reference {@link #toBytes()} wrote.
     *
     * @throws InvalidInputException if the bytes are not a reference of a format this version reads
     */
    public static Reference fromBytes(byte[] bytes) {
        InputRules.notNull("bytes", bytes);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new InvalidInputException("these bytes are not a Runlog drift reference");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new InvalidInputException("drift reference format " + format + " is not readable here; "
                        + "this version reads format " + FORMAT);
            }
            Map<String, NumericColumn> numeric = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                String name = readString(in);
                long missing = in.readLong();
                double mean = in.readDouble();
                double m2 = in.readDouble();
                KllDoublesSketch sketch = KllDoublesSketch.heapify(Memory.wrap(in.readNBytes(length(in))));
                if (!sketch.isEmpty() && !(Double.isFinite(sketch.getMinItem()) && Double.isFinite(sketch.getMaxItem()))) {
                    throw new InvalidInputException("a damaged drift reference: numeric column '" + name
                            + "' holds a value that is not finite");
                }
                numeric.put(name, new NumericColumn(sketch, missing, mean, m2));
            }
            Map<String, CategoricalColumn> categorical = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                String name = readString(in);
                CategoricalColumn column = new CategoricalColumn();
                column.missing = in.readLong();
                for (int j = in.readInt(); j > 0; j--) {
                    column.counts.merge(category(readString(in)), in.readLong(), Long::sum);
                }
                categorical.put(name, column);
            }
            if (in.read() != -1) {
                throw new InvalidInputException("a drift reference followed by stray bytes");
            }
            return new Reference(numeric, categorical);
        } catch (IOException | SketchesException | IndexOutOfBoundsException e) {
            throw new InvalidInputException("a damaged drift reference: " + e.getMessage());
        }
    }

    /**
     * The reference {@link #toBase64()} wrote.
     *
     * @throws InvalidInputException if the text is not base64 of a reference
     */
    public static Reference fromBase64(String text) {
        InputRules.notNull("text", text);
        try {
            return fromBytes(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("a drift reference is not valid base64: " + e.getMessage());
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(in.readNBytes(length(in)), StandardCharsets.UTF_8);
    }

    private static int length(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a length of " + length + " where " + in.available() + " bytes are left");
        }
        return length;
    }

    /** A numeric column: its sketch, and mean and variance kept exactly (Welford's method). */
    private static final class NumericColumn {
        final KllDoublesSketch sketch;
        /** Immutable once made, so a race makes it twice at worst. */
        private StepCdf cdf;
        long missing;
        double mean;
        double m2;

        NumericColumn(KllDoublesSketch sketch) {
            this.sketch = sketch;
        }

        NumericColumn(KllDoublesSketch sketch, long missing, double mean, double m2) {
            this.sketch = sketch;
            this.missing = missing;
            this.mean = mean;
            this.m2 = m2;
        }

        void add(double v) {
            if (Double.isNaN(v)) {
                missing++;
                return;
            }
            sketch.update(v);
            double delta = v - mean;
            mean += delta / sketch.getN();
            m2 += delta * (v - mean);
        }

        NumericColumn copy() {
            return new NumericColumn(KllDoublesSketch.heapify(Memory.wrap(sketch.toByteArray())), missing, mean, m2);
        }

        /** The sketch's distribution, made once: a reference's columns no longer change (a builder's are copied). */
        StepCdf cdf() {
            StepCdf made = cdf;
            if (made == null) {
                made = StepCdf.ofSketch(sketch);
                cdf = made;
            }
            return made;
        }

        /** Exact from Welford's sums; from the sketch's distribution when those overflowed (values beyond about 1e154). */
        double populationStd() {
            double std = Math.sqrt(m2 / sketch.getN());
            return Double.isFinite(std) ? std : cdf().populationStd();
        }

        /** The sketch's quantiles at 0, 1/bins, ..., 1: the reference's quantile bins. */
        double[] quantileEdges(int bins) {
            double[] ranks = new double[bins + 1];
            for (int i = 0; i <= bins; i++) {
                ranks[i] = (double) i / bins;
            }
            return sketch.getQuantiles(ranks);
        }
    }

    /**
     * A category as compared: {@code true} and {@code false} in any case as lower case, since a
     * boolean column's CSV says {@code True} (as pandas writes it) where a served row holds a Java
     * {@code Boolean}, whose text is {@code true}; every other text as it is.
     */
    static String category(String text) {
        if (text.equalsIgnoreCase("true")) {
            return "true";
        }
        return text.equalsIgnoreCase("false") ? "false" : text;
    }

    /** A categorical column: each category's count, in first-seen order. */
    private static final class CategoricalColumn {
        final Map<String, Long> counts = new LinkedHashMap<>();
        long missing;

        void add(String value) {
            if (value == null) {
                missing++;
            } else {
                counts.merge(category(value), 1L, Long::sum);
            }
        }

        CategoricalColumn copy() {
            CategoricalColumn copy = new CategoricalColumn();
            copy.counts.putAll(counts);
            copy.missing = missing;
            return copy;
        }
    }
}
