package dev.runlog.tribuo.internal;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tribuo.Model;

/**
 * {@code tribuo}: a Tribuo {@link Model} in Tribuo's own protobuf format ({@code serializeToFile},
 * Tribuo 4.3 on), which names the model's classes by their Tribuo protobuf serializers rather than
 * running arbitrary Java deserialization; the model's class (its trainer's module, such as
 * tribuo-classification-sgd) must be on the class path to load it.
 */
public final class TribuoFlavor implements ModelFlavor {
    /** The name recorded in the model's descriptor. */
    public static final String NAME = "tribuo";
    static final String FILE = "model.tribuo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean stores(Object model) {
        return model instanceof Model;
    }

    @Override
    public Map<String, String> save(Object model, Path directory) throws IOException {
        if (!(model instanceof Model<?> tribuoModel)) {
            throw new InvalidInputException("The tribuo flavor stores an org.tribuo.Model, not a "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        tribuoModel.serializeToFile(directory.resolve(FILE));
        return Map.of("file", FILE, "class", tribuoModel.getClass().getName());
    }

    @Override
    public <T> T load(Path directory, Class<T> type) throws IOException {
        if (!Model.class.isAssignableFrom(type) && !type.isAssignableFrom(Model.class)) {
            throw new InvalidInputException("A tribuo model loads as an org.tribuo.Model, not a " + type.getName());
        }
        Path file = directory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("This tribuo model has no " + FILE + " in its payload");
        }
        Model<?> model = Model.deserializeFromFile(file);
        if (!type.isInstance(model)) {
            throw new InvalidInputException("The stored tribuo model is a " + model.getClass().getName()
                    + ", not a " + type.getName());
        }
        return type.cast(model);
    }
}
