package dev.runlog.registry;

import dev.runlog.registry.internal.DefaultModelRegistry;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import java.util.List;
import java.util.Optional;

/**
 * The model registry: names the models worth keeping, numbers their versions, moves them through
 * stages and aliases, and records every such change in an audit trail. It lives in the tracker's
 * store (the same SQLite file, or the same in-memory store), so a version always points to a run
 * that the tracker can read.
 *
 * <pre>{@code
 * try (Tracker tracker = Tracker.open("sqlite:runlog.db")) {
 *     ModelRegistry registry = ModelRegistry.of(tracker);
 *     ModelVersion v = registry.register("iris", model.uri());             // version 1, 2, ...
 *     registry.promote("iris", v.version(), Stage.PRODUCTION,
 *             Gates.metricAtLeast("accuracy", 0.9), Gates.beatsCurrent("accuracy"));
 *     Classifier c = registry.load("models:/iris/Production", Classifier.class);
 * }
 * }</pre>
 *
 * <h2>Model URIs</h2>
 * {@code models:/<name>/<version>}, {@code models:/<name>/<stage>} (the highest version in that
 * stage; stage names in any letter case), {@code models:/<name>@<alias>} and
 * {@code models:/<name>/latest} (the highest version).
 *
 * <h2>Concurrency</h2>
 * Every change is one transaction of the store. Threads and processes registering versions of one
 * model at once get distinct consecutive numbers; a transition with
 * {@link TransitionOptions#archiveExisting()} archives the other holders of the stage in the same
 * transaction, so concurrent promotions never leave two versions in it.
 *
 * <p>Instances are thread-safe and cheap; {@code of} may be called as often as convenient. Errors:
 * {@link dev.runlog.tracking.NotFoundException} for a missing model, version or alias,
 * {@link dev.runlog.tracking.ConflictException} for a name already taken,
 * {@link dev.runlog.tracking.InvalidInputException} for a malformed name, alias or URI,
 * {@link dev.runlog.tracking.IntegrityException} for a version whose model no longer matches what
 * was registered.
 */
public interface ModelRegistry {

    /**
     * The registry kept in {@code tracker}'s store.
     *
     * @throws dev.runlog.tracking.InvalidInputException if the tracker is null, or its store has no
     *         registry (a custom store without a {@code RegistryStoreProvider}); the message says
     *         what to add
     */
    static ModelRegistry of(Tracker tracker) {
        return DefaultModelRegistry.create(tracker);
    }

    // ---- registered models

    /**
     * Creates a registered model with no versions.
     *
     * @throws dev.runlog.tracking.ConflictException if the name is taken
     */
    RegisteredModel createModel(String name);

    /**
     * The registered model, with its latest versions per stage, tags and aliases.
     *
     * @throws dev.runlog.tracking.NotFoundException if there is no model of that name
     */
    RegisteredModel getModel(String name);

    /** Renames a model; its versions, tags, aliases and audit trail follow it. A rename to its own name changes and records nothing. */
    RegisteredModel renameModel(String name, String newName);

    /**
     * Replaces the model's description ({@code ""} clears it) and returns the model as it is now.
     *
     * @throws dev.runlog.tracking.NotFoundException if there is no model of that name
     */
    RegisteredModel updateDescription(String name, String description);

    /**
     * Sets a tag of the model, replacing its value if set; keys and values follow the tag rules
     * of runs.
     *
     * @throws dev.runlog.tracking.NotFoundException if there is no model of that name
     */
    void setModelTag(String name, String key, String value);

    /**
     * Removes a tag of the model; a key the model has no tag of is no error, unlike
     * {@link dev.runlog.tracking.Tracker#deleteTag} on a run.
     *
     * @throws dev.runlog.tracking.NotFoundException if there is no model of that name
     */
    void deleteModelTag(String name, String key);

    /** Deletes a model with all its versions; its audit trail is kept, ending with the deletion. */
    void deleteModel(String name);

    /**
     * The registered models matching a filter, by name. The filter uses the run search grammar with
     * the fields {@code name}, {@code creation_time}, {@code last_update_time} and {@code tags.<key>}:
     * {@code "name LIKE 'iris%' AND tags.team = 'vision'"}. Null or blank matches all.
     *
     * @throws dev.runlog.tracking.InvalidFilterException naming the position of a syntax error
     */
    List<RegisteredModel> searchModels(String filter);

    // ---- versions

    /**
     * Registers a logged model as the next version of {@code name}, creating the model if needed.
     * Every payload file is checked against the SHA-256 its descriptor lists, and the SHA-256 of
     * the descriptor's bytes is recorded as {@link ModelVersion#modelDigest()}.
     *
     * @param modelUri the {@code runs:/<runId>/<path>} URI of a model logged by a run
     * @throws dev.runlog.tracking.NotFoundException  if no model was logged there
     * @throws dev.runlog.tracking.IntegrityException naming a payload file that is missing or does
     *                                                not match (a model not wholly written); no
     *                                                version is made
     */
    ModelVersion register(String name, String modelUri);

    /**
     * One version of a model.
     *
     * @throws dev.runlog.tracking.NotFoundException naming the model if there is none of that name,
     *                                               else the version if it has none of that number
     */
    ModelVersion getVersion(String name, int version);

    /**
     * The model versions matching a filter, by model name and then newest version first. Fields:
     * {@code name}, {@code version}, {@code run_id}, {@code source}, {@code stage},
     * {@code user_id}, {@code creation_time}, {@code last_update_time} and {@code tags.<key>}:
     * {@code "name = 'iris' AND stage = 'Production'"}, {@code "run_id = '...'"}.
     */
    List<ModelVersion> searchVersions(String filter);

    /**
     * Replaces a version's description ({@code ""} clears it) and returns the version as it is now.
     *
     * @throws dev.runlog.tracking.NotFoundException if there is no such model or version
     */
    ModelVersion updateDescription(String name, int version, String description);

    /**
     * Sets a tag of a version, replacing its value if set; keys and values follow the tag rules of
     * runs.
     *
     * @throws dev.runlog.tracking.NotFoundException if there is no such model or version
     */
    void setVersionTag(String name, int version, String key, String value);

    /**
     * Removes a tag of a version; a key the version has no tag of is no error, as for
     * {@link #deleteModelTag}.
     *
     * @throws dev.runlog.tracking.NotFoundException if there is no such model or version
     */
    void deleteVersionTag(String name, int version, String key);

    /** Deletes a version and its aliases; its number is never given again. */
    void deleteVersion(String name, int version);

    // ---- stages

    /** {@link #transition(String, int, Stage, TransitionOptions)} with the default options. */
    ModelVersion transition(String name, int version, Stage stage);

    /**
     * Moves a version to a stage, recording it in the audit trail.
     *
     * @return the version in its new stage
     */
    ModelVersion transition(String name, int version, Stage stage, TransitionOptions options);

    /** The highest version in a stage, if any. */
    Optional<ModelVersion> latest(String name, Stage stage);

    /**
     * Moves a version to {@code target} if it passes every gate, archiving the previous holders of
     * the stage in the same transaction (the overload with {@link TransitionOptions} can keep them). Gates see the run that logged the version and the version
     * now in the stage; if another promotion lands while they are checked, they are checked again.
     * The audit trail's STAGE_CHANGED event of the promoted version records every gate's result
     * ({@link ModelEvent#gates()}), in the order given, as judged by the check that let it through.
     *
     * A version already in the target stage is promoted again like any other: its gates are
     * checked (against the stage's other holders, if any) and the promotion is recorded.
     *
     * @return the promoted version
     * @throws PromotionRejectedException listing every failed gate; nothing changed then, and
     *                                    nothing is added to the audit trail
     */
    ModelVersion promote(String name, int version, Stage target, Gate... gates);

    /**
     * {@link #promote(String, int, Stage, Gate...)} with a comment and user for the audit trail.
     * The previous holders are archived unless the options say {@code archiveExisting(false)}:
     * then they stay in the stage beside the promoted version, as MLflow's transitions leave them,
     * and gates such as {@link Gates#beatsCurrent} compare with the highest of them.
     */
    ModelVersion promote(String name, int version, Stage target, TransitionOptions options, Gate... gates);

    // ---- aliases

    /**
     * Points an alias at a version, moving it if it pointed elsewhere. Aliases are letters, digits,
     * {@code _} and {@code -}; {@code latest} and {@code v<digits>} are reserved.
     */
    ModelVersion setAlias(String name, String alias, int version);

    /**
     * Removes an alias of the model; the version it pointed at is kept.
     *
     * @throws dev.runlog.tracking.NotFoundException if there is no such model, or it has no such
     *                                               alias
     */
    void deleteAlias(String name, String alias);

    /**
     * The version an alias points at.
     *
     * @throws dev.runlog.tracking.NotFoundException naming the model if there is none of that name,
     *                                               else the alias if the model has none of that name
     */
    ModelVersion getByAlias(String name, String alias);

    // ---- URIs, loading, deployment

    /**
     * The version a {@code models:/} URI points to now, after checking that its model's descriptor
     * still has the SHA-256 recorded at registration (the payload is checked by {@code load}).
     *
     * @throws dev.runlog.tracking.IntegrityException naming the model and version if the
     *                                                descriptor changed or is gone
     */
    ModelVersion resolve(String modelsUri);

    /**
     * Loads the model a {@code models:/} URI points to now, through the flavor it was logged with.
     * A version serves the model it was registered with or nothing: its descriptor must still have
     * the recorded SHA-256, and each payload file the SHA-256 the descriptor lists.
     *
     * @throws dev.runlog.tracking.IntegrityException naming the model, the version and what changed
     */
    <T> T load(String modelsUri, Class<T> type);

    /** Loads with the given flavor instance, checked as {@link #load(String, Class)} is. */
    <T> T load(String modelsUri, Class<T> type, ModelFlavor flavor);

    /** A live handle on the highest version in {@code stage}; see {@link DeployedModel}. */
    <T> DeployedModel<T> deploy(String name, Stage stage, Class<T> type);

    /**
     * A live handle on the highest version in {@code stage}, loaded and followed with
     * {@code options}: a poll interval, or the flavor that loads each version, such as
     * {@code DeployOptions.defaults().flavor(ModelFlavor.javaSerialized("smile"))}.
     *
     * @throws dev.runlog.tracking.NotFoundException if the stage holds no version now
     */
    <T> DeployedModel<T> deploy(String name, Stage stage, Class<T> type, DeployOptions options);

    /** A live handle on the version an alias points to. */
    <T> DeployedModel<T> deploy(String name, String alias, Class<T> type);

    /**
     * A live handle on the version an alias points to, loaded and followed with {@code options}.
     *
     * @throws dev.runlog.tracking.NotFoundException if the alias points to nothing now
     */
    <T> DeployedModel<T> deploy(String name, String alias, Class<T> type, DeployOptions options);

    /**
     * A live handle on what a {@code models:/} URI points to, loaded now and followed with
     * {@code options}. Each version it swaps in is checked as {@link #load(String, Class)} checks;
     * one that fails keeps the previous version serving and is reported to the listeners, as is
     * a change to the files of the version being served.
     *
     * @throws dev.runlog.tracking.NotFoundException  if the URI points to nothing now
     * @throws dev.runlog.tracking.IntegrityException if that version's model changed since registration
     */
    <T> DeployedModel<T> deploy(String modelsUri, Class<T> type, DeployOptions options);

    // ---- audit trail

    /** Every recorded change of a model (under its current name), oldest first. */
    List<ModelEvent> history(String name);

    /** The recorded changes of one version, oldest first. */
    List<ModelEvent> history(String name, int version);
}
