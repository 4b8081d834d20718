package dev.runlog.xgboost.internal;

import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.ModelFlavor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * {@code xgboost}: a {@link Booster} in XGBoost's own UBJSON model format, the portable one any
 * XGBoost (Python, R, JVM) of a later version loads; never Java serialization, which would tie the
 * model to this class's byte layout and run code on load.
 */
public final class XGBoostFlavor implements ModelFlavor {
    /** The name recorded in the model's descriptor. */
    public static final String NAME = "xgboost";
    static final String FILE = "model.ubj";
    static final String FORMAT = "ubj";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean stores(Object model) {
        return model instanceof Booster;
    }

    @Override
    public Map<String, String> save(Object model, Path directory) throws IOException {
        if (!(model instanceof Booster booster)) {
            throw new InvalidInputException("The xgboost flavor stores an ml.dmlc.xgboost4j.java.Booster, not a "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        try {
            Files.write(directory.resolve(FILE), booster.toByteArray(FORMAT));
        } catch (XGBoostError e) {
            throw new IOException("XGBoost could not write the booster: " + e.getMessage(), e);
        }
        return Map.of("file", FILE, "format", FORMAT);
    }

    @Override
    public <T> T load(Path directory, Class<T> type) throws IOException {
        if (!type.isAssignableFrom(Booster.class)) {
            throw new InvalidInputException("An xgboost model loads as an ml.dmlc.xgboost4j.java.Booster, not a "
                    + type.getName());
        }
        Path file = directory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("This xgboost model has no " + FILE + " in its payload");
        }
        try {
            return type.cast(XGBoost.loadModel(Files.readAllBytes(file)));
        } catch (XGBoostError e) {
            throw new IOException("XGBoost could not read " + FILE + ": " + e.getMessage(), e);
        }
    }
}
