package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
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
 *   <li>{@link #json()}: records and POJOs, through Jackson; they load back as their class or as
 *       an interface or abstract class of yours they implement.</li>
 *   <li>{@link #files()}: a file or directory kept as it is (ONNX, PMML, XGBoost, a DJL model
 *       folder); it loads back as a {@link Path} to a copy owned by the tracker (see
 *       {@link #files()}).</li>
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
 * <p>A flavor found through {@link java.util.ServiceLoader} that answers {@link #stores(Object)}
 * for a model's type is also chosen by {@code logModel(path, model)} with no flavor given.
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

    /**
     * Reads back a model {@link #save saved} in {@code directory}, knowing the settings its
     * {@code save} returned (as the model's descriptor recorded them): what a flavor needs when the
     * payload alone does not say enough, such as the json flavor finding the concrete class of a
     * model loaded as an interface. Loading a logged model calls this method; the default ignores
     * the settings and calls {@link #load(Path, Class)}.
     *
     * @param settings what {@link #save} returned for this model; empty if nothing was recorded
     * @throws InvalidInputException if the stored model is not a {@code type}
     */
    default <T> T load(Path directory, Class<T> type, Map<String, String> settings) throws IOException {
        return load(directory, type);
    }

    /**
     * Whether this flavor is the one to store {@code model} when {@code logModel} is given no
     * flavor: a library's flavor answers {@code true} for its own model types (the xgboost flavor
     * for a {@code Booster}), so adding its module is all a user does. The built-in choice (files
     * for a {@link Path}) comes first, then the first registered flavor answering {@code true},
     * then json. The default answers {@code false}: the flavor is used only when named.
     *
     * @throws InvalidInputException if {@code model} is null
     */
    default boolean stores(Object model) {
        InputRules.notNull("model", model);
        return false;
    }

    /**
     * Records and POJOs as JSON, through Jackson. The descriptor records the model's class, so a
     * model may be loaded as that class or as an interface or abstract class (outside {@code java.*}
     * and {@code javax.*}) that it implements: the recorded class is then resolved, without running
     * its static initializer, and must be a concrete subtype of the type asked for, else the load
     * fails with an {@link InvalidInputException} naming both. Jackson's default typing is never
     * enabled, so the JSON itself cannot choose a class. Asked for as a JDK type ({@code Object},
     * {@code Map}, {@code List}, {@code TreeMap}), the JSON is read into that type by Jackson's own
     * mapping ({@code LinkedHashMap}, {@code ArrayList} for the interfaces), whatever class the
     * model was saved as; JSON that does not fit it fails naming both classes.
     */
    static ModelFlavor json() {
        return JsonFlavor.INSTANCE;
    }

    /**
     * A file or directory as it is; loads back as a {@link Path} to a copy the tracker owns, valid
     * until the tracker closes (which deletes it) or a {@code DeployedModel} holding it swaps it out
     * or closes; see {@link Tracker#loadModel(String, Class)}.
     */
    static ModelFlavor files() {
        return FilesFlavor.INSTANCE;
    }

    /**
     * Java serialization, for {@link java.io.Serializable} models. On load, only the model's own
     * class, basic JDK value and collection types, and classes in {@code allowedPackages} (and
     * their subpackages) may be deserialized; anything else is refused with a
     * {@link ClassNotAllowedException} that lists every refused class the model needs, found
     * without instantiating any of them, and the packages to allow if you trust the model.
     */
    static ModelFlavor javaSerialized(String... allowedPackages) {
        return new JavaSerializedFlavor(InputRules.notNull("allowedPackages", allowedPackages));
    }

    /**
     * The flavor registered under {@code name}: a built-in one, or one found through
     * {@link java.util.ServiceLoader}.
     *
     * @throws InvalidInputException if no flavor has this name
     */
    static ModelFlavor named(String name) {
        return ModelFlavors.named(InputRules.notNull("name", name));
    }
}
