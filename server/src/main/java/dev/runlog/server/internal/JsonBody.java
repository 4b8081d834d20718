package dev.runlog.server.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runlog.tracking.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A write request's body, read strictly: one JSON object holding only the fields its endpoint
 * names, each of the type it expects. Anything else is an {@link InvalidInputException} naming
 * the field, so a typo such as {@code "archiveExisting"} is refused instead of silently ignored.
 */
public final class JsonBody {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonNode object;

    private JsonBody(JsonNode object) {
        this.object = object;
    }

    /**
     * What is wrong with a body Jackson refused, for a client to read: its own words where they
     * are plain, and never the parser's class and feature names it adds for programmers.
     */
    public static String problem(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.contains("FAIL_ON_TRAILING_TOKENS") || message.startsWith("Trailing token")) {
            return "there is more after the JSON value";
        }
        if (message.contains("getMaxNestingDepth")) {
            return "it nests deeper than 1000 levels";
        }
        if (message.contains("StreamReadConstraints")) {
            return "a value is longer than the parser takes";
        }
        int line = message.indexOf('\n');
        message = line < 0 ? message : message.substring(0, line);
        return message.replaceAll(" \\(bound as `[^`]*`\\)", "")
                .replaceAll("\\[Source: REDACTED \\(`[^`]*` disabled\\); ", "[")
                .replaceAll("\\[Source: [^;\\]]*; ", "[");
    }

    /**
     * Parses {@code bytes} as a JSON object whose fields are all among {@code allowed}.
     *
     * @throws InvalidInputException if it is not JSON, not an object, or holds another field
     */
    static JsonBody parse(byte[] bytes, Set<String> allowed) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the body is not valid JSON: " + problem(e));
        } catch (IOException e) {
            throw new InvalidInputException("the body could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("the body must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidInputException("field '" + name + "' is not expected here; the fields are "
                        + allowed.stream().sorted().toList());
            }
        }
        return new JsonBody(node);
    }

    /** The string field {@code name}, which must be present. */
    String text(String name) {
        return optionalText(name).orElseThrow(() -> missing(name, "a string"));
    }

    /** The string field {@code name}; empty when absent or null. */
    Optional<String> optionalText(String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(name, "a string", value);
        }
        return Optional.of(value.textValue());
    }

    /** The boolean field {@code name}; {@code otherwise} when absent or null. */
    boolean bool(String name, boolean otherwise) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw wrongType(name, "true or false", value);
        }
        return value.booleanValue();
    }

    /** The whole-number field {@code name}, which must be present and fit an int. */
    int integer(String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            throw missing(name, "a whole number");
        }
        if (value.isIntegralNumber() && !value.canConvertToInt()) {
            throw new InvalidInputException("field '" + name + "' is " + value.asText() + "; it must be a whole number from "
                    + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        if (!value.isIntegralNumber()) {
            throw wrongType(name, "a whole number", value);
        }
        return value.intValue();
    }

    /** The field {@code name} as a list of strings; empty when absent or null. */
    List<String> texts(String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw wrongType(name, "an array of strings", value);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw wrongType(name, "an array of strings", value);
            }
            out.add(element.textValue());
        }
        return out;
    }

    /** Whether field {@code name} is present and not null. */
    boolean has(String name) {
        JsonNode value = object.get(name);
        return value != null && !value.isNull();
    }

    private static InvalidInputException missing(String name, String type) {
        return new InvalidInputException("field '" + name + "' is missing; it must be " + type);
    }

    private static InvalidInputException wrongType(String name, String type, JsonNode value) {
        return new InvalidInputException("field '" + name + "' must be " + type + ", not " + value.getNodeType()
                .name().toLowerCase(java.util.Locale.ROOT));
    }
}
