package dev.runlog.xgboost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** The bundled CSVs (features, then a text label) as dense matrices, every 4th row held out. */
record TestData(DMatrix train, DMatrix valid, float[] validFeatures, int columns) {

    static TestData load(String resource) {
        List<float[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try (InputStream in = TestData.class.getResourceAsStream("/" + resource)) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                String[] cells = lines[i].trim().split(",");
                if (cells.length < 2) {
                    continue;
                }
                float[] row = new float[cells.length - 1];
                for (int c = 0; c < row.length; c++) {
                    row[c] = Float.parseFloat(cells[c]);
                }
                rows.add(row);
                labels.add(cells[cells.length - 1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> classes = new LinkedHashMap<>();
        labels.stream().sorted().forEach(label -> classes.putIfAbsent(label, classes.size()));
        int columns = rows.get(0).length;
        List<Integer> trainRows = new ArrayList<>();
        List<Integer> validRows = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            (i % 4 == 3 ? validRows : trainRows).add(i);
        }
        try {
            float[] validFeatures = features(rows, validRows, columns);
            return new TestData(matrix(rows, labels, classes, trainRows, columns),
                    matrix(rows, labels, classes, validRows, columns), validFeatures, columns);
        } catch (XGBoostError e) {
            throw new IllegalStateException(e);
        }
    }

    private static DMatrix matrix(List<float[]> rows, List<String> labels, Map<String, Integer> classes,
                                  List<Integer> picked, int columns) throws XGBoostError {
        DMatrix matrix = new DMatrix(features(rows, picked, columns), picked.size(), columns, Float.NaN);
        float[] y = new float[picked.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = classes.get(labels.get(picked.get(i)));
        }
        matrix.setLabel(y);
        return matrix;
    }

    private static float[] features(List<float[]> rows, List<Integer> picked, int columns) {
        float[] data = new float[picked.size() * columns];
        for (int i = 0; i < picked.size(); i++) {
            System.arraycopy(rows.get(picked.get(i)), 0, data, i * columns, columns);
        }
        return data;
    }
}
