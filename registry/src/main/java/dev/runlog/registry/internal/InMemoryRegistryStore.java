package dev.runlog.registry.internal;

import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelEvent.Action;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.RegisteredModel;
import dev.runlog.registry.Stage;
import dev.runlog.registry.spi.Change;
import dev.runlog.registry.spi.ModelSnapshot;
import dev.runlog.registry.spi.RegistryErrors;
import dev.runlog.registry.spi.RegistryStore;
import dev.runlog.registry.spi.StageTransition;
import dev.runlog.tracking.spi.InputRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry of an in-memory tracker. One monitor guards everything: registry changes are rare
 * next to metric logging, and a single lock makes every method trivially atomic.
 */
final class InMemoryRegistryStore implements RegistryStore {

    private static final class ModelState {
        final Instant created;
        Instant updated;
        String description = "";
        int nextVersion = 1;
        final Map<String, String> tags = new TreeMap<>();
        final Map<String, Integer> aliases = new TreeMap<>();
        final TreeMap<Integer, VersionState> versions = new TreeMap<>();

        ModelState(Instant created) {
            this.created = created;
            this.updated = created;
        }
    }

    private static final class VersionState {
        final int version;
        final String source;
        final String runId;
        /** Null for a version imported from a store that recorded no digest. */
        final String modelDigest;
        final String user;
        final Instant created;
        Instant updated;
        Stage stage = Stage.NONE;
        String description = "";
        final Map<String, String> tags = new TreeMap<>();

        VersionState(int version, String source, String runId, String modelDigest, String user, Instant created) {
            this.version = version;
            this.source = source;
            this.runId = runId;
            this.modelDigest = modelDigest;
            this.user = user;
            this.created = created;
            this.updated = created;
        }
    }

    private final TreeMap<String, ModelState> models = new TreeMap<>();
    private final List<ModelEvent> events = new ArrayList<>();
    private long sequence;

    @Override
    public synchronized RegisteredModel createModel(String name, Change change) {
        if (models.containsKey(name)) {
            throw RegistryErrors.modelExists(name);
        }
        models.put(name, new ModelState(change.time()));
        event(name, 0, Action.MODEL_CREATED, null, null, null, change);
        return model(name);
    }

    @Override
    public synchronized Optional<RegisteredModel> getModel(String name) {
        return models.containsKey(name) ? Optional.of(model(name)) : Optional.empty();
    }

    @Override
    public synchronized List<RegisteredModel> listModels() {
        return models.keySet().stream().map(this::model).toList();
    }

    @Override
    public synchronized RegisteredModel renameModel(String name, String newName, Change change) {
        ModelState state = require(name);
        if (!name.equals(newName) && models.containsKey(newName)) {
            throw RegistryErrors.modelExists(newName);
        }
        models.remove(name);
        models.put(newName, state);
        state.updated = change.time();
        // Only the live model's events move: an earlier, deleted model of the same name keeps its trail.
        long since = events.stream()
                .filter(e -> e.model().equals(name) && e.action() == Action.MODEL_CREATED)
                .mapToLong(ModelEvent::sequence).max().orElse(0);
        events.replaceAll(e -> e.model().equals(name) && e.sequence() >= since
                ? new ModelEvent(e.sequence(), newName, e.version(), e.action(), e.alias(), e.from(), e.to(), e.time(),
                        e.user(), e.comment(), e.gates())
                : e);
        event(newName, 0, Action.MODEL_RENAMED, null, name, newName, change);
        return model(newName);
    }

    @Override
    public synchronized RegisteredModel updateModelDescription(String name, String description, Change change) {
        ModelState state = require(name);
        state.description = description;
        state.updated = change.time();
        return model(name);
    }

    @Override
    public synchronized void setModelTag(String name, String key, Optional<String> value, Change change) {
        ModelState state = require(name);
        value.ifPresentOrElse(v -> state.tags.put(key, v), () -> state.tags.remove(key));
        state.updated = change.time();
    }

    @Override
    public synchronized void deleteModel(String name, Change change) {
        require(name);
        models.remove(name);
        event(name, 0, Action.MODEL_DELETED, null, null, null, change);
    }

    @Override
    public synchronized ModelVersion createVersion(String name, String source, String runId, String modelDigest,
                                                   Change change) {
        ModelState state = models.get(name);
        if (state == null) {
            createModel(name, change);
            state = models.get(name);
        }
        int number = state.nextVersion++;
        state.versions.put(number, new VersionState(number, source, runId, modelDigest, change.user(), change.time()));
        state.updated = change.time();
        event(name, number, Action.VERSION_REGISTERED, null, null, source, change);
        return version(name, state, state.versions.get(number));
    }

    @Override
    public synchronized Optional<ModelVersion> getVersion(String name, int version) {
        ModelState state = models.get(name);
        VersionState v = state == null ? null : state.versions.get(version);
        return v == null ? Optional.empty() : Optional.of(version(name, state, v));
    }

    @Override
    public synchronized List<ModelVersion> listVersions(Optional<String> name) {
        List<ModelVersion> result = new ArrayList<>();
        for (Map.Entry<String, ModelState> model : models.entrySet()) {
            if (name.isEmpty() || name.get().equals(model.getKey())) {
                for (VersionState v : model.getValue().versions.values()) {
                    result.add(version(model.getKey(), model.getValue(), v));
                }
            }
        }
        return result;
    }

    @Override
    public synchronized ModelVersion updateVersionDescription(String name, int version, String description,
                                                              Change change) {
        VersionState v = require(name, version);
        v.description = description;
        v.updated = change.time();
        models.get(name).updated = change.time();
        return version(name, models.get(name), v);
    }

    @Override
    public synchronized void setVersionTag(String name, int version, String key, Optional<String> value,
                                           Change change) {
        VersionState v = require(name, version);
        value.ifPresentOrElse(text -> v.tags.put(key, text), () -> v.tags.remove(key));
        v.updated = change.time();
        models.get(name).updated = change.time();
    }

    @Override
    public synchronized void deleteVersion(String name, int version, Change change) {
        VersionState v = require(name, version);
        ModelState state = models.get(name);
        state.versions.remove(version);
        List<String> dropped = state.aliases.entrySet().stream()
                .filter(e -> e.getValue() == version).map(Map.Entry::getKey).toList();
        dropped.forEach(state.aliases::remove);
        state.updated = change.time();
        for (String alias : dropped) {
            event(name, version, Action.ALIAS_DELETED, alias, Integer.toString(version), null, change);
        }
        event(name, version, Action.VERSION_DELETED, null, v.stage.toString(), null, change);
    }

    @Override
    public synchronized ModelVersion transition(StageTransition t, Change change) {
        VersionState moving = require(t.name(), t.version());
        ModelState state = models.get(t.name());
        if (t.expectedIncumbent().isPresent()) {
            int expected = t.expectedIncumbent().getAsInt();
            int actual = state.versions.values().stream()
                    .filter(v -> v.stage == t.stage() && v.version != t.version())
                    .mapToInt(v -> v.version).max().orElse(0);
            if (actual != expected) {
                throw RegistryErrors.incumbentChanged(t.name(), t.stage(), expected, actual);
            }
        }
        Stage from = moving.stage;
        moving.stage = t.stage();
        moving.updated = change.time();
        event(t.name(), t.version(), Action.STAGE_CHANGED, null, from.toString(), t.stage().toString(), change);
        if (t.archiving().isPresent()) {
            for (VersionState other : state.versions.values()) {
                if (other != moving && other.stage == t.stage()) {
                    other.stage = Stage.ARCHIVED;
                    other.updated = change.time();
                    event(t.name(), other.version, Action.STAGE_CHANGED, null, t.stage().toString(),
                            Stage.ARCHIVED.toString(), t.archiving().get());
                }
            }
        }
        state.updated = change.time();
        return version(t.name(), state, moving);
    }

    @Override
    public synchronized Optional<ModelVersion> latest(String name, Optional<Stage> stage) {
        ModelState state = models.get(name);
        if (state == null) {
            return Optional.empty();
        }
        return state.versions.descendingMap().values().stream()
                .filter(v -> stage.isEmpty() || v.stage == stage.get())
                .findFirst()
                .map(v -> version(name, state, v));
    }

    @Override
    public synchronized ModelVersion setAlias(String name, String alias, int version, Change change) {
        VersionState v = require(name, version);
        ModelState state = models.get(name);
        Integer previous = state.aliases.put(alias, version);
        state.updated = change.time();
        v.updated = change.time();
        if (previous != null && state.versions.containsKey(previous)) {
            state.versions.get(previous).updated = change.time();
        }
        event(name, version, Action.ALIAS_SET, alias, previous == null ? null : previous.toString(),
                Integer.toString(version), change);
        return version(name, state, v);
    }

    @Override
    public synchronized void deleteAlias(String name, String alias, Change change) {
        ModelState state = require(name);
        Integer previous = state.aliases.remove(alias);
        if (previous == null) {
            throw RegistryErrors.noAlias(name, alias);
        }
        state.updated = change.time();
        state.versions.get(previous).updated = change.time();
        event(name, previous, Action.ALIAS_DELETED, alias, previous.toString(), null, change);
    }

    @Override
    public synchronized Optional<ModelVersion> versionByAlias(String name, String alias) {
        ModelState state = models.get(name);
        Integer number = state == null ? null : state.aliases.get(alias);
        return number == null ? Optional.empty() : Optional.of(version(name, state, state.versions.get(number)));
    }

    @Override
    public synchronized void importModel(ModelSnapshot snapshot) {
        InputRules.notNull("snapshot", snapshot);
        RegisteredModel m = snapshot.model();
        if (models.containsKey(m.name())) {
            throw RegistryErrors.modelExists(m.name());
        }
        ModelState state = new ModelState(m.creationTime());
        state.updated = m.lastUpdateTime();
        state.description = m.description();
        state.nextVersion = snapshot.nextVersion();
        state.tags.putAll(m.tags());
        state.aliases.putAll(m.aliases());
        for (ModelVersion v : snapshot.versions()) {
            VersionState copy = new VersionState(v.version(), v.source(), v.runId(), v.modelDigest().orElse(null),
                    v.userId(), v.creationTime());
            copy.updated = v.lastUpdateTime();
            copy.stage = v.stage();
            copy.description = v.description();
            copy.tags.putAll(v.tags());
            state.versions.put(v.version(), copy);
        }
        models.put(m.name(), state);
        java.util.Set<Long> taken = new java.util.HashSet<>();
        events.forEach(e -> taken.add(e.sequence()));
        boolean keep = snapshot.events().stream().noneMatch(e -> taken.contains(e.sequence()));
        for (ModelEvent e : snapshot.events()) {
            long number = keep ? e.sequence() : ++sequence;
            events.add(new ModelEvent(number, e.model(), e.version(), e.action(), e.alias(), e.from(), e.to(), e.time(),
                    e.user(), e.comment(), e.gates()));
            sequence = Math.max(sequence, number);
        }
        // history() reads the trail in list order, which must stay sequence order.
        events.sort(java.util.Comparator.comparingLong(ModelEvent::sequence));
    }

    @Override
    public synchronized List<ModelEvent> history(String name) {
        return events.stream().filter(e -> e.model().equals(name)).toList();
    }

    private ModelState require(String name) {
        ModelState state = models.get(name);
        if (state == null) {
            throw RegistryErrors.noModel(name);
        }
        return state;
    }

    private VersionState require(String name, int version) {
        VersionState v = require(name).versions.get(version);
        if (v == null) {
            throw RegistryErrors.noVersion(name, version);
        }
        return v;
    }

    private void event(String model, int version, Action action, String alias, String from, String to, Change change) {
        events.add(new ModelEvent(++sequence, model, version, action, alias, from, to, change.time(), change.user(),
                change.comment(), change.gates()));
    }

    private RegisteredModel model(String name) {
        ModelState s = models.get(name);
        return new RegisteredModel(name, s.description, s.created, s.updated, s.tags, s.aliases);
    }

    private static ModelVersion version(String name, ModelState model, VersionState v) {
        List<String> aliases = model.aliases.entrySet().stream()
                .filter(e -> e.getValue() == v.version).map(Map.Entry::getKey).toList();
        return new ModelVersion(name, v.version, v.source, v.runId, ModelVersion.Status.READY, v.stage, v.description,
                v.user, v.created, v.updated, v.tags, aliases, Optional.ofNullable(v.modelDigest));
    }

    /** Nothing to release: the data goes when the in-memory tracking store it belongs to does. */
    @Override
    public void close() {
    }
}
