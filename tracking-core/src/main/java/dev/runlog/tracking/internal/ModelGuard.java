package dev.runlog.tracking.internal;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.spi.ArtifactPaths;
import dev.runlog.tracking.spi.TrackingStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A logged model is immutable: no artifact write may land in its directory, and no model may be
 * logged where one is, inside one, or around one. A directory holds a model when the tracking
 * store recorded an {@code MLmodel.json} in it for the run, or when a thread of this JVM is logging
 * a model there ({@link #reserve}): threads racing to log models at one path (or to write files
 * into a model being logged) get one model and {@link ConflictException}s, never a mix of their
 * payloads. The records are read before the first byte is written, so a refused write changes
 * nothing. Other processes and hand edits can slip past; the registry's descriptor digest catches
 * what they change.
 */
final class ModelGuard {
    private static final String DESCRIPTOR_SUFFIX = "/" + ModelDescriptor.FILE_NAME;
    /** Model paths being logged by this JVM's threads, by run id (run ids are unique across stores). */
    private static final Map<String, List<Claim>> BEING_LOGGED = new HashMap<>();

    /** A model path a thread is logging; its own files go in, no other thread's. */
    private record Claim(String path, Thread owner) {
    }

    private ModelGuard() {
    }

    /**
     * Refuses writing files at {@code paths} (normalized) if one of them is a logged model's
     * directory or lies under one.
     *
     * @throws ConflictException naming the path and the model it would change
     */
    static void checkFilesWritable(TrackingStore store, String runId, Collection<String> paths) {
        List<String> models = new ArrayList<>(modelDirectories(store.recordedArtifacts(runId)));
        synchronized (BEING_LOGGED) {
            for (Claim claim : BEING_LOGGED.getOrDefault(runId, List.of())) {
                if (claim.owner() != Thread.currentThread()) {
                    models.add(claim.path());
                }
            }
        }
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
     * directory above it, or in a directory below it, or if an artifact is there already that no
     * logModel writes (a model's directory holds its descriptor, payload and input example only, as
     * an archive of it is checked; those of a logModel cut short before its descriptor are taken over).
     *
     * @throws ConflictException naming the path and the model or artifact in the way
     */
    static void checkModelPathFree(TrackingStore store, String runId, String modelPath) {
        List<ArtifactEntry> recorded = store.recordedArtifacts(runId);
        for (String model : modelDirectories(recorded)) {
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
        String payload = ArtifactPaths.join(modelPath, ModelDescriptor.PAYLOAD_DIR);
        String example = ArtifactPaths.join(modelPath, ModelDescriptor.INPUT_EXAMPLE);
        for (ArtifactEntry artifact : recorded) {
            // A model's own files without a descriptor are what a logModel cut short left: the path takes it again.
            boolean leftByModel = isSameOrUnder(artifact.path(), payload) || artifact.path().equals(example);
            if (isSameOrUnder(artifact.path(), modelPath) && !leftByModel) {
                throw new ConflictException("Cannot log a model at '" + modelPath + "' of run " + runId + ": the artifact '"
                        + artifact.path() + "' is there already, and a model's directory holds only the model;"
                        + " log it under another path");
            }
        }
    }

    /**
     * Refuses {@code path} if its file is named like a model descriptor (any letter case): only
     * logModel writes one, else an upload made on a run's behalf could make any files pass for a
     * logged model.
     *
     * @throws InvalidInputException naming the path
     */
    static void checkNotADescriptor(String path) {
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        if (name.equalsIgnoreCase(ModelDescriptor.FILE_NAME)) {
            throw new InvalidInputException("Artifact path '" + path + "': " + ModelDescriptor.FILE_NAME + " is the descriptor"
                    + " of a model logged through Runlog's API (logModel), not a file uploaded on a run's behalf");
        }
    }

    /**
     * Claims {@code modelPath} of the run for the calling thread's {@code logModel}, until the
     * returned handle is closed; then checks it as {@link #checkModelPathFree} does, so that of
     * threads racing on one path the first logs and the others are refused.
     *
     * @throws ConflictException if another thread is logging a model at, above or below that path,
     *                           or one is logged there
     */
    static Reservation reserve(TrackingStore store, String runId, String modelPath) {
        Claim claim = new Claim(modelPath, Thread.currentThread());
        synchronized (BEING_LOGGED) {
            for (Claim other : BEING_LOGGED.getOrDefault(runId, List.of())) {
                if (isSameOrUnder(modelPath, other.path()) || isSameOrUnder(other.path(), modelPath)) {
                    throw new ConflictException("Cannot log a model at '" + modelPath + "' of run " + runId
                            + ": another thread is logging the model at '" + other.path() + "'");
                }
            }
            BEING_LOGGED.computeIfAbsent(runId, id -> new ArrayList<>()).add(claim);
        }
        Reservation release = () -> {
            synchronized (BEING_LOGGED) {
                List<Claim> claims = BEING_LOGGED.get(runId);
                claims.remove(claim);
                if (claims.isEmpty()) {
                    BEING_LOGGED.remove(runId);
                }
            }
        };
        try {
            checkModelPathFree(store, runId, modelPath);
        } catch (RuntimeException e) {
            release.close();
            throw e;
        }
        return release;
    }

    /** A claim made by {@link #reserve}; closing it gives the path up. */
    interface Reservation extends AutoCloseable {
        @Override
        void close();
    }

    /** Whether {@code path} is {@code dir} or a path below it. */
    private static boolean isSameOrUnder(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    /** The directories of the run holding a recorded model descriptor. */
    private static List<String> modelDirectories(List<ArtifactEntry> recorded) {
        return recorded.stream()
                .map(ArtifactEntry::path)
                .filter(path -> path.endsWith(DESCRIPTOR_SUFFIX))
                .map(path -> path.substring(0, path.length() - DESCRIPTOR_SUFFIX.length()))
                .toList();
    }
}
