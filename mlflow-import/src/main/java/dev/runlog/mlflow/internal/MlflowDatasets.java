package dev.runlog.mlflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.tracking.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MLflow's dataset records as Runlog {@link Dataset}s. MLflow keeps a dataset's schema as JSON
 * ({@code {"mlflow_colspec": [{"name": .., "type": ..}]}}), its profile as JSON ({@code num_rows},
 * ...) and its source as JSON ({@code {"uri": ..}}); the columns and row count carry over, the
 * per-column statistics Runlog computes for its own datasets MLflow never had, so they stay empty.
 * Text that is not the JSON expected is kept as it is (the source) or left out (schema, profile).
 */
final class MlflowDatasets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MlflowDatasets() {
    }

    static Dataset of(String name, String digest, String sourceType, String source, String schema, String profile) {
        return new Dataset(name, digest, source(sourceType, source), columns(schema),
                new Dataset.Profile(rows(profile), Map.of()));
    }

    private static String source(String sourceType, String source) {
        JsonNode node = parse(source);
        if (node != null && node.hasNonNull("uri")) {
            return node.get("uri").asText();
        }
        String text = source == null ? "" : source;
        return sourceType == null || sourceType.isEmpty() ? text : sourceType + ":" + text;
    }

    private static List<Dataset.Column> columns(String schema) {
        JsonNode node = parse(schema);
        List<Dataset.Column> columns = new ArrayList<>();
        if (node != null && node.path("mlflow_colspec").isArray()) {
            for (JsonNode column : node.get("mlflow_colspec")) {
                String type = column.path("type").isTextual() ? column.get("type").asText() : column.path("type").toString();
                columns.add(new Dataset.Column(column.path("name").asText(""), type));
            }
        }
        return columns;
    }

    private static long rows(String profile) {
        JsonNode node = parse(profile);
        return node != null && node.path("num_rows").canConvertToLong() ? node.get("num_rows").asLong() : 0;
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
