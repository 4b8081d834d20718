package dev.runlog.monitoring;

import dev.runlog.tracking.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The breast-cancer data of the test resources: 569 rows, 30 numeric features and a string target. */
final class BreastCancer {
    final List<String> header;
    final List<List<String>> rows;
    final List<Dataset.Column> schema;

    private BreastCancer(List<String> header, List<List<String>> rows, List<Dataset.Column> schema) {
        this.header = header;
        this.rows = rows;
        this.schema = schema;
    }

    /** Read through {@link Dataset#fromCsv} for the schema, and line by line for the rows (no quoted cells). */
    static BreastCancer load(Path tempDir) throws IOException {
        Path csv = tempDir.resolve("breast_cancer.csv");
        try (InputStream in = BreastCancer.class.getResourceAsStream("/breast_cancer.csv")) {
            Files.copy(in, csv);
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(Arrays.asList(line.split(",", -1)));
            }
        }
        return new BreastCancer(Arrays.asList(lines.get(0).split(",")), rows, Dataset.fromCsv(csv).schema());
    }

    /** The values of numeric column {@code index} in the given rows. */
    static double[] column(List<List<String>> rows, int index) {
        return rows.stream().mapToDouble(row -> Double.parseDouble(row.get(index))).toArray();
    }
}
