package dev.runlog.server.internal.mlflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runlog.server.internal.ApiHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An MLflow request message: the JSON body, or for a request without one (MLflow's clients send
 * GETs that way) the query string, each parameter a string field (a repeated one an array).
 * Lenient as protobuf's JSON reader is, where MLflow's clients rely on it: unknown fields are
 * ignored (clients send {@code run_uuid} beside {@code run_id}), numbers may come as strings.
 */
final class Request {
    /** The largest body read, as MLflow's own request limit (1 MB). */
    static final int MAX_BODY = 1024 * 1024;

    /** Fast double parsing: a 1,000-point batch is a thousand decimals to read, exactly as Double.parseDouble does. */
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // One JSON object and nothing after it, each field once: a repeated field or trailing
            // text is a malformed request, not one to read the last or the first of.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** The body when it holds anything but whitespace, else null. */
    private final byte[] body;
    private final String rawQuery;
    /** The fields, read on first use: a route that streams the body ({@link BatchBody}) never builds the tree. */
    private JsonNode fields;

    private Request(byte[] body, String rawQuery) {
        this.body = body;
        this.rawQuery = rawQuery;
    }

    /** The body's fields when it has any, else the query's. */
    static Request of(byte[] body, String rawQuery) {
        return new Request(hasContent(body) ? body : null, rawQuery);
    }

    /** The body, or null when it is empty or blank (the fields are the query's then). */
    byte[] body() {
        return body;
    }

    /** A streaming parser of {@code json}, as lenient about numbers as the tree reader. */
    static JsonParser parser(byte[] json) throws IOException {
        return MAPPER.getFactory().createParser(json);
    }

    private JsonNode fields() {
        if (fields == null) {
            fields = body != null ? tree(body) : query(rawQuery);
        }
        return fields;
    }

    private static JsonNode tree(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw MlflowException.invalid("the body is not valid JSON: " + dev.runlog.server.internal.JsonBody.problem(e));
        } catch (IOException e) {
            throw MlflowException.invalid("the body could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw MlflowException.invalid("the body must be a JSON object");
        }
        return node;
    }

    /** The query's parameters as fields: one value as text, a repeated one as an array. */
    private static JsonNode query(String rawQuery) {
        ObjectNode query = MAPPER.createObjectNode();
        ApiHandler.parseQuery(rawQuery).forEach((name, values) -> {
            if (values.size() == 1) {
                query.put(name, values.get(0));
            } else {
                ArrayNode array = query.putArray(name);
                values.forEach(array::add);
            }
        });
        return query;
    }

    /** Whether the body holds anything but JSON whitespace, without copying it into a string. */
    private static boolean hasContent(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return true;
            }
        }
        return false;
    }

    /** The string field {@code name}, which must be present (MLflow: "Missing value for required parameter"). */
    String text(String name) {
        return optionalText(name).orElseThrow(() -> MlflowException.invalid(
                "Missing value for required parameter '" + name + "'."));
    }

    /** The string field {@code name}, or the first of {@code aliases} present (such as {@code run_uuid}). */
    String text(String name, String alias) {
        return optionalText(name).or(() -> optionalText(alias)).orElseThrow(() -> MlflowException.invalid(
                "Missing value for required parameter '" + name + "'."));
    }

    Optional<String> optionalText(String name) {
        return scalar(name, "a string", JsonNode::isTextual);
    }

    /**
     * The field {@code name} as text: a JSON value of a kind {@code allowed} takes (as protobuf's
     * JSON reader, which MLflow's server uses, takes a string only for a string field, a number or
     * a numeric string for a number), or a query parameter given once; empty when absent or null;
     * a wrong-type error naming {@code expected} otherwise.
     */
    private Optional<String> scalar(String name, String expected, java.util.function.Predicate<JsonNode> allowed) {
        JsonNode value = fields().get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode() || !allowed.test(value)) {
            throw wrongType(name, expected, value);
        }
        return Optional.of(value.asText());
    }

    /** The whole-number field {@code name} (a JSON number or a numeric string); {@code otherwise} when absent. */
    long integer(String name, long otherwise) {
        Optional<String> text = number(name);
        if (text.isEmpty()) {
            return otherwise;
        }
        try {
            return Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            throw MlflowException.invalid("Invalid value " + text.get() + " for parameter '" + name
                    + "' supplied: it must be a whole number" + (text.get().matches("[+-]?[0-9]+")
                            ? " within a 64-bit integer's range" : ""));
        }
    }

    /** Whether field {@code name} is present and not null. */
    boolean has(String name) {
        JsonNode value = fields().get(name);
        return value != null && !value.isNull();
    }

    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    /** A number written as text: a decimal, or {@code "NaN"} and {@code "Infinity"} as protobuf writes them. */
    static double real(String text, String name) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> {
                // Decimal only: Java would also read "1d", "0x1p3" or " 1 ", which no protobuf parser takes.
                if (!DECIMAL.matcher(text).matches()) {
                    throw MlflowException.invalid("Invalid value " + text + " for parameter '" + name
                            + "' supplied: it must be a number");
                }
                double value = Double.parseDouble(text);
                if (Double.isInfinite(value)) {
                    throw MlflowException.invalid("Invalid value " + text + " for parameter '" + name + "' supplied: it is"
                            + " beyond the range of a double; an infinite value is written \"Infinity\" or \"-Infinity\"");
                }
                yield value;
            }
        };
    }

    private Optional<String> number(String name) {
        return scalar(name, "a number", v -> v.isNumber() || v.isTextual());
    }

    /** The boolean field {@code name} ({@code true} or {@code "true"}); {@code otherwise} when absent. */
    boolean bool(String name, boolean otherwise) {
        return scalar(name, "true or false", v -> v.isBoolean() || v.isTextual()).map(t -> {
            if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                throw MlflowException.invalid("Invalid value " + t + " for parameter '" + name + "': it must be true or false");
            }
            return Boolean.parseBoolean(t);
        }).orElse(otherwise);
    }

    /** The repeated field {@code name}: its elements; empty when absent, one element for a lone value. */
    List<JsonNode> list(String name) {
        JsonNode value = fields().get(name);
        List<JsonNode> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (value.isArray()) {
            value.forEach(out::add);
        } else {
            out.add(value);
        }
        return out;
    }

    /** The repeated string field {@code name}. */
    List<String> texts(String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode element : list(name)) {
            if (!element.isTextual()) {
                throw wrongType(name, "an array of strings", element);
            }
            out.add(element.asText());
        }
        return out;
    }

    /** A string field of an element of a repeated field, such as a tag's {@code key}. */
    static String text(JsonNode element, String list, String name) {
        JsonNode value = element.get(name);
        if (value == null || value.isNull()) {
            throw MlflowException.invalid("Missing value for required parameter '" + list + "." + name + "'.");
        }
        if (!value.isTextual()) {
            throw wrongType(list + "." + name, "a string", value);
        }
        return value.asText();
    }

    private static MlflowException wrongType(String name, String type, JsonNode value) {
        return MlflowException.invalid("Invalid value for parameter '" + name + "': it must be " + type + ", not "
                + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
}
