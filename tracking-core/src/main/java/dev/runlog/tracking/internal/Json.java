package dev.runlog.tracking.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.StoreException;

/**
 * The one Jackson configuration Runlog writes and reads JSON with: stored descriptors, dataset
 * profiles, archives. NaN and ±Infinity are written as bare tokens and read back, since metric and
 * profile values may be any double; unknown properties are ignored, so a file written by a newer
 * Runlog still reads. A value of a class Jackson sees no properties in (private fields without
 * getters) is refused, not written as {@code {}}: that object would read back as a blank one.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // A map a profile stored by an older Runlog lacks (Dataset.Profile's extensions) reads as empty.
            .withConfigOverride(java.util.Map.class, o -> o.setSetterInfo(
                    com.fasterxml.jackson.annotation.JsonSetter.Value.forValueNulls(com.fasterxml.jackson.annotation.Nulls.AS_EMPTY)))
            .build();

    private Json() {
    }

    /** Serializes a value; a value Jackson cannot write is the caller's mistake. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Cannot write " + value.getClass().getName() + " as JSON: " + problem(e), e);
        }
    }

    /**
     * What Jackson found wrong with a value, for a message to the user: its advice to change the
     * mapper's settings, which users cannot reach, is replaced by what they can do.
     */
    public static String problem(com.fasterxml.jackson.core.JacksonException e) {
        String message = e.getOriginalMessage();
        String jacksonAdvice = " (to avoid exception, disable SerializationFeature.FAIL_ON_EMPTY_BEANS)";
        int advice = message.indexOf(jacksonAdvice);
        if (advice < 0) {
            return message;
        }
        return message.substring(0, advice) + message.substring(advice + jacksonAdvice.length()) + "; JSON is written from a record's"
                + " components, public fields and getters, so its data would be lost: use a record, add getters, or"
                + " (for a model) name another flavor";
    }

    /** Reads what Runlog stored; a failure means the stored data is damaged. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("Stored JSON is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** As {@link #read(String, Class)}, for generic types. */
    public static <T> T read(String json, JavaType type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("Stored JSON is not a valid " + type + ": " + e.getOriginalMessage(), e);
        }
    }
}
