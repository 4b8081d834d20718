package dev.runlog.tracking.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.runlog.tracking.Dataset;
import dev.runlog.tracking.StoreException;
import java.util.List;

/**
 * The text form of a dataset's schema and profile, for stores that keep them as text (the SQLite
 * store, a future PostgreSQL store): JSON in which NaN and ±Infinity are bare tokens, so that every
 * double of a profile reads back bit for bit, and unknown properties are ignored, so that text
 * written by a newer Runlog still reads. Stores that share a database must use this codec so that
 * each reads what another wrote.
 */
public final class DatasetCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A map a profile stored by an older Runlog lacks (Dataset.Profile's extensions) reads as empty.
            .withConfigOverride(java.util.Map.class, o -> o.setSetterInfo(
                    com.fasterxml.jackson.annotation.JsonSetter.Value.forValueNulls(com.fasterxml.jackson.annotation.Nulls.AS_EMPTY)))
            .build();
    private static final JavaType SCHEMA = MAPPER.getTypeFactory().constructCollectionType(List.class, Dataset.Column.class);

    private DatasetCodec() {
    }

    /** The text of a dataset's schema. */
    public static String schemaToText(List<Dataset.Column> schema) {
        return write(InputRules.notNull("schema", schema));
    }

    /**
     * The schema {@link #schemaToText} wrote.
     *
     * @throws StoreException if the text is not a schema: the stored data is damaged
     */
    public static List<Dataset.Column> schemaFromText(String text) {
        return read(InputRules.notNull("text", text), SCHEMA);
    }

    /** The text of a dataset's profile. */
    public static String profileToText(Dataset.Profile profile) {
        return write(InputRules.notNull("profile", profile));
    }

    /**
     * The profile {@link #profileToText} wrote.
     *
     * @throws StoreException if the text is not a profile: the stored data is damaged
     */
    public static Dataset.Profile profileFromText(String text) {
        return read(InputRules.notNull("text", text), MAPPER.constructType(Dataset.Profile.class));
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Schemas and profiles are records of strings and numbers: this cannot happen.
            throw new IllegalStateException("Cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    private static <T> T read(String text, JavaType type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("Stored JSON is not a valid " + type.getRawClass().getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
