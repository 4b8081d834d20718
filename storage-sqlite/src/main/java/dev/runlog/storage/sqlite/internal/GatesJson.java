package dev.runlog.storage.sqlite.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.runlog.registry.GateResult;
import dev.runlog.tracking.IntegrityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code gates} column of {@code registry_events}: a promotion's gate results as a JSON array of
 * {@code {"gate", "passed", "actual", "required"}} objects, in order. Built as a tree rather than
 * by binding {@link GateResult}, so the registry's package need not be open to Jackson.
 */
final class GatesJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GatesJson() {
    }

    /** The column's value: null when there are no gates, which is what every other event stores. */
    static String write(List<GateResult> gates) {
        if (gates.isEmpty()) {
            return null;
        }
        ArrayNode array = MAPPER.createArrayNode();
        for (GateResult gate : gates) {
            array.addObject().put("gate", gate.gate()).put("passed", gate.passed()).put("actual", gate.actual())
                    .put("required", gate.required());
        }
        return array.toString();
    }

    /**
     * The gates {@link #write} stored; none for NULL (events before migration 7, and all but promotions).
     *
     * @throws IntegrityException if the text is not such an array: the stored audit trail is damaged
     */
    static List<GateResult> read(String text, long eventId) {
        if (text == null) {
            return List.of();
        }
        try {
            JsonNode array = MAPPER.readTree(text);
            if (!array.isArray()) {
                throw new IntegrityException("Audit trail event " + eventId + " has gates that are not a JSON array: "
                        + text);
            }
            List<GateResult> gates = new ArrayList<>();
            for (JsonNode gate : array) {
                if (!gate.path("gate").isTextual() || !gate.path("passed").isBoolean()) {
                    throw new IntegrityException("Audit trail event " + eventId + " has a gate without a name or"
                            + " verdict: " + gate);
                }
                gates.add(new GateResult(gate.get("gate").asText(), gate.get("passed").asBoolean(),
                        gate.path("actual").asText(""), gate.path("required").asText("")));
            }
            return gates;
        } catch (JsonProcessingException e) {
            throw new IntegrityException("Audit trail event " + eventId + " has unreadable gates: "
                    + e.getOriginalMessage(), e);
        }
    }
}
