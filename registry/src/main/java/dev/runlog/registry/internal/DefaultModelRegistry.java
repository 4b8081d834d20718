package dev.runlog.registry.internal;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.Gate;
import dev.runlog.registry.GateResult;
import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.PromotionCandidate;
import dev.runlog.registry.PromotionRejectedException;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.registry.spi.RegistryNames;
import dev.runlog.registry.spi.Change;
import dev.runlog.registry.spi.IncumbentChangedException;
import dev.runlog.registry.spi.RegistryErrors;
import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.registry.spi.StageTransition;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import dev.runlog.tracking.spi.SearchFilter;
import dev.runlog.tracking.spi.TrackerAccess;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/** The registry on top of a {@link RegistryStore}: validation, URIs, gates, deployment. */
public final class DefaultModelRegistry implements ModelRegistry {
    private static final int PROMOTION_ATTEMPTS = 20;

    private final Tracker tracker;
    private final TrackerAccess access;
    private final RegistryStore store;
    private final Clock clock;
    private final String processUser;
    private volatile boolean trackerClosed;

    DefaultModelRegistry(Tracker tracker, TrackerAccess access, RegistryStore store, Clock clock) {
        this.tracker = tracker;
        this.access = access;
        this.store = store;
        this.clock = clock;
        String user = System.getProperty("user.name");
        this.processUser = user == null ? "" : user;
    }

    public static ModelRegistry create(Tracker tracker) {
        TrackerAccess access = TrackerAccess.of(InputRules.notNull("tracker", tracker));
        DefaultModelRegistry registry = new DefaultModelRegistry(tracker, access, RegistryStore.of(tracker),
                access.stores().clock());
        access.closeWithTracker(() -> registry.trackerClosed = true);
        return registry;
    }

    /**
     * The registry store, while the tracker is open. Once it closed, the store's own failure would
     * be about its storage (a closed connection, which reads as worth retrying) or, in memory, no
     * failure at all; the caller is told what happened instead, as the tracker tells it.
     */
    private RegistryStore store() {
        if (trackerClosed) {
            throw new RunlogException("The tracker of this model registry is closed; open the store again and"
                    + " make a new ModelRegistry of it");
        }
        return store;
    }

    private Change change() {
        return new Change(now(), processUser, "");
    }

    // ---- registered models

    @Override
    public RegisteredModel createModel(String name) {
        return store().createModel(RegistryNames.model(name), change());
    }

    @Override
    public RegisteredModel getModel(String name) {
        return store().getModel(RegistryNames.model(name)).orElseThrow(() -> RegistryErrors.noModel(name));
    }

    @Override
    public RegisteredModel renameModel(String name, String newName) {
        RegistryNames.model(name);
        RegistryNames.model(newName);
        if (name.equals(newName)) {
            // Nothing moves, so nothing is recorded: a MODEL_RENAMED event from a name to itself is noise in the trail.
            return store().getModel(name).orElseThrow(() -> RegistryErrors.noModel(name));
        }
        // A trail is kept by name: moving a model's events under the name of a deleted model would
        // interleave the two trails, and no later rename could tell them apart again.
        if (store().getModel(newName).isEmpty() && !store().history(newName).isEmpty()) {
            throw new ConflictException("Cannot rename model '" + name + "' to '" + newName + "': a deleted model of"
                    + " that name keeps its audit trail under it; choose a name no model has had");
        }
        return store().renameModel(name, newName, change());
    }

    @Override
    public RegisteredModel updateDescription(String name, String description) {
        return store().updateModelDescription(RegistryNames.model(name), RegistryNames.description(description),
                change());
    }

    @Override
    public void setModelTag(String name, String key, String value) {
        store().setModelTag(RegistryNames.model(name), InputRules.key("tag", key),
                Optional.of(InputRules.tagValue(key, value)),
                change());
    }

    @Override
    public void deleteModelTag(String name, String key) {
        store().setModelTag(RegistryNames.model(name), InputRules.key("tag", key), Optional.empty(), change());
    }

    @Override
    public void deleteModel(String name) {
        store().deleteModel(RegistryNames.model(name), change());
    }

    @Override
    public List<RegisteredModel> searchModels(String filter) {
        SearchFilter parsed = access.parseRegisteredModelFilter(filter);
        return store().listModels().stream()
                .filter(m -> access.matches(parsed, field -> RegistryFields.of(m, field)))
                .sorted(Comparator.comparing(RegisteredModel::name))
                .toList();
    }

    // ---- versions

    @Override
    public ModelVersion register(String name, String modelUri) {
        RegistryNames.model(name);
        InputRules.notNull("model URI", modelUri);
        if (!modelUri.startsWith("runs:/")) {
            throw new InvalidInputException("model URI '" + modelUri + "' is not a runs:/<runId>/<path> URI of a"
                    + " logged model; register the URI that logModel returned");
        }
        TrackerAccess.PinnedModel pinned;
        try {
            pinned = access.pin(modelUri);
        } catch (IntegrityException e) {
            throw new IntegrityException("Cannot register " + modelUri + " as a version of model '" + name + "': "
                    + e.getMessage(), e);
        }
        LoggedModel model = pinned.model();
        return store().createVersion(name, model.uri(), model.runId(), pinned.descriptorSha256(), change());
    }

    @Override
    public ModelVersion getVersion(String name, int version) {
        return store().getVersion(RegistryNames.model(name), RegistryNames.version(version))
                .orElseThrow(() -> missingVersion(name, version));
    }

    /** A missing version, or, more helpfully, a missing model. */
    private NotFoundException missingVersion(String name, int version) {
        return store().getModel(name).isEmpty() ? RegistryErrors.noModel(name) : RegistryErrors.noVersion(name, version);
    }

    @Override
    public List<ModelVersion> searchVersions(String filter) {
        SearchFilter parsed = RegistryFields.stageNamesIgnoringCase(filter, access.parseModelVersionFilter(filter));
        return store().listVersions(Optional.ofNullable(RegistryFields.onlyName(parsed))).stream()
                .filter(v -> access.matches(parsed, field -> RegistryFields.of(v, field)))
                .sorted(Comparator.comparing(ModelVersion::name)
                        .thenComparing(Comparator.comparingInt(ModelVersion::version).reversed()))
                .toList();
    }

    @Override
    public ModelVersion updateDescription(String name, int version, String description) {
        return store().updateVersionDescription(RegistryNames.model(name), RegistryNames.version(version),
                RegistryNames.description(description), change());
    }

    @Override
    public void setVersionTag(String name, int version, String key, String value) {
        store().setVersionTag(RegistryNames.model(name), RegistryNames.version(version), InputRules.key("tag", key),
                Optional.of(InputRules.tagValue(key, value)), change());
    }

    @Override
    public void deleteVersionTag(String name, int version, String key) {
        store().setVersionTag(RegistryNames.model(name), RegistryNames.version(version), InputRules.key("tag", key),
                Optional.empty(), change());
    }

    @Override
    public void deleteVersion(String name, int version) {
        store().deleteVersion(RegistryNames.model(name), RegistryNames.version(version), change());
    }

    // ---- stages

    @Override
    public ModelVersion transition(String name, int version, Stage stage) {
        return transition(name, version, stage, TransitionOptions.defaults());
    }

    @Override
    public ModelVersion transition(String name, int version, Stage stage, TransitionOptions options) {
        InputRules.notNull("stage", stage);
        InputRules.notNull("options", options);
        if (options.archivesExisting() && !RegistryChanges.archivesOthers(stage)) {
            // MLflow's own refusal (INVALID_PARAMETER_VALUE): only Staging and Production have holders to archive.
            throw new InvalidInputException("A transition to " + stage + " cannot archive existing versions: " + stage
                    + " is not an active stage (Staging, Production); leave archiveExisting out");
        }
        Change change = change(options);
        return store().transition(new StageTransition(RegistryNames.model(name), RegistryNames.version(version), stage,
                archiving(options.archivesExisting(), stage, version, change), OptionalInt.empty()), change);
    }

    /**
     * The change recorded for each version a transition archives, or none when it archives
     * nothing: only Staging and Production have holders to archive, as in MLflow.
     */
    private static Optional<Change> archiving(boolean archiveExisting, Stage stage, int version, Change change) {
        return archiveExisting && RegistryChanges.archivesOthers(stage)
                ? Optional.of(RegistryChanges.archivedBy(change, version)) : Optional.empty();
    }

    private Change change(TransitionOptions options) {
        return new Change(now(), options.user().orElse(processUser), options.comment().orElse(""));
    }

    /** Millisecond precision, what every store keeps, so a value read back equals the one returned. */
    private java.time.Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    @Override
    public Optional<ModelVersion> latest(String name, Stage stage) {
        InputRules.notNull("stage", stage);
        Optional<ModelVersion> latest = store().latest(RegistryNames.model(name), Optional.of(stage));
        if (latest.isEmpty() && store().getModel(name).isEmpty()) {
            throw RegistryErrors.noModel(name);
        }
        return latest;
    }

    @Override
    public ModelVersion promote(String name, int version, Stage target, Gate... gates) {
        return promote(name, version, target, TransitionOptions.defaults(), gates);
    }

    @Override
    public ModelVersion promote(String name, int version, Stage target, TransitionOptions options, Gate... gates) {
        RegistryNames.model(name);
        RegistryNames.version(version);
        InputRules.notNull("target stage", target);
        InputRules.notNull("options", options);
        InputRules.notNull("gates", gates);
        if (!RegistryChanges.archivesOthers(target)) {
            throw new InvalidInputException("promote moves a version to Staging or Production, not to " + target
                    + "; use transition for that");
        }
        for (int i = 0; i < gates.length; i++) {
            if (gates[i] == null) {
                throw new InvalidInputException("gate " + (i + 1) + " of " + gates.length + " is null");
            }
        }
        for (int attempt = 1; ; attempt++) {
            ModelVersion candidate = getVersion(name, version);
            Run run = tracker.getRun(candidate.runId());
            Optional<ModelVersion> incumbent = incumbent(name, version, target);
            boolean archive = options.archiveChoice().orElse(true);
            Optional<Run> incumbentRun = incumbent.flatMap(this::runOf);
            PromotionCandidate context = new PromotionCandidate(candidate, run, target, incumbent, incumbentRun);
            List<GateResult> results = new ArrayList<>();
            for (Gate gate : gates) {
                GateResult result = gate.check(context);
                if (result == null) {
                    throw new InvalidInputException("The gate " + gate + " returned null; a gate must return a GateResult");
                }
                results.add(result);
            }
            List<GateResult> failures = results.stream().filter(r -> !r.passed()).toList();
            if (!failures.isEmpty()) {
                throw new PromotionRejectedException(name, version, target, failures);
            }
            try {
                // The audit trail keeps every verdict of the promotion, on the promoted version's event only.
                Change plain = change(options);
                Change change = new Change(plain.time(), plain.user(), plain.comment(), results);
                return store().transition(new StageTransition(name, version, target,
                        archiving(archive, target, version, change),
                        OptionalInt.of(incumbent.map(ModelVersion::version).orElse(0))), change);
            } catch (IncumbentChangedException e) {
                if (attempt == PROMOTION_ATTEMPTS) {
                    throw new ConflictException("Promoting " + name + " version " + version + " to " + target + " gave up after "
                            + PROMOTION_ATTEMPTS + " attempts: each time its gates were checked, another promotion had changed"
                            + " the stage's holder before this one could land (the last: " + e.getMessage() + "); nothing"
                            + " changed, try again", e);
                }
                pause(attempt);
            }
        }
    }

    /** A short, growing, randomized wait between promotion attempts, so that racing promoters stop colliding in step. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 10) + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConflictException("Interrupted while retrying a promotion that another one raced; nothing changed", e);
        }
    }

    /** The highest version in {@code stage} other than {@code version}: the one a promotion would replace. */
    private Optional<ModelVersion> incumbent(String name, int version, Stage stage) {
        Optional<ModelVersion> highest = store().latest(name, Optional.of(stage));
        if (highest.isEmpty() || highest.get().version() != version) {
            return highest;
        }
        // Promoting a version already in the stage: the incumbent is the next one down, rare enough to scan for.
        return store().listVersions(Optional.of(name)).stream()
                .filter(v -> v.stage() == stage && v.version() != version)
                .max(Comparator.comparingInt(ModelVersion::version));
    }

    private Optional<Run> runOf(ModelVersion version) {
        try {
            return Optional.of(tracker.getRun(version.runId()));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    // ---- aliases

    @Override
    public ModelVersion setAlias(String name, String alias, int version) {
        return store().setAlias(RegistryNames.model(name), RegistryNames.alias(alias), RegistryNames.version(version),
                change());
    }

    @Override
    public void deleteAlias(String name, String alias) {
        store().deleteAlias(RegistryNames.model(name), RegistryNames.alias(alias), change());
    }

    @Override
    public ModelVersion getByAlias(String name, String alias) {
        return store().versionByAlias(RegistryNames.model(name), RegistryNames.alias(alias))
                .orElseThrow(() -> store().getModel(name).isEmpty()
                        ? RegistryErrors.noModel(name) : RegistryErrors.noAlias(name, alias));
    }

    // ---- URIs, loading, deployment

    @Override
    public ModelVersion resolve(String modelsUri) {
        return resolve(ModelsUri.parse(modelsUri));
    }

    /** The version a URI points to, its descriptor checked by {@link #checkDescriptor}. */
    ModelVersion resolve(ModelsUri uri) {
        ModelVersion version = find(uri);
        checkDescriptor(version);
        return version;
    }

    /**
     * Checks a version's descriptor against the digest recorded at registration; a version
     * registered before digests has none to check.
     *
     * @throws IntegrityException naming the version if the descriptor changed or is gone
     */
    void checkDescriptor(ModelVersion version) {
        version.modelDigest().ifPresent(digest -> checkedRun(version,
                () -> access.checkDescriptor(version.source(), digest)));
    }

    /** The version a URI points to, unchecked. */
    ModelVersion find(ModelsUri uri) {
        Optional<ModelVersion> found;
        if (uri.version() > 0) {
            found = store().getVersion(uri.name(), uri.version());
        } else if (uri.alias() != null) {
            found = store().versionByAlias(uri.name(), uri.alias());
        } else {
            found = store().latest(uri.name(), uri.latest() ? Optional.empty() : Optional.of(uri.stage()));
        }
        return found.orElseThrow(() -> {
            if (store().getModel(uri.name()).isEmpty()) {
                return RegistryErrors.noModel(uri.name());
            }
            if (uri.version() > 0) {
                return RegistryErrors.noVersion(uri.name(), uri.version());
            }
            if (uri.alias() != null) {
                return RegistryErrors.noAlias(uri.name(), uri.alias());
            }
            return uri.latest() ? RegistryErrors.noVersions(uri.name()) : RegistryErrors.emptyStage(uri.name(), uri.stage());
        });
    }

    @Override
    public <T> T load(String modelsUri, Class<T> type) {
        InputRules.notNull("type", type);
        return load(find(ModelsUri.parse(modelsUri)), type, null);
    }

    @Override
    public <T> T load(String modelsUri, Class<T> type, ModelFlavor flavor) {
        InputRules.notNull("type", type);
        InputRules.notNull("flavor", flavor);
        return load(find(ModelsUri.parse(modelsUri)), type, flavor);
    }

    /**
     * Loads a version's model, refusing it if its descriptor no longer has the digest recorded at
     * registration or a payload file no longer has the SHA-256 its descriptor lists.
     *
     * @param flavor the flavor to load with, or null for the one it was logged with
     */
    <T> T load(ModelVersion version, Class<T> type, ModelFlavor flavor) {
        return checked(version, () -> access.load(version.source(), type, Optional.ofNullable(flavor),
                version.modelDigest()));
    }

    /** Runs an integrity check of a version's files, naming the version in what it throws. */
    private static <T> T checked(ModelVersion version, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (IntegrityException e) {
            throw new IntegrityException("Version " + version.version() + " of registered model '" + version.name()
                    + "' (" + version.source() + ") no longer matches what was registered: " + e.getMessage(), e);
        }
    }

    private static void checkedRun(ModelVersion version, Runnable check) {
        checked(version, () -> {
            check.run();
            return null;
        });
    }

    /** Deletes the tracker's copy behind a loaded model (a files-flavor Path) that is no longer served. */
    void release(Object model) {
        access.releaseLoadedModel(model);
    }

    /** Hears committed changes of the store's models as the store can report them; see {@link RegistryStore#subscribe}. */
    RegistryStore.Subscription subscribe(Runnable onChange) {
        return store().subscribe(onChange);
    }

    @Override
    public <T> DeployedModel<T> deploy(String name, Stage stage, Class<T> type) {
        return deploy(name, stage, type, DeployOptions.defaults());
    }

    @Override
    public <T> DeployedModel<T> deploy(String name, Stage stage, Class<T> type, DeployOptions options) {
        InputRules.notNull("stage", stage);
        return deploy("models:/" + RegistryNames.model(name) + "/" + stage, type, options);
    }

    @Override
    public <T> DeployedModel<T> deploy(String name, String alias, Class<T> type) {
        return deploy(name, alias, type, DeployOptions.defaults());
    }

    @Override
    public <T> DeployedModel<T> deploy(String name, String alias, Class<T> type, DeployOptions options) {
        return deploy("models:/" + RegistryNames.model(name) + "@" + RegistryNames.alias(alias), type, options);
    }

    @Override
    public <T> DeployedModel<T> deploy(String modelsUri, Class<T> type, DeployOptions options) {
        InputRules.notNull("type", type);
        InputRules.notNull("options", options);
        return DefaultDeployedModel.start(this, ModelsUri.parse(modelsUri), type, options);
    }

    // ---- audit trail

    @Override
    public List<ModelEvent> history(String name) {
        RegistryNames.model(name);
        List<ModelEvent> events = store().history(name);
        if (events.isEmpty() && store().getModel(name).isEmpty()) {
            throw RegistryErrors.noModel(name);
        }
        return events;
    }

    @Override
    public List<ModelEvent> history(String name, int version) {
        RegistryNames.version(version);
        return history(name).stream().filter(e -> e.version() == version).toList();
    }
}
