package dev.runlog.tracking.internal.flavors;

import com.fasterxml.jackson.core.JacksonException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.internal.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** {@code json}: the model's properties through Jackson; records and POJOs load back as themselves. */
public final class JsonFlavor implements ModelFlavor {
    public static final JsonFlavor INSTANCE = new JsonFlavor();
    static final String FILE = "model.json";

    private JsonFlavor() {
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public Map<String, String> save(Object model, Path directory) throws IOException {
        try {
            Json.MAPPER.writeValue(directory.resolve(FILE).toFile(), model);
        } catch (JacksonException e) {
            throw new InvalidInputException("Cannot store a " + model.getClass().getName()
                    + " with the json flavor: " + e.getOriginalMessage(), e);
        }
        return Map.of("class", model.getClass().getName(), "file", FILE);
    }

    @Override
    public <T> T load(Path directory, Class<T> type) throws IOException {
        try {
            return Json.MAPPER.readValue(directory.resolve(FILE).toFile(), type);
        } catch (JacksonException e) {
            throw new InvalidInputException("The stored json model does not read as a " + type.getName()
                    + ": " + e.getOriginalMessage(), e);
        }
    }
}
