package dev.runlog.tracking.internal.flavors;

import com.fasterxml.jackson.core.JacksonException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.internal.Json;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code json}: the model's properties through Jackson; records and POJOs load back as themselves,
 * or as an interface or abstract class of the caller's that the class recorded at save implements.
 */
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
                    + " with the json flavor: " + Json.problem(e), e);
        }
        return Map.of("class", model.getClass().getName(), "file", FILE);
    }

    @Override
    public <T> T load(Path directory, Class<T> type) throws IOException {
        return load(directory, type, Map.of());
    }

    @Override
    public <T> T load(Path directory, Class<T> type, Map<String, String> settings) throws IOException {
        // A class of the caller's, concrete too, is checked against the class recorded at save: a model
        // loads as its own class or a supertype of it, never bound to an unrelated class whose fields fit.
        // A descriptor recording none (written before classes were recorded) binds a concrete type as asked.
        String recorded = settings.get("class");
        boolean recordedOne = recorded != null && !recorded.isBlank();
        Class<? extends T> target = !isJdkType(type) && (recordedOne || isAbstract(type)) ? recordedClass(type, recorded) : type;
        try {
            return Json.MAPPER.readValue(directory.resolve(FILE).toFile(), target);
        } catch (JacksonException e) {
            throw new InvalidInputException("The stored json model" + (recordedOne ? ", saved as a " + recorded + "," : "")
                    + " does not read as a " + target.getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * An interface or abstract class: Jackson cannot pick a class for it, and must not be let to pick
     * one from the JSON (default typing would let the file choose any class); the descriptor's
     * recorded class is used. JDK types keep Jackson's own mapping (Map to LinkedHashMap, List to ArrayList).
     */
    private static boolean isAbstract(Class<?> type) {
        return type.isInterface() || Modifier.isAbstract(type.getModifiers());
    }

    /** Primitives, arrays and {@code java.*}/{@code javax.*} types: Jackson's own mapping, no recorded class. */
    private static boolean isJdkType(Class<?> type) {
        String name = type.getName();
        return type.isPrimitive() || type.isArray() || name.startsWith("java.") || name.startsWith("javax.");
    }

    /**
     * The class the descriptor recorded at save, loaded without initializing it (no static
     * initializer of a class named by a stored file runs before it is checked), and required to
     * be a concrete subtype of {@code type}.
     */
    private static <T> Class<? extends T> recordedClass(Class<T> type, String recorded) {
        if (recorded == null || recorded.isBlank()) {
            throw new InvalidInputException("Cannot load the json model as " + type.getName() + ", an interface or"
                    + " abstract class: its descriptor records no concrete class to read it as");
        }
        Class<?> found = null;
        for (ClassLoader loader : loaders(type)) {
            try {
                found = Class.forName(recorded, false, loader);
                break;
            } catch (ClassNotFoundException | LinkageError e) {
                // Try the next loader; none finding it is reported below.
            }
        }
        if (found == null) {
            throw new InvalidInputException("The json model was saved as a " + recorded + ", which is not on the"
                    + " class path, so it cannot be loaded as " + type.getName());
        }
        if (!type.isAssignableFrom(found) || found.isInterface() || Modifier.isAbstract(found.getModifiers())
                || found.isArray() || found.isPrimitive()) {
            throw new InvalidInputException("The json model was saved as a " + recorded + ", which is not a concrete"
                    + " subtype of " + type.getName() + "; load it as a type it implements");
        }
        return found.asSubclass(type);
    }

    /** The requested type's loader, then the thread's context loader, which may see more (an app server's). */
    private static List<ClassLoader> loaders(Class<?> type) {
        List<ClassLoader> loaders = new ArrayList<>();
        if (type.getClassLoader() != null) {
            loaders.add(type.getClassLoader());
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && !loaders.contains(context)) {
            loaders.add(context);
        }
        return loaders;
    }
}
