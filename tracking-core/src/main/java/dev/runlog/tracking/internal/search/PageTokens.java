package dev.runlog.tracking.internal.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Page tokens: the position after the last row of a page, with a fingerprint of the query, as
 * URL-safe base64 JSON. The fingerprint makes a token from another query fail loudly instead of
 * silently paging through different results.
 */
final class PageTokens {
    private PageTokens() {
    }

    static String encode(Ordering.Position position, String fingerprint) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("q", fingerprint);
        node.put("id", position.id());
        ArrayNode values = node.putArray("v");
        for (Object value : position.values()) {
            if (value == null) {
                values.addNull();
            } else if (value instanceof Double d) {
                values.add(d);
            } else {
                values.add((String) value);
            }
        }
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.MAPPER.writer().without(
                    com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(node));
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    static Ordering.Position decode(String token, String fingerprint, List<dev.runlog.tracking.spi.SearchOrder> order) {
        int orderKeys = order.size();
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException("Page token '" + abbreviate(token) + "' is malformed; pass back a nextPageToken unchanged");
        }
        if (node == null || !node.isObject() || !node.path("q").isTextual()) {
            throw new InvalidInputException("Page token '" + abbreviate(token) + "' is malformed; pass back a nextPageToken unchanged");
        }
        if (!node.path("q").asText().equals(fingerprint)) {
            throw new InvalidInputException("Page token '" + abbreviate(token)
                    + "' belongs to another search; a token continues only the query that returned it");
        }
        JsonNode values = node.path("v");
        if (!values.isArray() || values.size() != orderKeys || !node.path("id").isTextual()) {
            throw new InvalidInputException("Page token '" + abbreviate(token) + "' is malformed");
        }
        List<Object> position = new ArrayList<>();
        for (int i = 0; i < orderKeys; i++) {
            JsonNode value = values.get(i);
            var field = order.get(i).field();
            // A token is text the caller hands back: check each value has the type its key needs.
            boolean fits = value.isNull() ? canBeMissing(field)
                    : field.isNumeric() ? value.isNumber() && (!value.asText().equals("NaN") || field.kind() == dev.runlog.tracking.spi.SearchField.Kind.METRIC)
                    : value.isTextual();
            if (!fits) {
                throw new InvalidInputException("Page token '" + abbreviate(token) + "' is malformed");
            }
            position.add(value.isNull() ? null : field.isNumeric() ? (Object) value.asDouble() : value.asText());
        }
        if (node.get("id").asText().isEmpty()) {
            throw new InvalidInputException("Page token '" + abbreviate(token) + "' is malformed");
        }
        return new Ordering.Position(position, node.get("id").asText());
    }

    /** Whether a row may lack this order key: metrics, params and tags may; end_time of an active run (user_id is '' then). */
    private static boolean canBeMissing(dev.runlog.tracking.spi.SearchField field) {
        return switch (field.kind()) {
            case METRIC, PARAM, TAG -> true;
            case ATTRIBUTE -> field.key().equals("end_time");
            case DATASET -> false;
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
