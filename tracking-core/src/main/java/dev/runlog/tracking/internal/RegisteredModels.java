package dev.runlog.tracking.internal;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.TrackerStores;
import java.io.IOException;

/**
 * For the model registry: a logged model pinned by the SHA-256 of its descriptor bytes
 * ({@code MLmodel.json}, which lists the SHA-256 of every payload file), so that a registered
 * version keeps serving the model it was registered with. Not an API: the registry's internals
 * call it with a tracker made by {@code Tracker.open}, {@code inMemory} or {@code builder}.
 */
public final class RegisteredModels {
    private RegisteredModels() {
    }

    /**
     * A logged model and the SHA-256 of its descriptor bytes.
     *
     * @param model            the model as its descriptor records it
     * @param descriptorSha256 SHA-256 of the descriptor's bytes, 64 lowercase hex characters
     */
    public record Pinned(LoggedModel model, String descriptorSha256) {
    }

    /**
     * Reads the model at a {@code runs:/} URI and checks every payload file against the SHA-256
     * its descriptor lists, so that only a whole model is pinned.
     *
     * @throws NotFoundException  if no model was logged there (no descriptor; a model cut short
     *                            while being written has none, since its descriptor is written last)
     * @throws IntegrityException naming a payload file that is missing or does not match
     */
    public static Pinned pin(Tracker tracker, String runsUri) {
        DefaultTracker t = of(tracker);
        ModelSupport.ModelUri uri = ModelSupport.ModelUri.parse(runsUri);
        t.getRun(uri.runId());
        byte[] bytes = ModelSupport.descriptorBytes(t, uri);
        String digest = ModelSupport.sha256(bytes);
        ModelDescriptor descriptor = ModelSupport.parseDescriptor(uri, bytes);
        try {
            ModelSupport.copyVerifiedPayload(t, uri, descriptor, null);
        } catch (IOException e) {
            throw new StoreException("Could not read the payload of model " + runsUri + ": " + e.getMessage(), e);
        }
        return new Pinned(descriptor.model, digest);
    }

    /**
     * Checks that the descriptor of the model at a {@code runs:/} URI still has the SHA-256
     * recorded when it was pinned. Reads the descriptor only, not the payload.
     *
     * @throws IntegrityException if the descriptor changed or is gone
     */
    public static void checkDescriptor(Tracker tracker, String runsUri, String descriptorSha256) {
        ModelSupport.checkedDescriptor(of(tracker), ModelSupport.ModelUri.parse(runsUri), Validation.notNull("digest", descriptorSha256));
    }

    /**
     * Loads the model at a {@code runs:/} URI as {@link Tracker#loadModel} does, and first checks
     * its descriptor against {@code descriptorSha256} unless that is null (a version registered
     * before digests were recorded: its payload files are still checked against the descriptor).
     *
     * @param flavor the flavor to load with, or null for the one the model was logged with
     * @throws IntegrityException if the descriptor changed, or a payload file is missing or changed
     */
    public static <T> T load(Tracker tracker, String runsUri, Class<T> type, ModelFlavor flavor,
                             String descriptorSha256) {
        return ModelSupport.load(of(tracker), runsUri, type, flavor, descriptorSha256);
    }

    private static DefaultTracker of(Tracker tracker) {
        TrackerStores.of(tracker); // refuses, naming it, a tracker of another implementation
        DefaultTracker t = (DefaultTracker) tracker;
        t.checkOpen();
        return t;
    }
}
