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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A CSV of runs whose param and metric columns are every key any run has, written in one pass
 * over the store: a CSV header must come first, but the keys are known only at the end. Rows go
 * to a temporary file as they stream by (attributes, then sparse key index / value pairs), the
 * keys are collected, and then the header and the rows are written out. Memory holds the key
 * names alone, never the runs; a second pass over the store would cost as much as the first.
 */
final class CsvSpool implements AutoCloseable {
    private final List<Columns.Column> attributes;
    private final Path file;
    private final DataOutputStream spool;
    private final Map<String, Integer> params = new LinkedHashMap<>();
    private final Map<String, Integer> metrics = new LinkedHashMap<>();
    private long rows;

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
        try {
            for (Columns.Column column : attributes) {
                spool.writeUTF(column.csv(run));
            }
            spool.writeInt(run.data().params().size());
            for (Map.Entry<String, String> param : run.data().params().entrySet()) {
                spool.writeInt(params.computeIfAbsent(param.getKey(), key -> params.size()));
                spool.writeUTF(param.getValue());
            }
            spool.writeInt(run.data().latestMetrics().size());
            for (Map.Entry<String, Metric> metric : run.data().latestMetrics().entrySet()) {
                spool.writeInt(metrics.computeIfAbsent(metric.getKey(), key -> metrics.size()));
                spool.writeUTF(Text.exact(metric.getValue().value()));
            }
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the temporary file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The header (attributes, then params and metrics by key), then every row in the order added. */
    void writeTo(PrintWriter out) {
        int[] paramColumn = new int[params.size()];
        int[] metricColumn = new int[metrics.size()];
        List<String> header = new ArrayList<>(attributes.stream().map(Columns.Column::header).toList());
        for (Map.Entry<String, Integer> param : new TreeMap<>(params).entrySet()) {
            paramColumn[param.getValue()] = header.size();
            header.add("params." + param.getKey());
        }
        for (Map.Entry<String, Integer> metric : new TreeMap<>(metrics).entrySet()) {
            metricColumn[metric.getValue()] = header.size();
            header.add("metrics." + metric.getKey());
        }
        out.println(Text.csvLine(header));
        try {
            spool.close();
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                String[] fields = new String[header.size()];
                for (long row = 0; row < rows; row++) {
                    Arrays.fill(fields, "");
                    for (int i = 0; i < attributes.size(); i++) {
                        fields[i] = in.readUTF();
                    }
                    for (int n = in.readInt(); n > 0; n--) {
                        fields[paramColumn[in.readInt()]] = in.readUTF();
                    }
                    for (int n = in.readInt(); n > 0; n--) {
                        fields[metricColumn[in.readInt()]] = in.readUTF();
                    }
                    out.println(Text.csvLine(Arrays.asList(fields)));
                }
            }
        } catch (EOFException e) {
            throw new IllegalStateException("the temporary file " + file + " ended early", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the temporary file " + file + ": " + e.getMessage(), e);
        }
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
