package dev.runlog.tracking;

import dev.runlog.tracking.internal.flavors.FilesFlavor;
import dev.runlog.tracking.internal.flavors.JavaSerializedFlavor;
import dev.runlog.tracking.internal.flavors.JsonFlavor;
import dev.runlog.tracking.internal.flavors.ModelFlavors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A way to store a model as files and load it back: the plugin point for model formats. Runlog
 * ships three, and a library adds its own (a DJL or Tribuo flavor, say) by implementing this
 * interface and registering it in {@code META-INF/services/dev.runlog.tracking.ModelFlavor}; the
 * name written in a model's descriptor then finds it again at load time.
 *
 * <ul>
 *   <li>{@link #json()}: records and POJOs, through Jackson.</li>
 *   <li>{@link #files()}: a file or directory kept as it is (ONNX, PMML, XGBoost, a DJL model
 *       folder); it loads back as a {@link Path}.</li>
 *   <li>{@link #javaSerialized(String...)}: {@link java.io.Serializable} objects. Deserializing
 *       runs code chosen by whoever wrote the bytes, so loading accepts only the model's own class,
 *       basic JDK value types and the packages named here; never the default choice.</li>
 * </ul>
 *
 * <pre>{@code
 * run.logModel("model", weights);                                   // json
 * run.logModel("onnx", Path.of("model.onnx"));                      // files
 * run.logModel("model", forest, ModelFlavor.javaSerialized("smile")); // java-serialized
 * }</pre>
 *
 * <p>Implementations are stateless or immutable, and thread-safe.
 */
public interface ModelFlavor {

    /** The name recorded in the descriptor, such as {@code "json"}; unique among flavors. */
    String name();

    /**
     * Writes {@code model} into the empty directory {@code directory}.
     *
     * @return flavor settings to record in the descriptor, such as the model's class
     * @throws InvalidInputException if this flavor cannot store this model
     */
    Map<String, String> save(Object model, Path directory) throws IOException;

    /**
     * Reads back a model {@link #save saved} in {@code directory}.
     *
     * @throws InvalidInputException if the stored model is not a {@code type}
     */
    <T> T load(Path directory, Class<T> type) throws IOException;

    /** Records and POJOs as JSON, through Jackson. */
    static ModelFlavor json() {
        return JsonFlavor.INSTANCE;
    }

    /** A file or directory as it is; loads back as a {@link Path} to a private copy. */
    static ModelFlavor files() {
        return FilesFlavor.INSTANCE;
    }

    /**
     * Java serialization, for {@link java.io.Serializable} models. On load, only the model's own
     * class, basic JDK value and collection types, and classes in {@code allowedPackages} (and
     * their subpackages) may be deserialized; anything else is refused with an
     * {@link IntegrityException} naming the class.
     */
    static ModelFlavor javaSerialized(String... allowedPackages) {
        return new JavaSerializedFlavor(dev.runlog.tracking.internal.Validation.notNull("allowedPackages", allowedPackages));
    }

    /**
     * The flavor registered under {@code name}: a built-in one, or one found through
     * {@link java.util.ServiceLoader}.
     *
     * @throws InvalidInputException if no flavor has this name
     */
    static ModelFlavor named(String name) {
        return ModelFlavors.named(dev.runlog.tracking.internal.Validation.notNull("name", name));
    }
}
