package dev.runlog.monitoring;

import dev.runlog.tracking.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Read through {@link Dataset#fromCsv} for the schema and {@link Dataset#forEachCsvRow} for the rows. */
    static BreastCancer load(Path tempDir) throws IOException {
        Path csv = tempDir.resolve("breast_cancer.csv");
        try (InputStream in = BreastCancer.class.getResourceAsStream("/breast_cancer.csv")) {
            Files.copy(in, csv);
        }
        List<List<String>> rows = new ArrayList<>();
        Dataset.forEachCsvRow(csv, rows::add);
        List<Dataset.Column> schema = Dataset.fromCsv(csv).schema();
        return new BreastCancer(schema.stream().map(Dataset.Column::name).toList(), rows, schema);
    }

    /** The values of numeric column {@code index} in the given rows. */
    static double[] column(List<List<String>> rows, int index) {
        return rows.stream().mapToDouble(row -> Double.parseDouble(row.get(index))).toArray();
    }
}
