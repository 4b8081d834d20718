package dev.runlog.tracking;

import java.util.List;

/**
 * A java-serialized model needs classes its loader does not allow. This is a policy decision, not
 * damage: the bytes may be exactly what was logged, but deserializing a class runs code chosen by
 * whoever wrote them, so only the model's own class, basic JDK values and collections, and the
 * packages named in {@link ModelFlavor#javaSerialized(String...)} are let through.
 *
 * <p>{@link #refusedClasses()} lists every class the stream needs that the filter refuses, found
 * without instantiating any of them, so one try tells which packages to allow. If you trust the
 * model, load it again with those packages allowed:
 * {@code tracker.loadModel(uri, Forest.class, ModelFlavor.javaSerialized("smile.classification", "smile.util"))}.
 */
public class ClassNotAllowedException extends RunlogException {
    private static final long serialVersionUID = 1L;

    private final List<String> refusedClasses;

    /**
     * @param message        what was refused and how to allow it
     * @param refusedClasses the binary names of the refused classes ({@code [Lfoo.Bar;} for an array
     *                       type), in the order the stream first needs them
     */
    public ClassNotAllowedException(String message, List<String> refusedClasses) {
        super(message);
        this.refusedClasses = List.copyOf(refusedClasses);
    }

    /**
     * The classes the stream needs and the filter refuses, in the order the stream first needs them,
     * each once; never empty.
     */
    public List<String> refusedClasses() {
        return refusedClasses;
    }
}
