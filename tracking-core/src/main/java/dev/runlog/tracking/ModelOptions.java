package dev.runlog.tracking;

import dev.runlog.tracking.spi.InputRules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Options for {@link ActiveRun#logModel(String, Object, ModelOptions)}: the flavor, a signature, an
 * input example and user metadata. Immutable: each method returns a new instance.
 *
 * <pre>{@code
 * run.logModel("model", classifier, ModelOptions.defaults()
 *         .signature(signature)
 *         .inputExample(List.of(Map.of("sepal_length", 5.1, "sepal_width", 3.5)))
 *         .metadata("framework", "plain-java"));
 * }</pre>
 */
public final class ModelOptions {
    private final ModelFlavor flavor;
    private final ModelSignature signature;
    private final Object inputExample;
    private final Map<String, String> metadata;

    private ModelOptions(ModelFlavor flavor, ModelSignature signature, Object inputExample, Map<String, String> metadata) {
        this.flavor = flavor;
        this.signature = signature;
        this.inputExample = inputExample;
        this.metadata = Map.copyOf(InputRules.notNull("metadata", metadata));
    }

    /** No options: the flavor is chosen by the model's type. */
    public static ModelOptions defaults() {
        return new ModelOptions(null, null, null, Map.of());
    }

    public ModelOptions flavor(ModelFlavor flavor) {
        return new ModelOptions(InputRules.notNull("flavor", flavor), signature, inputExample, metadata);
    }

    public ModelOptions signature(ModelSignature signature) {
        return new ModelOptions(flavor, InputRules.notNull("signature", signature), inputExample, metadata);
    }

    /** An example of the model's input, stored as {@code input_example.json} (written by Jackson). */
    public ModelOptions inputExample(Object example) {
        return new ModelOptions(flavor, signature, InputRules.notNull("example", example), metadata);
    }

    /** A metadata entry recorded in the descriptor. */
    public ModelOptions metadata(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(metadata);
        more.put(InputRules.text("metadata key", InputRules.notNull("key", key)),
                InputRules.text("metadata value of '" + key + "'", InputRules.notNull("value", value)));
        return new ModelOptions(flavor, signature, inputExample, more);
    }

    public Optional<ModelFlavor> flavor() {
        return Optional.ofNullable(flavor);
    }

    public Optional<ModelSignature> signature() {
        return Optional.ofNullable(signature);
    }

    public Optional<Object> inputExample() {
        return Optional.ofNullable(inputExample);
    }

    public Map<String, String> metadata() {
        return metadata;
    }
}
