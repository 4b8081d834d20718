package dev.runlog.tracking.internal;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.spi.TrackingStore;
import java.util.Collection;
import java.util.List;

/**
 * A logged model is immutable: no artifact write may land in its directory, and no model may be
 * logged where one is, inside one, or around one. A directory holds a model when the tracking
 * store recorded an {@code MLmodel.json} in it for the run. The records are read before the first
 * byte is written, so a refused write changes nothing. Writers racing on one path, other processes
 * and hand edits can slip past; the registry's descriptor digest catches what they change.
 */
final class ModelGuard {
    private static final String DESCRIPTOR_SUFFIX = "/" + ModelDescriptor.FILE_NAME;

    private ModelGuard() {
    }

    /**
     * Refuses writing files at {@code paths} (normalized) if one of them is a logged model's
     * directory or lies under one.
     *
     * @throws ConflictException naming the path and the model it would change
     */
    static void checkFilesWritable(TrackingStore store, String runId, Collection<String> paths) {
        List<String> models = modelDirectories(store, runId);
        if (models.isEmpty()) {
            return;
        }
        for (String path : paths) {
            for (String model : models) {
                if (isSameOrUnder(path, model)) {
                    throw new ConflictException("Cannot write artifact '" + path + "' of run " + runId
                            + ": it is in the model logged at '" + model + "', and a logged model is immutable;"
                            + " write it under another path");
                }
            }
        }
    }

    /**
     * Refuses logging a model at {@code modelPath} (normalized) if a model is logged there, in a
     * directory above it, or in a directory below it.
     *
     * @throws ConflictException naming the path and the model in the way
     */
    static void checkModelPathFree(TrackingStore store, String runId, String modelPath) {
        for (String model : modelDirectories(store, runId)) {
            String why;
            if (model.equals(modelPath)) {
                why = "a model is already logged there";
            } else if (isSameOrUnder(modelPath, model)) {
                why = "it is inside the model logged at '" + model + "'";
            } else if (isSameOrUnder(model, modelPath)) {
                why = "it would contain the model logged at '" + model + "'";
            } else {
                continue;
            }
            throw new ConflictException("Cannot log a model at '" + modelPath + "' of run " + runId + ": " + why
                    + "; a logged model is immutable, log the new one under another path");
        }
    }

    /** Whether {@code path} is {@code dir} or a path below it. */
    private static boolean isSameOrUnder(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    /** The directories of the run holding a recorded model descriptor. */
    private static List<String> modelDirectories(TrackingStore store, String runId) {
        return store.recordedArtifacts(runId).stream()
                .map(ArtifactEntry::path)
                .filter(path -> path.endsWith(DESCRIPTOR_SUFFIX))
                .map(path -> path.substring(0, path.length() - DESCRIPTOR_SUFFIX.length()))
                .toList();
    }
}
