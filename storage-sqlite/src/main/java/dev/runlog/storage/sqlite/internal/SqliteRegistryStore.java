package dev.runlog.storage.sqlite.internal;

import static dev.runlog.storage.sqlite.internal.Sql.bind;
import static dev.runlog.storage.sqlite.internal.Sql.update;

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
import dev.runlog.tracking.spi.StoredValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The model registry in the tracking database file. Every change is one {@code BEGIN IMMEDIATE}
 * transaction of {@link SqliteDatabase#write}, which takes the file's write lock before reading
 * anything: two processes registering at once are serialized, so each reads the other's
 * {@code next_version} and numbers come out consecutive.
 */
final class SqliteRegistryStore implements RegistryStore {
    private static final String VERSION_COLUMNS =
            "name, version, source, run_id, stage, description, user_id, creation_time, last_update_time, model_digest";

    private final SqliteDatabase db;

    SqliteRegistryStore(SqliteDatabase db) {
        this.db = db;
    }

    // ---- models -------------------------------------------------------------------------------

    @Override
    public RegisteredModel createModel(String name, Change change) {
        return db.write(c -> {
            if (modelExists(c, name)) {
                throw RegistryErrors.modelExists(name);
            }
            insertModel(c, name, change);
            return model(c, name).orElseThrow();
        });
    }

    private static void insertModel(Connection c, String name, Change change) throws SQLException {
        update(c, "INSERT INTO registered_models (name, description, creation_time, last_update_time, next_version)"
                + " VALUES (?, '', ?, ?, 1)", name, millis(change), millis(change));
        event(c, name, 0, Action.MODEL_CREATED, null, null, null, change);
    }

    @Override
    public Optional<RegisteredModel> getModel(String name) {
        return db.read(c -> model(c, name));
    }

    @Override
    public List<RegisteredModel> listModels() {
        return db.read(c -> {
            Map<String, Map<String, String>> tags = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, key, value FROM registered_model_tags");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tags.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
            Map<String, Map<String, Integer>> aliases = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, alias, version FROM model_aliases");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    aliases.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getInt(3));
                }
            }
            List<RegisteredModel> models = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, description, creation_time, last_update_time"
                    + " FROM registered_models ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    models.add(new RegisteredModel(name, rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                            Instant.ofEpochMilli(rs.getLong(4)), tags.getOrDefault(name, Map.of()),
                            aliases.getOrDefault(name, Map.of())));
                }
            }
            return models;
        });
    }

    @Override
    public RegisteredModel renameModel(String name, String newName, Change change) {
        return db.write(c -> {
            requireModel(c, name);
            if (!name.equals(newName) && modelExists(c, newName)) {
                throw RegistryErrors.modelExists(newName);
            }
            for (String table : List.of("registered_models", "registered_model_tags", "model_versions",
                    "model_version_tags", "model_aliases")) {
                // Table names come from the constant list above; only the values are parameters.
                update(c, "UPDATE " + table + " SET name = ? WHERE name = ?", newName, name);
            }
            // Only the live model's events move: an earlier, deleted model of the same name keeps its trail.
            update(c, "UPDATE registry_events SET name = ? WHERE name = ? AND event_id >= (SELECT max(event_id)"
                    + " FROM registry_events WHERE name = ? AND action = 'MODEL_CREATED')", newName, name, name);
            touchModel(c, newName, change);
            event(c, newName, 0, Action.MODEL_RENAMED, null, name, newName, change);
            return model(c, newName).orElseThrow();
        });
    }

    @Override
    public RegisteredModel updateModelDescription(String name, String description, Change change) {
        return db.write(c -> {
            requireModel(c, name);
            update(c, "UPDATE registered_models SET description = ?, last_update_time = ? WHERE name = ?",
                    description, millis(change), name);
            return model(c, name).orElseThrow();
        });
    }

    @Override
    public void setModelTag(String name, String key, Optional<String> value, Change change) {
        db.write(c -> {
            requireModel(c, name);
            if (value.isEmpty()) {
                update(c, "DELETE FROM registered_model_tags WHERE name = ? AND key = ?", name, key);
            } else {
                update(c, "INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)"
                        + " ON CONFLICT (name, key) DO UPDATE SET value = excluded.value", name, key, value.get());
            }
            touchModel(c, name, change);
            return null;
        });
    }

    @Override
    public void deleteModel(String name, Change change) {
        db.write(c -> {
            requireModel(c, name);
            for (String table : List.of("registered_models", "registered_model_tags", "model_versions",
                    "model_version_tags", "model_aliases")) {
                update(c, "DELETE FROM " + table + " WHERE name = ?", name);
            }
            event(c, name, 0, Action.MODEL_DELETED, null, null, null, change);
            return null;
        });
    }

    // ---- versions -----------------------------------------------------------------------------

    @Override
    public ModelVersion createVersion(String name, String source, String runId, String modelDigest, Change change) {
        return db.write(c -> {
            // Most registrations add to an existing model: claim the number first, create the model only if that found none.
            int number = claimVersionNumber(c, name, change);
            if (number == 0) {
                insertModel(c, name, change);
                number = claimVersionNumber(c, name, change);
            }
            update(c, "INSERT INTO model_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?)",
                    name, number, source, runId, Stage.NONE.name(), change.user(), millis(change), millis(change),
                    modelDigest);
            event(c, name, number, Action.VERSION_REGISTERED, null, null, source, change);
            return new ModelVersion(name, number, source, runId, ModelVersion.Status.READY, Stage.NONE, "",
                    change.user(), change.time(), change.time(), Map.of(), List.of(), Optional.of(modelDigest));
        });
    }

    /** Takes the model's next version number, or returns 0 if there is no such model. */
    private static int claimVersionNumber(Connection c, String name, Change change) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE registered_models SET next_version = next_version + 1, last_update_time = ?"
                        + " WHERE name = ? RETURNING next_version - 1")) {
            ps.setLong(1, millis(change));
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    @Override
    public Optional<ModelVersion> getVersion(String name, int version) {
        return db.read(c -> version(c, name, version));
    }

    @Override
    public List<ModelVersion> listVersions(Optional<String> name) {
        return db.read(c -> name.isEmpty()
                ? versions(c, "", null, null)
                : versions(c, "WHERE name = ?", name.get(), null, name.get()));
    }

    @Override
    public ModelVersion updateVersionDescription(String name, int version, String description, Change change) {
        return db.write(c -> {
            requireVersion(c, name, version);
            update(c, "UPDATE model_versions SET description = ?, last_update_time = ? WHERE name = ? AND version = ?",
                    description, millis(change), name, version);
            touchModel(c, name, change);
            return version(c, name, version).orElseThrow();
        });
    }

    @Override
    public void setVersionTag(String name, int version, String key, Optional<String> value, Change change) {
        db.write(c -> {
            requireVersion(c, name, version);
            if (value.isEmpty()) {
                update(c, "DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?", name, version, key);
            } else {
                update(c, "INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value",
                        name, version, key, value.get());
            }
            touchVersion(c, name, version, change);
            touchModel(c, name, change);
            return null;
        });
    }

    @Override
    public void deleteVersion(String name, int version, Change change) {
        db.write(c -> {
            Stage stage = requireVersion(c, name, version);
            List<String> dropped = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT alias FROM model_aliases WHERE name = ? AND version = ? ORDER BY alias")) {
                bind(ps, name, version);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        dropped.add(rs.getString(1));
                    }
                }
            }
            for (String alias : dropped) {
                event(c, name, version, Action.ALIAS_DELETED, alias, Integer.toString(version), null, change);
            }
            for (String table : List.of("model_versions", "model_version_tags", "model_aliases")) {
                update(c, "DELETE FROM " + table + " WHERE name = ? AND version = ?", name, version);
            }
            touchModel(c, name, change);
            event(c, name, version, Action.VERSION_DELETED, null, stage.toString(), null, change);
            return null;
        });
    }

    // ---- stages and aliases -------------------------------------------------------------------

    @Override
    public ModelVersion transition(StageTransition t, Change change) {
        return db.write(c -> {
            Stage from = requireVersion(c, t.name(), t.version());
            if (t.expectedIncumbent().isPresent()) {
                int expected = t.expectedIncumbent().getAsInt();
                int actual = 0;
                try (PreparedStatement ps = c.prepareStatement("SELECT max(version) FROM model_versions"
                        + " WHERE name = ? AND stage = ? AND version <> ?")) {
                    bind(ps, t.name(), t.stage().name(), t.version());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            actual = rs.getInt(1);
                        }
                    }
                }
                if (actual != expected) {
                    throw RegistryErrors.incumbentChanged(t.name(), t.stage(), expected, actual);
                }
            }
            update(c, "UPDATE model_versions SET stage = ?, last_update_time = ? WHERE name = ? AND version = ?",
                    t.stage().name(), millis(change), t.name(), t.version());
            event(c, t.name(), t.version(), Action.STAGE_CHANGED, null, from.toString(), t.stage().toString(), change);
            if (t.archiving().isPresent()) {
                Change archived = t.archiving().get();
                try (PreparedStatement ps = c.prepareStatement("UPDATE model_versions SET stage = ?, last_update_time = ?"
                        + " WHERE name = ? AND stage = ? AND version <> ? RETURNING version")) {
                    bind(ps, Stage.ARCHIVED.name(), millis(change), t.name(), t.stage().name(), t.version());
                    List<Integer> moved = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            moved.add(rs.getInt(1));
                        }
                    }
                    moved.sort(null);
                    for (int other : moved) {
                        event(c, t.name(), other, Action.STAGE_CHANGED, null, t.stage().toString(),
                                Stage.ARCHIVED.toString(), archived);
                    }
                }
            }
            touchModel(c, t.name(), change);
            return version(c, t.name(), t.version()).orElseThrow();
        });
    }

    @Override
    public Optional<ModelVersion> latest(String name, Optional<Stage> stage) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(stage.isEmpty()
                    ? "SELECT max(version) FROM model_versions WHERE name = ?"
                    : "SELECT max(version) FROM model_versions WHERE name = ? AND stage = ?")) {
                if (stage.isEmpty()) {
                    bind(ps, name);
                } else {
                    bind(ps, name, stage.get().name());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    int number = rs.next() ? rs.getInt(1) : 0;
                    return number == 0 ? Optional.<ModelVersion>empty() : version(c, name, number);
                }
            }
        });
    }

    @Override
    public ModelVersion setAlias(String name, String alias, int version, Change change) {
        return db.write(c -> {
            requireVersion(c, name, version);
            Integer previous = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM model_aliases WHERE name = ? AND alias = ?")) {
                bind(ps, name, alias);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        previous = rs.getInt(1);
                    }
                }
            }
            update(c, "INSERT INTO model_aliases (name, alias, version) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version", name, alias, version);
            touchModel(c, name, change);
            touchVersion(c, name, version, change);
            if (previous != null) {
                touchVersion(c, name, previous, change);
            }
            event(c, name, version, Action.ALIAS_SET, alias, previous == null ? null : previous.toString(),
                    Integer.toString(version), change);
            return version(c, name, version).orElseThrow();
        });
    }

    @Override
    public void deleteAlias(String name, String alias, Change change) {
        db.write(c -> {
            requireModel(c, name);
            Integer previous = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM model_aliases WHERE name = ? AND alias = ? RETURNING version")) {
                bind(ps, name, alias);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        previous = rs.getInt(1);
                    }
                }
            }
            if (previous == null) {
                throw RegistryErrors.noAlias(name, alias);
            }
            touchModel(c, name, change);
            touchVersion(c, name, previous, change);
            event(c, name, previous, Action.ALIAS_DELETED, alias, previous.toString(), null, change);
            return null;
        });
    }

    @Override
    public Optional<ModelVersion> versionByAlias(String name, String alias) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM model_aliases WHERE name = ? AND alias = ?")) {
                bind(ps, name, alias);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? version(c, name, rs.getInt(1)) : Optional.<ModelVersion>empty();
                }
            }
        });
    }

    @Override
    public List<ModelEvent> history(String name) {
        return db.read(c -> {
            List<ModelEvent> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT event_id, name, version, action, alias, from_value,"
                    + " to_value, time, user_id, comment, gates FROM registry_events WHERE name = ? ORDER BY event_id")) {
                bind(ps, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new ModelEvent(rs.getLong(1), rs.getString(2), rs.getInt(3),
                                StoredValues.constant(Action.class, rs.getString(4), "an audit event action"), rs.getString(5), rs.getString(6), rs.getString(7),
                                Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9), rs.getString(10),
                                GatesJson.read(rs.getString(11), rs.getLong(1))));
                    }
                }
            }
            return events;
        });
    }

    // ---- reading ------------------------------------------------------------------------------

    private static Optional<RegisteredModel> model(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT description, creation_time, last_update_time FROM registered_models WHERE name = ?")) {
            bind(ps, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, String> tags = new TreeMap<>();
                try (PreparedStatement t = c.prepareStatement("SELECT key, value FROM registered_model_tags WHERE name = ?")) {
                    bind(t, name);
                    try (ResultSet trs = t.executeQuery()) {
                        while (trs.next()) {
                            tags.put(trs.getString(1), trs.getString(2));
                        }
                    }
                }
                Map<String, Integer> aliases = new TreeMap<>();
                try (PreparedStatement a = c.prepareStatement("SELECT alias, version FROM model_aliases WHERE name = ?")) {
                    bind(a, name);
                    try (ResultSet ars = a.executeQuery()) {
                        while (ars.next()) {
                            aliases.put(ars.getString(1), ars.getInt(2));
                        }
                    }
                }
                return Optional.of(new RegisteredModel(name, rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
                        Instant.ofEpochMilli(rs.getLong(3)), tags, aliases));
            }
        }
    }

    private static Optional<ModelVersion> version(Connection c, String name, int version) throws SQLException {
        return versions(c, "WHERE name = ? AND version = ?", name, version, name, version).stream().findFirst();
    }

    /**
     * Versions matching {@code where}, with their tags and aliases, which are read for
     * {@code tagName}/{@code tagVersion} (null for all) so a single version costs three indexed reads.
     */
    private static List<ModelVersion> versions(Connection c, String where, String tagName, Integer tagVersion,
                                               Object... args) throws SQLException {
        String scope = tagName == null ? "" : tagVersion == null ? " WHERE name = ?" : " WHERE name = ? AND version = ?";
        Object[] scopeArgs = tagName == null ? new Object[0]
                : tagVersion == null ? new Object[] {tagName} : new Object[] {tagName, tagVersion};
        Map<String, Map<String, String>> tags = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, version, key, value FROM model_version_tags" + scope)) {
            bind(ps, scopeArgs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tags.computeIfAbsent(rs.getString(1) + "\0" + rs.getInt(2), k -> new TreeMap<>())
                            .put(rs.getString(3), rs.getString(4));
                }
            }
        }
        Map<String, List<String>> aliases = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, version, alias FROM model_aliases" + scope)) {
            bind(ps, scopeArgs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    aliases.computeIfAbsent(rs.getString(1) + "\0" + rs.getInt(2), k -> new ArrayList<>())
                            .add(rs.getString(3));
                }
            }
        }
        List<ModelVersion> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM model_versions " + where
                + " ORDER BY name, version")) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1) + "\0" + rs.getInt(2);
                    result.add(new ModelVersion(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            ModelVersion.Status.READY, StoredValues.constant(Stage.class, rs.getString(5), "a version stage"), rs.getString(6),
                            rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9)),
                            tags.getOrDefault(key, Map.of()), aliases.getOrDefault(key, List.of()),
                            // NULL: registered before migration 6 recorded digests.
                            Optional.ofNullable(rs.getString(10))));
                }
            }
        }
        return result;
    }

    // ---- imports ------------------------------------------------------------------------------

    /** All in one transaction, the rows batched per table. */
    @Override
    public void importModel(ModelSnapshot snapshot) {
        InputRules.notNull("snapshot", snapshot);
        RegisteredModel m = snapshot.model();
        db.write(c -> {
            if (modelExists(c, m.name())) {
                throw RegistryErrors.modelExists(m.name());
            }
            update(c, "INSERT INTO registered_models (name, description, creation_time, last_update_time, next_version)"
                    + " VALUES (?, ?, ?, ?, ?)", m.name(), m.description(), m.creationTime().toEpochMilli(),
                    m.lastUpdateTime().toEpochMilli(), snapshot.nextVersion());
            batch(c, "INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)", m.tags().entrySet().stream()
                    .map(t -> new Object[] {m.name(), t.getKey(), t.getValue()}).toList());
            batch(c, "INSERT INTO model_aliases (name, alias, version) VALUES (?, ?, ?)", m.aliases().entrySet().stream()
                    .map(a -> new Object[] {m.name(), a.getKey(), a.getValue()}).toList());
            batch(c, "INSERT INTO model_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    snapshot.versions().stream().map(v -> new Object[] {m.name(), v.version(), v.source(), v.runId(),
                            v.stage().name(), v.description(), v.userId(), v.creationTime().toEpochMilli(),
                            v.lastUpdateTime().toEpochMilli(), v.modelDigest().orElse(null)}).toList());
            batch(c, "INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)",
                    snapshot.versions().stream().flatMap(v -> v.tags().entrySet().stream()
                            .map(t -> new Object[] {m.name(), v.version(), t.getKey(), t.getValue()})).toList());
            boolean keep = true;
            try (PreparedStatement taken = c.prepareStatement("SELECT 1 FROM registry_events WHERE event_id = ?")) {
                for (ModelEvent e : snapshot.events()) {
                    bind(taken, e.sequence());
                    try (ResultSet rs = taken.executeQuery()) {
                        keep &= !rs.next();
                    }
                }
            }
            // A taken sequence: the trail is numbered after the highest, as new events would be.
            long next = keep ? 0 : highestEvent(c);
            List<Object[]> rows = new ArrayList<>();
            for (ModelEvent e : snapshot.events()) {
                rows.add(new Object[] {keep ? e.sequence() : ++next, m.name(), e.version(), e.action().name(), e.alias(),
                        e.from(), e.to(), e.time().toEpochMilli(), e.user(), e.comment(), GatesJson.write(e.gates())});
            }
            batch(c, "INSERT INTO registry_events (event_id, name, version, action, alias, from_value, to_value, time,"
                    + " user_id, comment, gates) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
            return null;
        });
    }

    private static long highestEvent(Connection c) throws SQLException {
        // sqlite_sequence remembers ids of events deleted since, which AUTOINCREMENT never gives again.
        try (PreparedStatement ps = c.prepareStatement("SELECT max(coalesce((SELECT max(event_id) FROM registry_events), 0),"
                + " coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'registry_events'), 0))");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static boolean modelExists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM registered_models WHERE name = ?")) {
            bind(ps, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void requireModel(Connection c, String name) throws SQLException {
        if (!modelExists(c, name)) {
            throw RegistryErrors.noModel(name);
        }
    }

    /** Checks that a version exists, returning its stage. */
    private static Stage requireVersion(Connection c, String name, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT stage FROM model_versions WHERE name = ? AND version = ?")) {
            bind(ps, name, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return StoredValues.constant(Stage.class, rs.getString(1), "a version stage");
                }
            }
        }
        requireModel(c, name);
        throw RegistryErrors.noVersion(name, version);
    }

    private static void touchVersion(Connection c, String name, int version, Change change) throws SQLException {
        update(c, "UPDATE model_versions SET last_update_time = ? WHERE name = ? AND version = ?", millis(change), name,
                version);
    }

    private static void touchModel(Connection c, String name, Change change) throws SQLException {
        update(c, "UPDATE registered_models SET last_update_time = ? WHERE name = ?", millis(change), name);
    }

    private static void event(Connection c, String name, int version, Action action, String alias, String from,
                              String to, Change change) throws SQLException {
        update(c, "INSERT INTO registry_events (name, version, action, alias, from_value, to_value, time, user_id, comment,"
                + " gates) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", name, version, action.name(), alias, from, to,
                millis(change), change.user(), change.comment(), GatesJson.write(change.gates()));
    }

    private static long millis(Change change) {
        return change.time().toEpochMilli();
    }

    /** Nothing to release: the database belongs to the tracking store, which closes it. */
    @Override
    public void close() {
    }
}
