package dev.runlog.registry.spi;

import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import java.util.List;
import java.util.Optional;

/**
 * Where a model registry keeps registered models, versions, aliases and the audit trail. The
 * registry validates names and arguments before calling a store; a store guarantees atomicity:
 * every mutating method is one transaction that also appends its {@link ModelEvent}s, and version
 * numbers are assigned without gaps or repeats even when several processes share the store.
 *
 * <p>Errors: {@link dev.runlog.tracking.NotFoundException} for a missing model, version or alias,
 * {@link dev.runlog.tracking.ConflictException} for a taken name or a failed
 * {@link StageTransition#expectedIncumbent()}, {@link dev.runlog.tracking.StoreException} when the
 * storage fails. The contract kit in {@code storage-tck}
 * ({@code RegistryStoreCompatibilityKit}) checks all of this.
 */
public interface RegistryStore {

    /** Creates a model; conflict if the name is taken. */
    RegisteredModel createModel(String name, Change change);

    Optional<RegisteredModel> getModel(String name);

    /** All models, by name. */
    List<RegisteredModel> listModels();

    /** Renames a model with its versions, tags, aliases and past events; conflict if {@code newName} is taken. */
    RegisteredModel renameModel(String name, String newName, Change change);

    RegisteredModel updateModelDescription(String name, String description, Change change);

    /** Sets a model tag, or removes it when {@code value} is null. */
    void setModelTag(String name, String key, String value, Change change);

    /** Deletes a model with its versions, tags and aliases, appending a MODEL_DELETED event. */
    void deleteModel(String name, Change change);

    /**
     * Registers the next version of {@code name}, creating the model (and a MODEL_CREATED event)
     * if needed: one more than the highest number ever given under this name. The store keeps
     * {@code modelDigest} with the version and returns it in {@link ModelVersion#modelDigest()}
     * from every read, unchanged for the version's life.
     *
     * @param modelDigest SHA-256 of the logged model's descriptor bytes, 64 lowercase hex characters
     */
    ModelVersion createVersion(String name, String source, String runId, String modelDigest, Change change);

    Optional<ModelVersion> getVersion(String name, int version);

    /** The versions of one model, or of all when {@code name} is null, by name then version. */
    List<ModelVersion> listVersions(String name);

    ModelVersion updateVersionDescription(String name, int version, String description, Change change);

    /** Sets a version tag, or removes it when {@code value} is null. */
    void setVersionTag(String name, int version, String key, String value, Change change);

    void deleteVersion(String name, int version, Change change);

    /**
     * Carries out a transition, appending one STAGE_CHANGED event per version moved.
     *
     * @return the moved version in its new stage
     */
    ModelVersion transition(StageTransition transition, Change change);

    /** The highest version in a stage, or, when {@code stage} is null, the highest version. */
    Optional<ModelVersion> latest(String name, Stage stage);

    /** Points an alias at a version, appending an ALIAS_SET event. */
    ModelVersion setAlias(String name, String alias, int version, Change change);

    /** Removes an alias, appending an ALIAS_DELETED event; not found if the alias is not set. */
    void deleteAlias(String name, String alias, Change change);

    Optional<ModelVersion> versionByAlias(String name, String alias);

    /** The events of a model under its current name, oldest first. */
    List<ModelEvent> history(String name);
}
