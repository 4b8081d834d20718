package dev.runlog.examples.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * A table for supervised learning: numeric feature columns and one class label per row, read from
 * a CSV file with a header row. Part of the examples' small plain-Java ML kit; Runlog itself needs
 * none of it.
 *
 * <p>Class names are sorted, so a label's index does not depend on which class happens to come
 * first in the file (for the breast cancer data that makes {@code malignant} class 1, the positive
 * class). The arrays are shared, not copied: treat them as read-only.
 *
 * @param featureNames the feature columns, in file order
 * @param classNames   the distinct labels, sorted; a label is an index into this list
 * @param features     one row of feature values per example
 * @param labels       one class index per example
 */
public record LabeledData(List<String> featureNames, List<String> classNames, double[][] features, int[] labels) {
    public LabeledData {
        featureNames = List.copyOf(featureNames);
        classNames = List.copyOf(classNames);
        if (features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " feature rows but " + labels.length + " labels");
        }
    }

    /**
     * Reads a CSV file of numbers with one label column. The files the examples ship are plain
     * (no quoting), so a split on commas is enough; {@link dev.runlog.tracking.Dataset#fromCsv}
     * is what parses arbitrary CSV for Runlog.
     */
    public static LabeledData readCsv(Path csv, String labelColumn) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        List<String> header = List.of(lines.get(0).split(","));
        int labelIndex = header.indexOf(labelColumn);
        if (labelIndex < 0) {
            throw new IllegalArgumentException(csv + " has no column '" + labelColumn + "'; it has " + header);
        }
        List<String[]> rows = lines.subList(1, lines.size()).stream()
                .filter(line -> !line.isBlank()).map(line -> line.split(",")).toList();
        List<String> classNames = List.copyOf(new TreeSet<>(rows.stream().map(r -> r[labelIndex]).toList()));

        List<String> featureNames = new ArrayList<>(header);
        featureNames.remove(labelIndex);
        double[][] features = new double[rows.size()][];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            features[i] = IntStream.range(0, row.length).filter(c -> c != labelIndex)
                    .mapToDouble(c -> Double.parseDouble(row[c])).toArray();
            labels[i] = classNames.indexOf(row[labelIndex]);
        }
        return new LabeledData(featureNames, classNames, features, labels);
    }

    /** The number of examples. */
    public int size() {
        return labels.length;
    }

    /** The examples at these row indices, in this order. */
    public LabeledData rows(int... indices) {
        double[][] x = new double[indices.length][];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            x[i] = features[indices[i]];
            y[i] = labels[indices[i]];
        }
        return new LabeledData(featureNames, classNames, x, y);
    }

    /** The first {@code n} examples. */
    public LabeledData head(int n) {
        return rows(IntStream.range(0, n).toArray());
    }

    /** The class name of example {@code row}. */
    public String className(int row) {
        return classNames.get(labels[row]);
    }

    @Override
    public String toString() {
        return "LabeledData[" + size() + " rows, features=" + featureNames + ", classes=" + classNames
                + ", class counts=" + Arrays.toString(classCounts()) + "]";
    }

    private int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
