package dev.runlog.tracking.internal;

import static dev.runlog.tracking.spi.CsvCells.isLong;
import static dev.runlog.tracking.spi.CsvCells.isMissing;
import static dev.runlog.tracking.spi.CsvCells.number;
import static dev.runlog.tracking.spi.CsvCells.trim;

import dev.runlog.tracking.spi.Sha256;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Dataset#fromCsv}: two streaming passes over the file, so memory stays bounded however
 * large it is. The first hashes every byte, infers column types and accumulates count, missing,
 * min, max, mean and variance (Welford's method, stable in one pass); the second, for numeric
 * columns only, fills the histograms, whose bin edges need the min and max of the first, and hands
 * every row to the {@link dev.runlog.tracking.spi.DatasetProfiler} plugins.
 */
public final class CsvDatasets {
    static final int HISTOGRAM_BINS = 10;

    private CsvDatasets() {
    }

    public static Dataset read(Path file, String name) {
        String datasetName = name != null ? name : baseName(file);
        try {
            Pass1 first = new Pass1();
            String digest;
            try (InputStream raw = Files.newInputStream(file);
                 DigestInputStream hashing = Sha256.hashing(raw)) {
                forEachRecord(file, hashing, first);
                // Hash to the very end, even bytes after the last record, so the digest is the file's.
                hashing.transferTo(java.io.OutputStream.nullOutputStream());
                digest = Sha256.hex(hashing);
            }
            if (first.header == null) {
                throw new InvalidInputException("CSV file " + file + " is empty; it needs at least a header row");
            }
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (int i = 0; i < first.header.size(); i++) {
                Integer before = seen.putIfAbsent(first.header.get(i), i);
                if (before != null) {
                    throw new InvalidInputException("CSV file " + file + ", line " + first.headerLine
                            + ": names two columns '" + first.header.get(i)
                            + "' (columns " + (before + 1) + " and " + (i + 1) + "); a profile needs each name once");
                }
            }
            long[][] histograms = new long[first.header.size()][];
            for (int i = 0; i < first.header.size(); i++) {
                if (first.columns.get(i).isNumeric() && first.columns.get(i).count > 0) {
                    histograms[i] = new long[HISTOGRAM_BINS];
                }
            }
            List<Dataset.Column> schema = new ArrayList<>();
            for (int i = 0; i < first.header.size(); i++) {
                schema.add(new Dataset.Column(first.header.get(i), first.columns.get(i).type()));
            }
            DatasetProfilers.Run extensions = DatasetProfilers.start(schema);
            try (InputStream raw = Files.newInputStream(file)) {
                boolean[] header = {true};
                forEachRecord(file, raw, (line, fields) -> {
                    if (header[0]) {
                        header[0] = false;
                        return;
                    }
                    extensions.addRow(fields);
                    for (int i = 0; i < fields.size(); i++) {
                        // In a numeric column every cell is missing or a finite number (the first pass saw to it).
                        double v = histograms[i] != null ? number(trim(fields.get(i))) : Double.NaN;
                        if (!Double.isNaN(v)) {
                            ColumnStats c = first.columns.get(i);
                            histograms[i][c.bin(v)]++;
                            c.addScaled(v);
                        }
                    }
                });
            }
            Map<String, Dataset.ColumnProfile> profiles = new LinkedHashMap<>();
            for (int i = 0; i < first.header.size(); i++) {
                ColumnStats c = first.columns.get(i);
                if (c.isNumeric()) {
                    profiles.put(first.header.get(i), c.profile(histograms[i]));
                }
            }
            return new Dataset(datasetName, digest, file.toAbsolutePath().normalize().toUri().toString(), schema,
                    new Dataset.Profile(first.rows, profiles, extensions.finish()));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("CSV file " + file + " does not exist");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** A path that is a directory is the caller's mistake, not a store failure to retry. */
    private static RuntimeException unreadable(Path file, IOException e) {
        if (Files.isDirectory(file)) {
            return new InvalidInputException("CSV file " + file + " is a directory; give the CSV file itself");
        }
        return new StoreException("Cannot read CSV file " + file + ": " + e.getMessage(), e);
    }

    /** {@link Dataset#forEachCsvRow}: the data rows, header skipped, each as a list of its own. */
    public static void forEachRow(Path file, java.util.function.Consumer<List<String>> row) {
        try (InputStream raw = Files.newInputStream(file)) {
            boolean[] header = {true};
            forEachRecord(file, raw, (line, fields) -> {
                if (header[0]) {
                    header[0] = false;
                } else {
                    row.accept(List.copyOf(fields));
                }
            });
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("CSV file " + file + " does not exist");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static String baseName(Path file) {
        String fileName = file.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private interface RecordHandler {
        void record(long line, List<String> fields);
    }

    /** The first pass: header, then per-column statistics of every data row. */
    private static final class Pass1 implements RecordHandler {
        List<String> header;
        long headerLine;
        final List<ColumnStats> columns = new ArrayList<>();
        long rows;

        @Override
        public void record(long line, List<String> fields) {
            if (header == null) {
                header = List.copyOf(fields);
                headerLine = line;
                for (int i = 0; i < fields.size(); i++) {
                    columns.add(new ColumnStats());
                }
                return;
            }
            rows++;
            for (int i = 0; i < fields.size(); i++) {
                columns.get(i).add(fields.get(i));
            }
        }
    }

    /** A column's inferred type and running statistics. */
    static final class ColumnStats {
        private boolean couldBeLong = true;
        private boolean couldBeDouble = true;
        private boolean couldBeBoolean = true;
        private boolean sawValue;
        long count;
        long missing;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        private double mean;
        private double m2;
        /**
         * Finite values near Double.MAX_VALUE of both signs overflow Welford's sums; the second pass
         * then sums them again divided by the largest magnitude, which it knows by then.
         */
        private double scale = Double.NaN;
        private double scaledMean;
        private double scaledM2;
        private long scaledCount;

        void add(String raw) {
            String cell = trim(raw);
            if (isMissing(cell)) {
                missing++;
                return;
            }
            sawValue = true;
            if (couldBeBoolean && !(cell.equalsIgnoreCase("true") || cell.equalsIgnoreCase("false"))) {
                couldBeBoolean = false;
            }
            if (!couldBeDouble) {
                return;
            }
            double v = number(cell);
            if (Double.isNaN(v)) {
                couldBeDouble = false;
                couldBeLong = false;
                return;
            }
            if (couldBeLong && !isLong(cell)) {
                couldBeLong = false;
            }
            count++;
            min = Math.min(min, v);
            max = Math.max(max, v);
            double delta = v - mean;
            mean += delta / count;
            m2 += delta * (v - mean);
        }

        void addScaled(double v) {
            if (Double.isNaN(scale)) {
                boolean overflowed = !Double.isFinite(mean) || !Double.isFinite(m2);
                scale = overflowed && Double.isFinite(min) && Double.isFinite(max) ? Math.max(Math.abs(min), Math.abs(max)) : 0;
            }
            if (scale > 0) {
                double x = v / scale;
                scaledCount++;
                double delta = x - scaledMean;
                scaledMean += delta / scaledCount;
                scaledM2 += delta * (x - scaledMean);
            }
        }

        boolean isNumeric() {
            return sawValue && couldBeDouble && !couldBeBoolean;
        }

        String type() {
            if (!sawValue) {
                return "string";
            }
            if (couldBeBoolean) {
                return "boolean";
            }
            if (couldBeLong) {
                return "long";
            }
            return couldBeDouble ? "double" : "string";
        }

        /** Bin i holds [edge(i), edge(i+1)), the last bin also its upper edge, as numpy.histogram. */
        int bin(double v) {
            if (max == min) {
                return 0;
            }
            double range = max - min;
            double at = Double.isInfinite(range) ? (v / HISTOGRAM_BINS - min / HISTOGRAM_BINS) / (max / HISTOGRAM_BINS - min / HISTOGRAM_BINS)
                    : (v - min) / range;
            int bin = Math.min(Math.max((int) (at * HISTOGRAM_BINS), 0), HISTOGRAM_BINS - 1);
            // The division can land one bin off near an edge; settle it against the edges published.
            while (bin < HISTOGRAM_BINS - 1 && v >= edge(bin + 1)) {
                bin++;
            }
            while (bin > 0 && v < edge(bin)) {
                bin--;
            }
            return bin;
        }

        double edge(int i) {
            if (i == 0 || i == HISTOGRAM_BINS) {
                return i == 0 ? min : max;
            }
            double range = max - min;
            // A range past Double.MAX_VALUE spans zero (min < 0 < max): the weighted sum of its ends
            // has terms of opposite signs, each finite.
            return Double.isInfinite(range)
                    ? min / HISTOGRAM_BINS * (HISTOGRAM_BINS - i) + max / HISTOGRAM_BINS * i
                    : min + range * i / HISTOGRAM_BINS;
        }

        Dataset.ColumnProfile profile(long[] histogram) {
            if (count == 0) {
                return new Dataset.ColumnProfile(0, missing, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        new Dataset.Histogram(List.of(), List.of()));
            }
            List<Double> edges = new ArrayList<>();
            for (int i = 0; i <= HISTOGRAM_BINS; i++) {
                edges.add(edge(i));
            }
            List<Long> counts = new ArrayList<>();
            for (long c : histogram) {
                counts.add(c);
            }
            double std = count > 1 ? Math.sqrt(m2 / (count - 1)) : Double.NaN;
            double average = mean;
            if (scale > 0) {
                average = scaledMean * scale;
                std = count > 1 ? Math.sqrt(scaledM2 / (count - 1)) * scale : Double.NaN;
            }
            return new Dataset.ColumnProfile(count, missing, min, max, average, std, new Dataset.Histogram(edges, counts));
        }
    }

    /**
     * Reads RFC 4180 records: comma-separated fields, double quotes around fields holding commas,
     * quotes or line breaks, a doubled quote for a quote, LF, CRLF or lone CR line ends (any mix;
     * inside quotes each is kept as data). Every record must
     * have as many fields as the header; blank lines are skipped.
     */
    private static void forEachRecord(Path file, InputStream in, RecordHandler handler) throws IOException {
        Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean inQuotes = false;
        boolean afterQuote = false;
        boolean recordStarted = false;
        long line = 1;
        long recordLine = 1;
        int expected = -1;
        int c = reader.read();
        if (c == '\uFEFF') {
            c = reader.read(); // a byte order mark is not part of the first header name
        }
        boolean afterCr = false;
        for (; c != -1; c = reader.read()) {
            boolean crlf = afterCr && c == '\n';
            afterCr = c == '\r';
            if (inQuotes) {
                if (c == '"') {
                    inQuotes = false;
                    afterQuote = true;
                } else {
                    // Kept as data; CR, LF and CRLF each count as one line break for the line numbers in messages.
                    line += c == '\r' || (c == '\n' && !crlf) ? 1 : 0;
                    field.append((char) c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (afterQuote) {
                        field.append('"'); // "" inside a quoted field
                        inQuotes = true;
                        afterQuote = false;
                    } else if (field.length() == 0) {
                        inQuotes = true;
                        recordStarted = true;
                    } else {
                        field.append('"'); // a quote inside an unquoted field is kept as it is
                    }
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    afterQuote = false;
                    recordStarted = true;
                }
                case '\r', '\n' -> {
                    // A lone CR (old Mac files) ends a line as LF does; the LF of a CRLF was ended by its CR.
                    if (crlf) {
                        continue;
                    }
                    if (recordStarted || field.length() > 0) {
                        expected = endRecord(file, handler, fields, field, recordLine, expected);
                    }
                    fields.clear();
                    field.setLength(0);
                    afterQuote = false;
                    recordStarted = false;
                    line++;
                    recordLine = line;
                }
                default -> {
                    if (afterQuote) {
                        throw new InvalidInputException("CSV file " + file + ", line " + line
                                + ": text after the closing quote of a field");
                    }
                    field.append((char) c);
                    recordStarted = true;
                }
            }
        }
        if (inQuotes) {
            throw new InvalidInputException("CSV file " + file + ": the quoted field opened on line " + recordLine
                    + " is never closed");
        }
        if (recordStarted || field.length() > 0) {
            endRecord(file, handler, fields, field, recordLine, expected);
        }
    }

    /** Hands a complete record over; returns the field count every record must have. */
    private static int endRecord(Path file, RecordHandler handler, List<String> fields, StringBuilder field,
                                 long line, int expected) {
        fields.add(field.toString());
        if (expected >= 0 && fields.size() != expected) {
            throw new InvalidInputException("CSV file " + file + ", line " + line + ": " + fields.size()
                    + " fields where the header has " + expected);
        }
        handler.record(line, fields);
        return fields.size();
    }
}
