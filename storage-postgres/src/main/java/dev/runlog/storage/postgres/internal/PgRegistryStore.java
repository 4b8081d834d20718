package dev.runlog.storage.postgres.internal;

import static dev.runlog.storage.postgres.internal.PgDatabase.update;

import dev.runlog.registry.GateResult;
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
 * The model registry in the tracking database. Every change is one transaction that begins by
 * locking the model's row ({@code FOR UPDATE}): changes to one model, from any number of hosts,
 * happen one after another, so version numbers come out 1..n without gaps or repeats, an
 * {@code archiveExisting} promotion sees every version it must archive, and the audit trail's
 * events of a model are in the order of its changes. Changes to different models do not wait for
 * each other.
 *
 * <p>Every change that can move what a stage or alias points to also announces itself
 * ({@link PgChangeFeed}), in its own transaction so that it is heard only once it commits:
 * deployments in every process follow a promotion at once instead of at their next poll.
 */
final class PgRegistryStore implements RegistryStore {
    private final PgDatabase db;
    private final PgChangeFeed changes;
    private static final String VERSION_COLUMNS = "name, version, source, run_id, stage, description, user_id,"
            + " creation_time, last_update_time, model_digest";

    private static final String EVENT_COLUMNS = "name, version, action, alias, from_value, to_value, time,"
            + " user_id, comment, gate_names, gate_passed, gate_actual, gate_required";

    PgRegistryStore(PgDatabase db) {
        this.db = db;
        this.changes = new PgChangeFeed(db.uri());
    }

    /** Heard through LISTEN on a connection of the store's own; see {@link PgChangeFeed}. */
    @Override
    public Subscription subscribe(Runnable onChange) {
        return changes.subscribe(onChange);
    }

    /** Runs {@code work} in a transaction holding the lock on the row of model {@code name}; not found without one. */
    private <T> T changeModel(String name, PgDatabase.Work<T> work) {
        return db.write(c -> {
            if (!PgDatabase.exists(c, "SELECT 1 FROM runlog_models WHERE name = ? FOR UPDATE", name)) {
                throw RegistryErrors.noModel(name);
            }
            return work.apply(c);
        });
    }

    // ---- models -------------------------------------------------------------------------------

    @Override
    public RegisteredModel createModel(String name, Change change) {
        return db.write(c -> {
            if (insertModel(c, name, change)) {
                return model(c, name).orElseThrow();
            }
            throw RegistryErrors.modelExists(name);
        });
    }

    /** Creates the model with its MODEL_CREATED event; false if the name is taken (then nothing changes). */
    private static boolean insertModel(Connection c, String name, Change change) throws SQLException {
        long time = change.time().toEpochMilli();
        boolean created = update(c, "INSERT INTO runlog_models (name, description, creation_time, last_update_time,"
                + " next_version) VALUES (?, '', ?, ?, 1) ON CONFLICT (name) DO NOTHING", name, time, time) == 1;
        if (created) {
            event(c, name, 0, Action.MODEL_CREATED, null, null, null, change);
        }
        return created;
    }

    @Override
    public List<RegisteredModel> listModels() {
        return db.read(c -> {
            List<RegisteredModel> models = new ArrayList<>();
            for (String name : PgDatabase.list(c, rs -> rs.getString(1), "SELECT name FROM runlog_models ORDER BY name")) {
                models.add(model(c, name).orElseThrow());
            }
            return models;
        });
    }

    @Override
    public Optional<RegisteredModel> getModel(String name) {
        return db.read(c -> model(c, name));
    }

    @Override
    public RegisteredModel renameModel(String name, String newName, Change change) {
        return changeModel(name, c -> {
            if (!name.equals(newName)) {
                try {
                    update(c, "UPDATE runlog_models SET name = ? WHERE name = ?", newName, name);
                } catch (SQLException e) {
                    if (PgErrors.isUniqueViolation(e)) {
                        throw RegistryErrors.modelExists(newName);
                    }
                    throw e;
                }
                for (String table : List.of("runlog_model_tags", "runlog_versions", "runlog_version_tags", "runlog_aliases")) {
                    update(c, "UPDATE " + table + " SET name = ? WHERE name = ?", newName, name); // our own table names
                }
                // The live model's events move with it; those of an earlier, deleted model of that name stay.
                update(c, "UPDATE runlog_registry_events SET name = ? WHERE name = ? AND event_id >= (SELECT max(event_id)"
                        + " FROM runlog_registry_events WHERE name = ? AND action = 'MODEL_CREATED')", newName, name, name);
            }
            event(c, newName, 0, Action.MODEL_RENAMED, null, name, newName, change);
            PgChangeFeed.announce(c, name);
            touchModel(c, newName, change);
            return model(c, newName).orElseThrow();
        });
    }

    @Override
    public RegisteredModel updateModelDescription(String name, String description, Change change) {
        return changeModel(name, c -> {
            update(c, "UPDATE runlog_models SET description = ?, last_update_time = ? WHERE name = ?", description,
                    change.time().toEpochMilli(), name);
            return model(c, name).orElseThrow();
        });
    }

    @Override
    public void setModelTag(String name, String key, Optional<String> value, Change change) {
        changeModel(name, c -> {
            update(c, value.isPresent()
                    ? "INSERT INTO runlog_model_tags (name, key, value) VALUES (?, ?, ?)"
                            + " ON CONFLICT (name, key) DO UPDATE SET value = EXCLUDED.value"
                    : "DELETE FROM runlog_model_tags WHERE name = ? AND key = ? AND ?::text IS NULL",
                    name, key, value.orElse(null));
            return touchModel(c, name, change);
        });
    }

    @Override
    public void deleteModel(String name, Change change) {
        changeModel(name, c -> {
            for (String table : List.of("runlog_aliases", "runlog_version_tags", "runlog_versions", "runlog_model_tags",
                    "runlog_models")) {
                update(c, "DELETE FROM " + table + " WHERE name = ?", name); // our own table names
            }
            PgChangeFeed.announce(c, name);
            return event(c, name, 0, Action.MODEL_DELETED, null, null, null, change);
        });
    }

    // ---- versions -----------------------------------------------------------------------------

    /**
     * One statement, committed as it runs (one round trip): it claims the model's next number,
     * which locks the model's row, so registrations of one model queue up there; a model that does
     * not exist (never made, or another host deleted it meanwhile) is made by the same statement,
     * with its MODEL_CREATED event before the version's. Then the version row, its event and the
     * announcement ({@link PgChangeFeed}), heard once the statement commits.
     */
    @Override
    public ModelVersion createVersion(String name, String source, String runId, String modelDigest, Change change) {
        long time = change.time().toEpochMilli();
        Object[] gates = gateArrays(change.gates());
        int number = db.writeOne(c -> PgDatabase.first(c, rs -> rs.getInt(1),
                "WITH m AS (INSERT INTO runlog_models AS model (name, description, creation_time, last_update_time, next_version)"
                        + " VALUES (?, '', ?, ?, 2) ON CONFLICT (name) DO UPDATE SET next_version = model.next_version + 1,"
                        + " last_update_time = EXCLUDED.last_update_time RETURNING next_version - 1 AS version, xmax = 0 AS created),"
                        + " v AS (INSERT INTO runlog_versions (" + VERSION_COLUMNS + ") SELECT ?, m.version, ?, ?, ?, '', ?, ?, ?, ?"
                        + " FROM m RETURNING version),"
                        + " e AS (INSERT INTO runlog_registry_events (" + EVENT_COLUMNS + ") SELECT ?, w.version, w.action, NULL,"
                        + " NULL, w.to_value, ?, ?, ?, w.gate_names, w.gate_passed, w.gate_actual, w.gate_required"
                        + " FROM m, LATERAL (VALUES (1, 0, ?, NULL, ?::text[], ?::boolean[], ?::text[], ?::text[]),"
                        + " (2, m.version, ?, ?, ?::text[], ?::boolean[], ?::text[], ?::text[])) AS w (ord, version, action,"
                        + " to_value, gate_names, gate_passed, gate_actual, gate_required) WHERE m.created OR w.ord = 2"
                        + " ORDER BY w.ord)"
                        + " SELECT v.version FROM v, pg_notify(?, ?)",
                name, time, time,
                name, source, runId, Stage.NONE.name(), change.user(), time, time, modelDigest,
                name, time, change.user(), change.comment(),
                Action.MODEL_CREATED.name(), gates[0], gates[1], gates[2], gates[3],
                Action.VERSION_REGISTERED.name(), source, gates[0], gates[1], gates[2], gates[3],
                PgChangeFeed.CHANNEL, name).orElseThrow());
        // The row just inserted, as version() would read it back: a new version has no tags or aliases yet.
        return new ModelVersion(name, number, source, runId, ModelVersion.Status.READY, Stage.NONE, "",
                change.user(), Instant.ofEpochMilli(time), Instant.ofEpochMilli(time), Map.of(), List.of(),
                Optional.ofNullable(modelDigest));
    }

    @Override
    public List<ModelVersion> listVersions(Optional<String> name) {
        return db.read(c -> versions(c, name, Optional.empty()));
    }

    @Override
    public Optional<ModelVersion> getVersion(String name, int version) {
        return db.read(c -> version(c, name, version));
    }

    @Override
    public ModelVersion updateVersionDescription(String name, int version, String description, Change change) {
        return changeModel(name, c -> {
            stageOf(c, name, version);
            update(c, "UPDATE runlog_versions SET description = ?, last_update_time = ? WHERE name = ? AND version = ?",
                    description, change.time().toEpochMilli(), name, version);
            touchModel(c, name, change);
            return version(c, name, version).orElseThrow();
        });
    }

    @Override
    public void setVersionTag(String name, int version, String key, Optional<String> value, Change change) {
        changeModel(name, c -> {
            stageOf(c, name, version);
            update(c, value.isPresent()
                    ? "INSERT INTO runlog_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (name, version, key) DO UPDATE SET value = EXCLUDED.value"
                    : "DELETE FROM runlog_version_tags WHERE name = ? AND version = ? AND key = ? AND ?::text IS NULL",
                    name, version, key, value.orElse(null));
            touchVersion(c, name, version, change);
            return touchModel(c, name, change);
        });
    }

    @Override
    public void deleteVersion(String name, int version, Change change) {
        changeModel(name, c -> {
            Stage stage = stageOf(c, name, version);
            List<String> dropped = PgDatabase.list(c, rs -> rs.getString(1),
                    "DELETE FROM runlog_aliases WHERE name = ? AND version = ? RETURNING alias", name, version);
            dropped.sort(null);
            for (String alias : dropped) {
                event(c, name, version, Action.ALIAS_DELETED, alias, Integer.toString(version), null, change);
            }
            update(c, "DELETE FROM runlog_version_tags WHERE name = ? AND version = ?", name, version);
            update(c, "DELETE FROM runlog_versions WHERE name = ? AND version = ?", name, version);
            touchModel(c, name, change);
            PgChangeFeed.announce(c, name);
            return event(c, name, version, Action.VERSION_DELETED, null, stage.toString(), null, change);
        });
    }

    // ---- stages and aliases -------------------------------------------------------------------

    @Override
    public ModelVersion transition(StageTransition t, Change change) {
        return changeModel(t.name(), c -> {
            Stage from = stageOf(c, t.name(), t.version());
            if (t.expectedIncumbent().isPresent()) {
                int incumbent = PgDatabase.first(c, rs -> rs.getInt(1), "SELECT coalesce(max(version), 0) FROM runlog_versions"
                        + " WHERE name = ? AND stage = ? AND version <> ?", t.name(), t.stage().name(), t.version()).orElse(0);
                if (incumbent != t.expectedIncumbent().getAsInt()) {
                    throw RegistryErrors.incumbentChanged(t.name(), t.stage(), t.expectedIncumbent().getAsInt(), incumbent);
                }
            }
            long time = change.time().toEpochMilli();
            update(c, "UPDATE runlog_versions SET stage = ?, last_update_time = ? WHERE name = ? AND version = ?",
                    t.stage().name(), time, t.name(), t.version());
            event(c, t.name(), t.version(), Action.STAGE_CHANGED, null, from.toString(), t.stage().toString(), change);
            if (t.archiving().isPresent()) {
                List<Integer> archived = PgDatabase.list(c, rs -> rs.getInt(1), "UPDATE runlog_versions SET stage = ?,"
                        + " last_update_time = ? WHERE name = ? AND stage = ? AND version <> ? RETURNING version",
                        Stage.ARCHIVED.name(), time, t.name(), t.stage().name(), t.version());
                archived.sort(null);
                for (int other : archived) {
                    event(c, t.name(), other, Action.STAGE_CHANGED, null, t.stage().toString(), Stage.ARCHIVED.toString(),
                            t.archiving().get());
                }
            }
            touchModel(c, t.name(), change);
            PgChangeFeed.announce(c, t.name());
            return version(c, t.name(), t.version()).orElseThrow();
        });
    }

    @Override
    public Optional<ModelVersion> latest(String name, Optional<Stage> stage) {
        return db.read(c -> {
            SqlText query = new SqlText().sql("SELECT coalesce(max(version), 0) FROM runlog_versions WHERE name = ").value(name);
            stage.ifPresent(s -> query.sql(" AND stage = ").value(s.name()));
            int number = query.list(c, rs -> rs.getInt(1)).get(0);
            return number == 0 ? Optional.<ModelVersion>empty() : version(c, name, number);
        });
    }

    @Override
    public ModelVersion setAlias(String name, String alias, int version, Change change) {
        return changeModel(name, c -> {
            stageOf(c, name, version);
            Optional<Integer> previous = aliasTarget(c, name, alias);
            update(c, "INSERT INTO runlog_aliases (name, alias, version) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name, alias) DO UPDATE SET version = EXCLUDED.version", name, alias, version);
            touchModel(c, name, change);
            touchVersion(c, name, version, change);
            if (previous.isPresent()) {
                touchVersion(c, name, previous.get(), change);
            }
            event(c, name, version, Action.ALIAS_SET, alias, previous.map(String::valueOf).orElse(null),
                    Integer.toString(version), change);
            PgChangeFeed.announce(c, name);
            return version(c, name, version).orElseThrow();
        });
    }

    @Override
    public void deleteAlias(String name, String alias, Change change) {
        changeModel(name, c -> {
            int target = PgDatabase.first(c, rs -> rs.getInt(1),
                    "DELETE FROM runlog_aliases WHERE name = ? AND alias = ? RETURNING version", name, alias)
                    .orElseThrow(() -> RegistryErrors.noAlias(name, alias));
            touchModel(c, name, change);
            touchVersion(c, name, target, change);
            PgChangeFeed.announce(c, name);
            return event(c, name, target, Action.ALIAS_DELETED, alias, Integer.toString(target), null, change);
        });
    }

    @Override
    public Optional<ModelVersion> versionByAlias(String name, String alias) {
        return db.read(c -> {
            Optional<Integer> target = aliasTarget(c, name, alias);
            return target.isEmpty() ? Optional.<ModelVersion>empty() : version(c, name, target.get());
        });
    }

    private static Optional<Integer> aliasTarget(Connection c, String name, String alias) throws SQLException {
        return PgDatabase.first(c, rs -> rs.getInt(1), "SELECT version FROM runlog_aliases WHERE name = ? AND alias = ?",
                name, alias);
    }

    @Override
    public List<ModelEvent> history(String name) {
        return db.read(c -> PgDatabase.list(c, rs -> new ModelEvent(rs.getLong(1), rs.getString(2), rs.getInt(3),
                StoredValues.constant(Action.class, rs.getString(4), "an audit event action"), rs.getString(5), rs.getString(6), rs.getString(7),
                Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9), rs.getString(10), gates(rs)),
                "SELECT event_id, name, version, action, alias, from_value, to_value, time, user_id, comment, gate_names,"
                        + " gate_passed, gate_actual, gate_required FROM runlog_registry_events WHERE name = ? ORDER BY event_id",
                name));
    }

    /** The gate results of an event row, from its four arrays. */
    private static List<GateResult> gates(ResultSet rs) throws SQLException {
        String[] names = (String[]) rs.getArray(11).getArray();
        Boolean[] passed = (Boolean[]) rs.getArray(12).getArray();
        String[] actual = (String[]) rs.getArray(13).getArray();
        String[] required = (String[]) rs.getArray(14).getArray();
        List<GateResult> gates = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            gates.add(new GateResult(names[i], passed[i], actual[i], required[i]));
        }
        return gates;
    }

    // ---- reading ------------------------------------------------------------------------------

    private static Optional<RegisteredModel> model(Connection c, String name) throws SQLException {
        Map<String, String> tags = new TreeMap<>();
        for (String[] tag : PgDatabase.list(c, rs -> new String[] {rs.getString(1), rs.getString(2)},
                "SELECT key, value FROM runlog_model_tags WHERE name = ?", name)) {
            tags.put(tag[0], tag[1]);
        }
        Map<String, Integer> aliases = new TreeMap<>();
        for (Map.Entry<String, Integer> alias : PgDatabase.list(c, rs -> Map.entry(rs.getString(1), rs.getInt(2)),
                "SELECT alias, version FROM runlog_aliases WHERE name = ?", name)) {
            aliases.put(alias.getKey(), alias.getValue());
        }
        return PgDatabase.first(c, rs -> new RegisteredModel(name, rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
                Instant.ofEpochMilli(rs.getLong(3)), tags, aliases),
                "SELECT description, creation_time, last_update_time FROM runlog_models WHERE name = ?", name);
    }

    private static Optional<ModelVersion> version(Connection c, String name, int version) throws SQLException {
        return versions(c, Optional.of(name), Optional.of(version)).stream().findFirst();
    }

    /** The versions of one model (or all), or one version, with their tags and aliases, by name then number. */
    private static List<ModelVersion> versions(Connection c, Optional<String> name, Optional<Integer> number)
            throws SQLException {
        SqlText scope = new SqlText().sql(" WHERE TRUE");
        name.ifPresent(n -> scope.sql(" AND name = ").value(n));
        number.ifPresent(v -> scope.sql(" AND version = ").value(v));
        Map<String, Map<String, String>> tags = new HashMap<>();
        for (String[] tag : new SqlText().sql("SELECT name || '/' || version, key, value FROM runlog_version_tags").sql(scope)
                .list(c, rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})) {
            tags.computeIfAbsent(tag[0], k -> new TreeMap<>()).put(tag[1], tag[2]);
        }
        Map<String, List<String>> aliases = new HashMap<>();
        for (String[] alias : new SqlText().sql("SELECT name || '/' || version, alias FROM runlog_aliases").sql(scope)
                .sql(" ORDER BY alias").list(c, rs -> new String[] {rs.getString(1), rs.getString(2)})) {
            aliases.computeIfAbsent(alias[0], k -> new ArrayList<>()).add(alias[1]);
        }
        return new SqlText().sql("SELECT " + VERSION_COLUMNS + ", name || '/' || version FROM runlog_versions").sql(scope)
                .sql(" ORDER BY name, version").list(c, rs -> new ModelVersion(rs.getString(1), rs.getInt(2),
                        rs.getString(3), rs.getString(4), ModelVersion.Status.READY, StoredValues.constant(Stage.class, rs.getString(5), "a version stage"),
                        rs.getString(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)),
                        Instant.ofEpochMilli(rs.getLong(9)), tags.getOrDefault(rs.getString(11), Map.of()),
                        aliases.getOrDefault(rs.getString(11), List.of()), Optional.ofNullable(rs.getString(10))));
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The stage of a version of a model whose row the caller has locked; not found if there is no such version. */
    private static Stage stageOf(Connection c, String name, int version) throws SQLException {
        return PgDatabase.first(c, rs -> StoredValues.constant(Stage.class, rs.getString(1), "a version stage"),
                "SELECT stage FROM runlog_versions WHERE name = ? AND version = ?", name, version)
                .orElseThrow(() -> RegistryErrors.noVersion(name, version));
    }

    private static int touchModel(Connection c, String name, Change change) throws SQLException {
        return update(c, "UPDATE runlog_models SET last_update_time = ? WHERE name = ?", change.time().toEpochMilli(), name);
    }

    private static int touchVersion(Connection c, String name, int version, Change change) throws SQLException {
        return update(c, "UPDATE runlog_versions SET last_update_time = ? WHERE name = ? AND version = ?",
                change.time().toEpochMilli(), name, version);
    }

    /** Appends an audit trail event with the change's time, user, comment and gates, as given. */
    private static int event(Connection c, String name, int version, Action action, String alias, String from, String to,
                             Change change) throws SQLException {
        Object[] gates = gateArrays(change.gates());
        return update(c, "INSERT INTO runlog_registry_events (" + EVENT_COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", name, version, action.name(), alias, from, to,
                change.time().toEpochMilli(), change.user(), change.comment(), gates[0], gates[1], gates[2], gates[3]);
    }

    /** Gate results as an event row holds them: four arrays of one length (names, passed, actual, required). */
    private static Object[] gateArrays(List<GateResult> gates) {
        return new Object[] {gates.stream().map(GateResult::gate).toArray(String[]::new),
                gates.stream().map(GateResult::passed).toArray(Boolean[]::new),
                gates.stream().map(GateResult::actual).toArray(String[]::new),
                gates.stream().map(GateResult::required).toArray(String[]::new)};
    }

    /**
     * One transaction. Events keep their sequence numbers when none is taken: the identity's
     * sequence first moves past the highest of them (never back), so events of other models
     * written meanwhile cannot take one. Otherwise each takes the sequence's next number, in
     * order: after every event ever numbered in this store.
     */
    @Override
    public void importModel(ModelSnapshot snapshot) {
        InputRules.notNull("snapshot", snapshot);
        RegisteredModel m = snapshot.model();
        db.write(c -> {
            if (update(c, "INSERT INTO runlog_models (name, description, creation_time, last_update_time, next_version)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING", m.name(), m.description(),
                    m.creationTime().toEpochMilli(), m.lastUpdateTime().toEpochMilli(), snapshot.nextVersion()) == 0) {
                throw RegistryErrors.modelExists(m.name());
            }
            PgDatabase.batch(c, "INSERT INTO runlog_model_tags (name, key, value) VALUES (?, ?, ?)", m.tags().entrySet()
                    .stream().map(t -> new Object[] {m.name(), t.getKey(), t.getValue()}).toList());
            PgDatabase.batch(c, "INSERT INTO runlog_aliases (name, alias, version) VALUES (?, ?, ?)", m.aliases().entrySet()
                    .stream().map(a -> new Object[] {m.name(), a.getKey(), a.getValue()}).toList());
            PgDatabase.batch(c, "INSERT INTO runlog_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    snapshot.versions().stream().map(v -> new Object[] {m.name(), v.version(), v.source(), v.runId(),
                            v.stage().name(), v.description(), v.userId(), v.creationTime().toEpochMilli(),
                            v.lastUpdateTime().toEpochMilli(), v.modelDigest().orElse(null)}).toList());
            PgDatabase.batch(c, "INSERT INTO runlog_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)",
                    snapshot.versions().stream().flatMap(v -> v.tags().entrySet().stream()
                            .map(t -> new Object[] {m.name(), v.version(), t.getKey(), t.getValue()})).toList());
            Long[] sequences = snapshot.events().stream().map(ModelEvent::sequence).toArray(Long[]::new);
            boolean keep = sequences.length > 0
                    && !PgDatabase.exists(c, "SELECT 1 FROM runlog_registry_events WHERE event_id = ANY (?)", (Object) sequences);
            if (keep) {
                PgDatabase.first(c, rs -> rs.getLong(1), "SELECT setval(s, greatest(?, coalesce(pg_sequence_last_value(s::regclass), 0)))"
                        + " FROM pg_get_serial_sequence('runlog_registry_events', 'event_id') AS s", sequences[sequences.length - 1]);
            }
            List<Object[]> rows = new ArrayList<>();
            for (ModelEvent e : snapshot.events()) {
                Object[] gates = gateArrays(e.gates());
                Object[] row = {m.name(), e.version(), e.action().name(), e.alias(), e.from(), e.to(), e.time().toEpochMilli(),
                        e.user(), e.comment(), gates[0], gates[1], gates[2], gates[3], e.sequence()};
                rows.add(keep ? row : java.util.Arrays.copyOf(row, row.length - 1));
            }
            PgDatabase.batch(c, "INSERT INTO runlog_registry_events (" + EVENT_COLUMNS + (keep
                    ? ", event_id) OVERRIDING SYSTEM VALUE VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    : ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"), rows);
            return null;
        });
    }

    /** Stops listening for changes; the database belongs to the tracking store, which closes it. */
    @Override
    public void close() {
        changes.close();
    }
}
