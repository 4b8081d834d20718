package dev.runlog.server.internal.mlflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.spi.InputRules;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code runs/log-batch} body read in one pass of Jackson's streaming parser, straight into
 * metric points, with no JSON tree in between: a 1,000-point batch would otherwise build a thousand
 * small maps, most of the server's time on it. Lenient as {@link Request} is: unknown fields are
 * skipped, {@code run_uuid} stands for {@code run_id}, a lone element for a list of one, numbers may
 * come as strings and values as {@code "NaN"} or {@code "Infinity"}. Metric keys are checked as
 * they are read; params and tags are left to the caller's checks.
 */
record BatchBody(String runId, List<Metric> metrics, List<String[]> params, List<String[]> tags) {

    /** Reads {@code body} (null: no body, hence no fields); a point without a timestamp gets {@code now}. */
    static BatchBody read(byte[] body, long now) {
        String runId = null;
        String runUuid = null;
        List<Metric> metrics = new ArrayList<>();
        List<String[]> params = new ArrayList<>();
        List<String[]> tags = new ArrayList<>();
        if (body == null) {
            return new BatchBody(null, metrics, params, tags);
        }
        String[] lastKey = new String[1];
        try (JsonParser p = Request.parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw MlflowException.invalid("the body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                switch (field) {
                    case "run_id" -> runId = scalar(p, token, "run_id");
                    case "run_uuid" -> runUuid = scalar(p, token, "run_uuid");
                    case "metrics" -> elements(p, token, field, () -> metrics.add(metric(p, now, "metrics.key", null, lastKey)));
                    case "params" -> elements(p, token, field, () -> params.add(pair(p, "params")));
                    case "tags" -> elements(p, token, field, () -> tags.add(pair(p, "tags")));
                    default -> p.skipChildren();
                }
            }
            requireEnd(p);
        } catch (JsonProcessingException e) {
            throw MlflowException.invalid("the body is not valid JSON: " + dev.runlog.server.internal.JsonBody.problem(e));
        } catch (IOException e) {
            throw MlflowException.invalid("the body could not be read: " + e.getMessage());
        }
        return new BatchBody(runId != null ? runId : runUuid, metrics, params, tags);
    }

    /** Refuses anything after the body's object, as the tree-reading routes do: a second value is not one request. */
    private static void requireEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw MlflowException.invalid("the body is not valid JSON: there is more after the JSON value");
        }
    }

    /** Reads one element of a repeated field, the parser on its START_OBJECT. */
    private interface Element {
        void read() throws IOException;
    }

    /** Reads each element (an object) of the repeated field {@code field}, whose value starts at {@code token}. */
    private static void elements(JsonParser p, JsonToken token, String field, Element element) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token == JsonToken.START_OBJECT) {
            element.read(); // a lone element, as protobuf's JSON reader takes it
            return;
        }
        if (token != JsonToken.START_ARRAY) {
            throw MlflowException.invalid("Invalid value for parameter '" + field + "': it must be an array of objects");
        }
        for (JsonToken next = p.nextToken(); next != JsonToken.END_ARRAY; next = p.nextToken()) {
            if (next != JsonToken.START_OBJECT) {
                throw MlflowException.invalid("Invalid value for parameter '" + field + "': each element must be an object");
            }
            element.read();
        }
    }

    /**
     * A {@code runs/log-metric} body, read as a batch's points are: its run id (from {@code run_id}
     * or {@code run_uuid}; null if neither) and its one point. A body is required.
     */
    static BatchBody readMetric(byte[] body, long now) {
        if (body == null) {
            throw MlflowException.invalid("Missing value for required parameter 'run_id'.");
        }
        String[] runIds = new String[2];
        try (JsonParser p = Request.parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw MlflowException.invalid("the body must be a JSON object");
            }
            Metric metric = metric(p, now, "key", runIds, new String[1]);
            requireEnd(p);
            return new BatchBody(runIds[0] != null ? runIds[0] : runIds[1], List.of(metric), List.of(), List.of());
        } catch (JsonProcessingException e) {
            throw MlflowException.invalid("the body is not valid JSON: " + dev.runlog.server.internal.JsonBody.problem(e));
        } catch (IOException e) {
            throw MlflowException.invalid("the body could not be read: " + e.getMessage());
        }
    }

    /**
     * A metric point, the parser on its START_OBJECT; leaves it on the END_OBJECT. {@code keyName}
     * names the key field in errors; {@code runIds}, when given, takes {@code run_id} and
     * {@code run_uuid} from the same object. {@code lastKey} holds the key of the previous point,
     * checked: a batch mostly repeats one key, which is then neither copied nor checked again.
     */
    private static Metric metric(JsonParser p, long now, String keyName, String[] runIds, String[] lastKey)
            throws IOException {
        String key = null;
        double value = 0;
        boolean hasValue = false;
        long step = 0;
        long timestamp = now;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken token = p.nextToken();
            if (token == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (field) {
                case "key" -> key = sameText(p, token, lastKey[0]) ? lastKey[0] : scalar(p, token, keyName);
                case "value" -> {
                    value = value(p, token);
                    hasValue = true;
                }
                case "step" -> step = whole(p, token, "step");
                case "timestamp" -> timestamp = whole(p, token, "timestamp");
                case "run_id", "run_uuid" -> {
                    if (runIds == null) {
                        p.skipChildren();
                    } else {
                        runIds[field.equals("run_id") ? 0 : 1] = scalar(p, token, field);
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (key == null) {
            throw MlflowException.invalid("Missing value for required parameter '" + keyName + "'.");
        }
        if (!hasValue) {
            throw MlflowException.invalid("Missing value for required parameter 'value'.");
        }
        if (key != lastKey[0]) {
            lastKey[0] = InputRules.key("metric", key);
        }
        return new Metric(key, value, step, timestamp);
    }

    /** Whether the parser is on a string of exactly the characters of {@code text}, compared in place. */
    private static boolean sameText(JsonParser p, JsonToken token, String text) throws IOException {
        if (text == null || token != JsonToken.VALUE_STRING || p.getTextLength() != text.length()) {
            return false;
        }
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        for (int i = 0; i < text.length(); i++) {
            if (chars[offset + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A {@code {key, value}} element of {@code list}, the parser on its START_OBJECT. */
    private static String[] pair(JsonParser p, String list) throws IOException {
        String key = null;
        String value = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken token = p.nextToken();
            switch (field) {
                case "key" -> key = scalar(p, token, list + ".key");
                case "value" -> value = scalar(p, token, list + ".value");
                default -> p.skipChildren();
            }
        }
        if (key == null) {
            throw MlflowException.invalid("Missing value for required parameter '" + list + ".key'.");
        }
        if (value == null) {
            throw MlflowException.invalid("Missing value for required parameter '" + list + ".value'.");
        }
        return new String[] {key, value};
    }

    /** A scalar as text (null for JSON null); an object or array is refused. */
    private static String scalar(JsonParser p, JsonToken token, String name) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!token.isScalarValue()) {
            throw MlflowException.invalid("Invalid value for parameter '" + name + "': it must be a string");
        }
        return p.getText();
    }

    private static double value(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING && !token.isNumeric()) {
            throw MlflowException.invalid("Invalid value for parameter 'value': it must be a number");
        }
        // A JSON number too goes through the text, so that one beyond a double's range is refused, not stored as infinite.
        return Request.real(p.getText(), "value");
    }

    private static long whole(JsonParser p, JsonToken token, String name) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT && p.getDoubleValue() == Math.rint(p.getDoubleValue())) {
            return (long) p.getDoubleValue();
        }
        String text = token.isScalarValue() ? p.getText() : "";
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw MlflowException.invalid("Invalid value " + text + " for parameter '" + name
                    + "' supplied: it must be a whole number" + (text.matches("[+-]?[0-9]+")
                            ? " within a 64-bit integer's range" : ""));
        }
    }
}
