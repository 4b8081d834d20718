package dev.runlog.tracking.spi;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.InvalidFilterException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link Tracker} offers an extension that keeps its own data beside the tracking data, such
 * as the model registry: its stores and clock, models pinned by the digest of their descriptor,
 * the search grammar for the extension's own rows, and closing the extension's store with the
 * tracker. Every tracker made by {@code Tracker.open}, {@code Tracker.inMemory} or
 * {@code Tracker.builder} implements it; another implementation of {@link Tracker} may too.
 *
 * <pre>{@code
 * TrackerAccess access = TrackerAccess.of(tracker);
 * RegistryStore registry = provider.forTrackingStore(access.stores().tracking()).orElseThrow();
 * access.closeWithTracker(registry);
 * }</pre>
 *
 * <p>{@link #pin}, {@link #checkDescriptor}, {@link #load} and {@link #closeWithTracker} throw
 * {@link dev.runlog.tracking.RunlogException} once the tracker is closed.
 */
public interface TrackerAccess {

    /**
     * The access of a tracker that offers it.
     *
     * @throws InvalidInputException for a tracker that does not implement this interface (its stores
     *                               cannot be known), or null
     */
    static TrackerAccess of(Tracker tracker) {
        if (tracker instanceof TrackerAccess access) {
            return access;
        }
        throw new InvalidInputException("tracker " + (tracker == null ? "null" : tracker.getClass().getName())
                + " was not made by Tracker.open, Tracker.inMemory or Tracker.builder, so its stores are unknown");
    }

    /** The stores the tracker writes to and its clock. */
    TrackerStores stores();

    /**
     * Reads the model logged at a {@code runs:/} URI and checks that every payload file its
     * descriptor ({@code MLmodel.json}) lists is stored with the recorded size, so that only a
     * whole model is pinned. It reads listings, not the payload, so pinning a model of gigabytes
     * costs no more than a small one; the SHA-256 of every file is checked by each
     * {@link #load}.
     *
     * @throws NotFoundException  if no model was logged there (a model cut short while being
     *                            written has no descriptor: it is written last)
     * @throws IntegrityException naming a payload file that is missing or has another size
     */
    PinnedModel pin(String runsUri);

    /**
     * Checks that the descriptor of the model at a {@code runs:/} URI still has the SHA-256
     * recorded when it was pinned. Reads the descriptor only, not the payload.
     *
     * @throws IntegrityException if the descriptor changed or is gone
     */
    void checkDescriptor(String runsUri, String descriptorSha256);

    /**
     * Loads the model at a {@code runs:/} URI as {@link Tracker#loadModel} does, first checking its
     * descriptor against {@code descriptorSha256} when one is given (a model pinned before digests
     * were recorded has none: its payload files are still checked against its descriptor).
     *
     * @param flavor the flavor to load with; empty for the one the model was logged with
     * @throws IntegrityException if the descriptor changed, or a payload file is missing or changed
     */
    <T> T load(String runsUri, Class<T> type, Optional<ModelFlavor> flavor, Optional<String> descriptorSha256);

    /**
     * Deletes the tracker's copy behind a model {@link #load} returned (a files-flavor
     * {@code Path}) once nothing serves it any more; does nothing for another object.
     *
     * @return whether a copy was deleted
     */
    boolean releaseLoadedModel(Object model);

    /**
     * Parses a registered-model filter (fields {@code name, creation_time, last_update_time},
     * {@code tags.<key>}) in the run search grammar.
     *
     * @throws InvalidFilterException naming the column and what was expected there
     */
    SearchFilter parseRegisteredModelFilter(String filter);

    /**
     * Parses a model-version filter (fields {@code name, version, run_id, source, stage, user_id,
     * creation_time, last_update_time}, {@code tags.<key>}) in the run search grammar.
     *
     * @throws InvalidFilterException naming the column and what was expected there
     */
    SearchFilter parseModelVersionFilter(String filter);

    /**
     * Evaluates a parsed filter over a row whose fields have at most one value each, with the
     * semantics every store keeps (see {@link SearchFilter}).
     *
     * @param fieldValue a field's value: a {@code String}, a {@code Double}, or null when the row
     *                   lacks it
     */
    boolean matches(SearchFilter filter, Function<SearchField, Object> fieldValue);

    /**
     * Closes {@code resource} when the tracker closes, before its own stores, so that an extension's
     * store sharing their storage is closed first. Registering the same object again changes nothing.
     */
    void closeWithTracker(AutoCloseable resource);

    /**
     * Stores {@code content} as the artifact at {@code path} of run {@code runId} and records it,
     * under the rules an {@code ActiveRun}'s {@code logArtifact} applies, for code that writes
     * artifacts on a run's behalf (the server's MLflow artifact proxy): the path is checked, and
     * one in a logged model's directory is refused before a byte is written, since a logged model
     * is immutable. A file named {@code MLmodel.json} (in any letter case) is refused too: only
     * {@code logModel} writes a model's descriptor, so an upload cannot make files pass for a
     * logged model. A file already at the path is replaced, as {@code logArtifact} replaces one.
     *
     * @throws ConflictException     if {@code path} is a logged model's directory or lies under one
     * @throws InvalidInputException if {@code path} breaks the artifact path rules or names a model descriptor
     */
    ArtifactEntry uploadArtifact(String runId, String path, InputStream content);

    /**
     * A logged model and the SHA-256 of its descriptor bytes.
     *
     * @param model            the model as its descriptor records it
     * @param descriptorSha256 SHA-256 of the descriptor's bytes, 64 lowercase hex characters
     */
    record PinnedModel(LoggedModel model, String descriptorSha256) {
        public PinnedModel {
            InputRules.notNull("model", model);
            InputRules.notNull("descriptorSha256", descriptorSha256);
        }
    }
}
