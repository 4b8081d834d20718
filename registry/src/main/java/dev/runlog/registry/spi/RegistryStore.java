package dev.runlog.registry.spi;

import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.Plugins;
import dev.runlog.tracking.spi.TrackerAccess;
import dev.runlog.tracking.spi.TrackerStores;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Where a model registry keeps registered models, versions, aliases and the audit trail. The
 * registry validates names and arguments before calling a store; a store guarantees atomicity:
 * every mutating method is one transaction that also appends its {@link ModelEvent}s, and version
 * numbers are assigned without gaps or repeats even when several processes share the store.
 *
 * <p>Errors: {@link dev.runlog.tracking.NotFoundException} for a missing model, version or alias,
 * {@link dev.runlog.tracking.ConflictException} for a taken name or a failed
 * {@link StageTransition#expectedIncumbent()}, each made by {@link RegistryErrors} so that every
 * store words them alike; {@link dev.runlog.tracking.StoreException} when the storage fails. The
 * audit entries come from the registry: a store records the {@link Change} it is given (and, for
 * versions a transition archives, {@link StageTransition#archiving()}), never text of its own:
 * its time, user, comment and {@link Change#gates() gates}, which {@link #history} returns as given.
 *
 * <p>Arguments are never null: an optional argument is an {@link Optional}. The contract kit in
 * {@code storage-tck} ({@code RegistryStoreCompatibilityKit}) checks all of this.
 */
public interface RegistryStore extends AutoCloseable {

    /** Creates a model; conflict if the name is taken. */
    RegisteredModel createModel(String name, Change change);

    Optional<RegisteredModel> getModel(String name);

    /** All models, by name. */
    List<RegisteredModel> listModels();

    /** Renames a model with its versions, tags, aliases and past events; conflict if {@code newName} is taken. */
    RegisteredModel renameModel(String name, String newName, Change change);

    RegisteredModel updateModelDescription(String name, String description, Change change);

    /** Sets a model tag to {@code value}, or removes it when {@code value} is empty. */
    void setModelTag(String name, String key, Optional<String> value, Change change);

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

    /** The versions of the model {@code name}, or of every model when it is empty, by name then version. */
    List<ModelVersion> listVersions(Optional<String> name);

    ModelVersion updateVersionDescription(String name, int version, String description, Change change);

    /** Sets a version tag to {@code value}, or removes it when {@code value} is empty. */
    void setVersionTag(String name, int version, String key, Optional<String> value, Change change);

    void deleteVersion(String name, int version, Change change);

    /**
     * Carries out a transition, appending one STAGE_CHANGED event per version moved: the moved
     * version's with {@code change} (and so with its gates, when it is a promotion's), each archived
     * version's with {@link StageTransition#archiving()}.
     *
     * @return the moved version in its new stage
     */
    ModelVersion transition(StageTransition transition, Change change);

    /** The highest version in {@code stage}, or, when it is empty, the highest version. */
    Optional<ModelVersion> latest(String name, Optional<Stage> stage);

    /** Points an alias at a version, appending an ALIAS_SET event. */
    ModelVersion setAlias(String name, String alias, int version, Change change);

    /** Removes an alias, appending an ALIAS_DELETED event; not found if the alias is not set. */
    void deleteAlias(String name, String alias, Change change);

    Optional<ModelVersion> versionByAlias(String name, String alias);

    /** The events of a model under its current name, oldest first. */
    List<ModelEvent> history(String name);

    /**
     * Stores a registered model that exists elsewhere as it is ({@link ModelSnapshot}): the model,
     * its versions keeping their numbers, stages, times, users and digests, its aliases, and its audit
     * trail with its times, users, comments and gates, all in one transaction. The next version
     * registered gets {@link ModelSnapshot#nextVersion()}. Events keep their sequence numbers when
     * none of them is taken in this store; otherwise they are numbered after the store's highest, in
     * their order.
     *
     * @throws dev.runlog.tracking.ConflictException     naming the model if its name is taken
     * @throws dev.runlog.tracking.InvalidInputException if the store cannot import (the default)
     */
    default void importModel(ModelSnapshot snapshot) {
        InputRules.notNull("snapshot", snapshot);
        throw new InvalidInputException(getClass().getName() + " cannot import models");
    }

    /**
     * Asks to hear of changes as they commit, so that a {@link dev.runlog.registry.DeployedModel}
     * can swap at once instead of at its next poll. After this returns, {@code onChange} runs soon
     * after every committed change of this store's models that can move what a stage or alias
     * points to (a registration, a transition, an alias set or deleted, a version or model deleted
     * or renamed), whichever process made it, until the subscription is closed. It may also run
     * when nothing changed (for instance after the store lost and regained its way of hearing
     * changes, when some may have been missed), and it carries no detail: the subscriber reads the
     * store again. It runs on a thread of the store's and must return quickly.
     *
     * <p>Hearing is best effort: a subscriber still polls, and a change the store could not report
     * is seen at the next poll. The default, for stores with no way to hear other processes'
     * changes, never calls {@code onChange}.
     *
     * @return what stops the calls; closing it twice does nothing
     * @throws InvalidInputException if {@code onChange} is null
     */
    default Subscription subscribe(Runnable onChange) {
        InputRules.notNull("onChange", onChange);
        return () -> { };
    }

    /** Ends a {@link #subscribe} subscription. */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        /** Stops the calls to the subscriber (one already under way may still finish); idempotent. */
        @Override
        void close();
    }

    /**
     * The registry store of {@code tracker}'s store, as {@link ModelRegistry#of} finds it, closed with
     * the tracker: for copies and importers that write what already happened.
     *
     * @throws InvalidInputException if the tracker is null or its store has no registry
     */
    static RegistryStore of(Tracker tracker) {
        InputRules.notNull("tracker", tracker);
        TrackerAccess access = TrackerAccess.of(tracker);
        TrackerStores stores = access.stores();
        // Fallbacks last, wherever the loader lists them: the built-in one answers for any store that
        // keeps its data in memory, so asked first it would shadow a provider that knows the store
        // (one for a decorator of an in-memory store, say).
        java.util.List<RegistryStoreProvider> ordered = new java.util.ArrayList<>();
        java.util.List<RegistryStoreProvider> fallbacks = new java.util.ArrayList<>();
        for (RegistryStoreProvider provider : Plugins.load(RegistryStoreProvider.class,
                loader -> ServiceLoader.load(RegistryStoreProvider.class, loader))) {
            (provider.isFallback() ? fallbacks : ordered).add(provider);
        }
        ordered.addAll(fallbacks);
        for (RegistryStoreProvider provider : ordered) {
            Optional<RegistryStore> store = provider.forTrackingStore(stores.tracking());
            if (store.isPresent()) {
                access.closeWithTracker(store.get());
                return store.get();
            }
        }
        // Not a StoreException: retrying cannot help; the classpath or the store must change.
        throw new InvalidInputException("No model registry is available for tracking store "
                + stores.tracking().getClass().getName() + "; the in-memory and SQLite stores have one (for SQLite add"
                + " the module dev.runlog:storage-sqlite), a custom store needs a"
                + " dev.runlog.registry.spi.RegistryStoreProvider registered in META-INF/services");
    }

    /**
     * Releases what this registry store holds of its own. Storage it shares with its tracking store
     * (the same database) stays open until that store closes. The tracker closes it, before its own
     * stores, when it closes. Idempotent.
     */
    @Override
    void close();
}
