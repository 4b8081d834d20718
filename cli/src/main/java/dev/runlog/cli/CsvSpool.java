package dev.runlog.cli;

import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A CSV of runs whose param and metric columns are every key any run has, written in one pass
 * over the store: a CSV header must come first, but the keys are known only at the end. Rows go
 * to a temporary file as they stream by, the keys are collected, and then the header and the rows
 * are written out. Memory holds the key names alone, never the runs; a second pass over the store
 * would cost as much as the first.
 *
 * <p>Each row is spooled as its finished CSV line (attributes, then its own params and metrics,
 * each by key), tagged with its <em>shape</em>: the keys it has. Runs of one sweep nearly always
 * share one shape, and a row whose shape has every key is already the line to print, so writing
 * out copies it; only rows missing keys are split and padded with empty fields.
 */
final class CsvSpool implements AutoCloseable {
    private final List<Columns.Column> attributes;
    private final Path file;
    private final DataOutputStream spool;
    private final Map<ShapeKey, Shape> shapes = new HashMap<>();
    private final List<Shape> shapesById = new ArrayList<>();
    private final TreeSet<String> params = new TreeSet<>();
    private final TreeSet<String> metrics = new TreeSet<>();
    private long rows;

    /** What tells shapes apart: the param count too, as a key may be a param of one run and a metric of another. */
    private record ShapeKey(int paramCount, List<String> keys) {
    }

    /** The keys of a row, params then metrics, in the order the run's maps gave them, and that order sorted. */
    private static final class Shape {
        final int id;
        final List<String> paramKeys;
        final List<String> metricKeys;
        /** Indices into the row's keys (params, then metrics) in the order the line holds them. */
        final int[] lineOrder;

        Shape(int id, List<String> paramKeys, List<String> metricKeys) {
            this.id = id;
            this.paramKeys = paramKeys.stream().sorted().toList();
            this.metricKeys = metricKeys.stream().sorted().toList();
            Integer[] order = new Integer[paramKeys.size() + metricKeys.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Comparator<Integer> byKey = Comparator.comparing(i -> i < paramKeys.size() ? paramKeys.get(i)
                    : metricKeys.get(i - paramKeys.size()));
            Arrays.sort(order, 0, paramKeys.size(), byKey);
            Arrays.sort(order, paramKeys.size(), order.length, byKey);
            this.lineOrder = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        }
    }

    CsvSpool(List<Columns.Column> attributes) {
        this.attributes = List.copyOf(attributes);
        try {
            this.file = Files.createTempFile("runlog-runs-", ".spool");
            this.spool = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the CSV: " + e.getMessage(), e);
        }
    }

    void add(Run run) {
        Map<String, String> runParams = run.data().params();
        Map<String, Metric> runMetrics = run.data().latestMetrics();
        String[] keys = new String[runParams.size() + runMetrics.size()];
        String[] values = new String[keys.length];
        int n = 0;
        for (Map.Entry<String, String> param : runParams.entrySet()) {
            keys[n] = param.getKey();
            values[n++] = param.getValue();
        }
        for (Map.Entry<String, Metric> metric : runMetrics.entrySet()) {
            keys[n] = metric.getKey();
            values[n++] = Text.exact(metric.getValue().value());
        }
        Shape shape = shapeOf(Arrays.asList(keys), runParams.size());
        StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < attributes.size(); i++) {
            line.append(i == 0 ? "" : ",").append(Text.csv(attributes.get(i).csv(run)));
        }
        for (int i : shape.lineOrder) {
            line.append(',').append(Text.csv(values[i]));
        }
        byte[] utf8 = line.toString().getBytes(StandardCharsets.UTF_8);
        try {
            spool.writeInt(shape.id);
            spool.writeInt(utf8.length);
            spool.write(utf8);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the temporary file " + file + ": " + e.getMessage(), e);
        }
    }

    private Shape shapeOf(List<String> keys, int paramCount) {
        Shape shape = shapes.get(new ShapeKey(paramCount, keys));
        if (shape == null) {
            List<String> copy = List.copyOf(keys);
            shape = new Shape(shapesById.size(), copy.subList(0, paramCount), copy.subList(paramCount, copy.size()));
            shapes.put(new ShapeKey(paramCount, copy), shape);
            shapesById.add(shape);
            params.addAll(shape.paramKeys);
            metrics.addAll(shape.metricKeys);
        }
        return shape;
    }

    /** The header (attributes, then params and metrics by key), then every row in the order added. */
    void writeTo(PrintWriter out) {
        List<String> header = new ArrayList<>(attributes.stream().map(Columns.Column::header).toList());
        params.forEach(key -> header.add("params." + key));
        metrics.forEach(key -> header.add("metrics." + key));
        out.println(Text.csvLine(header));
        // Per shape, the column of each of its fields; null when the line is already complete.
        int[][] columns = new int[shapesById.size()][];
        List<String> allParams = List.copyOf(params);
        List<String> allMetrics = List.copyOf(metrics);
        for (Shape shape : shapesById) {
            if (!shape.paramKeys.equals(allParams) || !shape.metricKeys.equals(allMetrics)) {
                columns[shape.id] = columnsOf(shape, allParams, allMetrics);
            }
        }
        try {
            spool.close();
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                byte[] buffer = new byte[1024];
                for (long row = 0; row < rows; row++) {
                    int shape = in.readInt();
                    int length = in.readInt();
                    if (length > buffer.length) {
                        buffer = new byte[Math.max(length, buffer.length * 2)];
                    }
                    in.readFully(buffer, 0, length);
                    String line = new String(buffer, 0, length, StandardCharsets.UTF_8);
                    out.println(columns[shape] == null ? line : pad(line, columns[shape], header.size()));
                }
            }
        } catch (EOFException e) {
            throw new IllegalStateException("the temporary file " + file + " ended early", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the temporary file " + file + ": " + e.getMessage(), e);
        }
    }

    private int[] columnsOf(Shape shape, List<String> allParams, List<String> allMetrics) {
        int[] columns = new int[attributes.size() + shape.paramKeys.size() + shape.metricKeys.size()];
        int n = 0;
        for (int i = 0; i < attributes.size(); i++) {
            columns[n++] = i;
        }
        for (String key : shape.paramKeys) {
            columns[n++] = attributes.size() + allParams.indexOf(key);
        }
        for (String key : shape.metricKeys) {
            columns[n++] = attributes.size() + allParams.size() + allMetrics.indexOf(key);
        }
        return columns;
    }

    /** Splits a spooled line into its (still escaped) fields and places each in its column. */
    private static String pad(String line, int[] columns, int width) {
        String[] fields = new String[width];
        Arrays.fill(fields, "");
        int field = 0;
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i <= line.length(); i++) {
            char c = i < line.length() ? line.charAt(i) : ',';
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields[columns[field++]] = line.substring(start, i);
                start = i + 1;
            }
        }
        return String.join(",", fields);
    }

    @Override
    public void close() {
        try {
            spool.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary file " + file + ": " + e.getMessage(), e);
        }
    }
}
