package dev.runlog.mlflow.internal;

import dev.runlog.tracking.DatasetInput;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.spi.InputRules;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * An MLflow tracking database read through JDBC with MLflow's documented schema (its SQLAlchemy
 * models, built by its alembic migrations): SQLite ({@code mlflow.db}) opened read-only, or
 * PostgreSQL. Tables and columns that later migrations added (aliases, datasets and inputs,
 * {@code deleted_time}, experiment times) are read when present, so databases of older MLflow
 * versions import too. Every query is parameterized.
 */
public final class SqlSource implements MlflowSource {
    private static final int POINT_BATCH = 50_000;

    private final Connection connection;
    private final String described;
    /** Null for a server's database: relative artifact locations were relative to wherever its MLflow server ran. */
    private final Path base;
    private final Set<String> tables = new HashSet<>();
    private final Map<String, Set<String>> columns = new HashMap<>();

    private SqlSource(Connection connection, String described, Path base) {
        this.connection = connection;
        this.described = described;
        this.base = base;
    }

    /** An MLflow SQLite database file, opened read-only. */
    public static SqlSource sqlite(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
            return check(new SqlSource(c, "sqlite:" + file, file.toAbsolutePath().getParent()));
        } catch (SQLException e) {
            throw new InvalidInputException(file + " is not a SQLite database MLflow wrote: " + e.getMessage());
        }
    }

    /**
     * An MLflow PostgreSQL database named as MLflow names it:
     * {@code postgresql[+driver]://user[:password]@host[:port]/database}. Needs the PostgreSQL JDBC
     * driver on the class path.
     */
    public static SqlSource postgres(String uri) {
        URI parsed = URI.create(uri.replaceFirst("^postgresql(\\+[a-z0-9]+)?://", "http://"));
        if (parsed.getHost() == null || parsed.getPath() == null || parsed.getPath().length() < 2) {
            throw new InvalidInputException("'" + redact(uri) + "' is not postgresql://user[:password]@host[:port]/database");
        }
        Properties properties = new Properties();
        if (parsed.getRawUserInfo() != null) {
            String[] user = parsed.getRawUserInfo().split(":", 2);
            properties.setProperty("user", decode(user[0]));
            if (user.length > 1) {
                properties.setProperty("password", decode(user[1]));
            }
        }
        String jdbc = "jdbc:postgresql://" + parsed.getHost() + (parsed.getPort() < 0 ? "" : ":" + parsed.getPort())
                + parsed.getPath();
        try {
            Class.forName("org.postgresql.Driver");
        } catch (ClassNotFoundException e) {
            throw new InvalidInputException("Reading an MLflow PostgreSQL database needs the PostgreSQL JDBC driver"
                    + " (org.postgresql:postgresql) on the class path");
        }
        try {
            Connection c = DriverManager.getConnection(jdbc, properties);
            c.setReadOnly(true);
            return check(new SqlSource(c, redact(uri), null));
        } catch (SQLException e) {
            throw new StoreException("Cannot open the MLflow database " + redact(uri) + ": " + e.getMessage(), e);
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** The URI without its credentials (user:password@, or an option such as ?password= or ?sslpassword=), to print, as every Runlog message shows a URI. */
    static String redact(String uri) {
        return InputRules.hideCredentials(uri);
    }

    /** Refuses a database that is not MLflow's: its schema is versioned in alembic_version. */
    private static SqlSource check(SqlSource source) {
        try {
            DatabaseMetaData meta = source.connection.getMetaData();
            try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    source.tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
            for (String required : List.of("alembic_version", "experiments", "runs", "metrics", "params", "tags")) {
                if (!source.tables.contains(required)) {
                    source.close();
                    throw new InvalidInputException(source.described + " is not an MLflow tracking database: it has no "
                            + required + " table");
                }
            }
            return source;
        } catch (SQLException e) {
            source.close();
            throw new InvalidInputException(source.described + " cannot be read as an MLflow database: " + e.getMessage());
        }
    }

    /** What reading the runs found it could not bring, listed in the report. */
    private final List<String[]> notes = new ArrayList<>();

    private boolean hasColumn(String table, String column) {
        return columns.computeIfAbsent(table, t -> {
            Set<String> names = new HashSet<>();
            try (ResultSet rs = connection.getMetaData().getColumns(null, null, t, "%")) {
                while (rs.next()) {
                    names.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            } catch (SQLException e) {
                throw failure("read the columns of " + t, e);
            }
            return names;
        }).contains(column);
    }

    @Override
    public String describe() {
        return described;
    }

    @Override
    public Optional<Path> baseDirectory() {
        return Optional.ofNullable(base);
    }

    @Override
    public List<Experiment> experiments() {
        boolean times = hasColumn("experiments", "creation_time");
        Map<String, Map<String, String>> tags = new HashMap<>();
        if (tables.contains("experiment_tags")) {
            query("SELECT experiment_id, key, value FROM experiment_tags", List.of(), rs ->
                    tags.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), text(rs, 3)));
        }
        List<Experiment> all = new ArrayList<>();
        query("SELECT experiment_id, name, lifecycle_stage" + (times ? ", creation_time, last_update_time" : "")
                + " FROM experiments ORDER BY experiment_id", List.of(), rs -> {
                    Instant created = times ? millis(rs, 4) : null;
                    Instant updated = times ? millis(rs, 5) : null;
                    created = created != null ? created : updated != null ? updated : Instant.EPOCH;
                    all.add(new Experiment(rs.getString(1), rs.getString(2), stage(rs.getString(3)), created,
                            updated == null ? created : updated, tags.getOrDefault(rs.getString(1), Map.of())));
                });
        return all;
    }

    @Override
    public List<String> runIds() {
        List<String> ids = new ArrayList<>();
        query("SELECT run_uuid FROM runs ORDER BY run_uuid", List.of(), rs -> ids.add(rs.getString(1)));
        return ids;
    }

    @Override
    public void forEachRun(Consumer<SourceRun> action) {
        String deleted = hasColumn("runs", "deleted_time") ? "deleted_time" : "NULL";
        List<SourceRun> page = new ArrayList<>();
        String after = "";
        do {
            page.clear();
            // A page at a time by id: the connection is not held open on a cursor while the target is written.
            query("SELECT run_uuid, experiment_id, name, status, start_time, end_time, lifecycle_stage, " + deleted
                    + ", artifact_uri, user_id FROM runs WHERE run_uuid > ? ORDER BY run_uuid LIMIT 500", List.of(after), rs ->
                    page.add(new SourceRun(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            longOrNull(rs, 5), longOrNull(rs, 6), rs.getString(7), longOrNull(rs, 8), rs.getString(9),
                            Map.of(), Map.of(), List.of(), Optional.empty(), rs.getString(10))));
            for (SourceRun run : page) {
                action.accept(new SourceRun(run.id(), run.experimentId(), run.name(), run.status(), run.startTime(),
                        run.endTime(), run.lifecycleStage(), run.deletedTime(), run.artifactUri(),
                        keyValues("params", run.id()), keyValues("tags", run.id()), inputs(run.id()), Optional.empty(),
                        run.userId()));
                after = run.id();
            }
        } while (page.size() == 500);
    }

    private Map<String, String> keyValues(String table, String runId) {
        Map<String, String> values = new LinkedHashMap<>();
        query("SELECT key, value FROM " + table + " WHERE run_uuid = ?", List.of(runId),
                rs -> values.put(rs.getString(1), text(rs, 2)));
        return values;
    }

    private List<DatasetInput> inputs(String runId) {
        if (!tables.contains("inputs") || !tables.contains("datasets")) {
            return List.of();
        }
        Map<String, String> contexts = new HashMap<>();
        if (tables.contains("input_tags")) {
            query("SELECT t.input_uuid, t.value FROM input_tags t JOIN inputs i ON i.input_uuid = t.input_uuid"
                    + " WHERE i.destination_id = ? AND t.name = 'mlflow.data.context'", List.of(runId),
                    rs -> contexts.put(rs.getString(1), rs.getString(2)));
        }
        List<DatasetInput> inputs = new ArrayList<>();
        // MLflow keeps datasets per experiment: an input naming another experiment's, or none, is listed.
        query("SELECT i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema,"
                + " d.dataset_profile, i.source_id FROM inputs i LEFT JOIN datasets d ON d.dataset_uuid = i.source_id"
                + " AND d.experiment_id = (SELECT r.experiment_id FROM runs r WHERE r.run_uuid = i.destination_id)"
                + " WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id = ?"
                + " ORDER BY i.input_uuid", List.of(runId), rs -> {
                    if (rs.getString(2) == null) {
                        notes.add(new String[] {"input " + rs.getString(1) + " of run " + runId,
                                "its dataset '" + rs.getString(8) + "' is not among its experiment's datasets"});
                    } else {
                        inputs.add(new DatasetInput(MlflowDatasets.of(rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7)), contexts.getOrDefault(rs.getString(1), "")));
                    }
                });
        return inputs;
    }

    @Override
    public void metrics(String runId, Consumer<List<Metric>> batch) {
        String nan = hasColumn("metrics", "is_nan") ? "is_nan" : "0";
        String step = hasColumn("metrics", "step") ? "step" : "0";
        List<Metric> points = new ArrayList<>();
        query("SELECT key, value, timestamp, " + step + ", " + nan + " FROM metrics WHERE run_uuid = ?"
                + " ORDER BY key, " + step + ", timestamp", List.of(runId), rs -> {
                    // MLflow stores NaN as is_nan with value 0: SQL has no NaN.
                    double value = rs.getBoolean(5) ? Double.NaN : rs.getDouble(2);
                    points.add(new Metric(rs.getString(1), value, rs.getLong(4), rs.getLong(3)));
                    if (points.size() == POINT_BATCH) {
                        batch.accept(List.copyOf(points));
                        points.clear();
                    }
                });
        if (!points.isEmpty()) {
            batch.accept(points);
        }
    }

    @Override
    public List<SourceModel> models() {
        if (!tables.contains("registered_models")) {
            return List.of();
        }
        Map<String, Map<String, String>> modelTags = groupedTags("registered_model_tags", "name", null);
        Map<String, Map<String, String>> versionTags = groupedTags("model_version_tags", "name", "version");
        Map<String, Map<String, Integer>> aliases = new HashMap<>();
        if (tables.contains("registered_model_aliases")) {
            query("SELECT name, alias, version FROM registered_model_aliases ORDER BY name, alias", List.of(), rs ->
                    aliases.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getInt(3)));
        }
        Map<String, List<SourceVersion>> versions = new HashMap<>();
        if (tables.contains("model_versions")) {
            query("SELECT name, version, creation_time, last_updated_time, description, user_id, current_stage, source,"
                    + " run_id, status FROM model_versions ORDER BY name, version", List.of(), rs ->
                    versions.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new SourceVersion(rs.getInt(2),
                            longOrNull(rs, 3), longOrNull(rs, 4), rs.getString(5), rs.getString(6), rs.getString(7),
                            rs.getString(8), rs.getString(9), rs.getString(10),
                            versionTags.getOrDefault(rs.getString(1) + "\0" + rs.getInt(2), Map.of()))));
        }
        List<SourceModel> models = new ArrayList<>();
        query("SELECT name, creation_time, last_updated_time, description FROM registered_models ORDER BY name", List.of(),
                rs -> models.add(new SourceModel(rs.getString(1), longOrNull(rs, 2), longOrNull(rs, 3), rs.getString(4),
                        modelTags.getOrDefault(rs.getString(1), Map.of()), aliases.getOrDefault(rs.getString(1), Map.of()),
                        versions.getOrDefault(rs.getString(1), List.of()))));
        return models;
    }

    private Map<String, Map<String, String>> groupedTags(String table, String name, String version) {
        Map<String, Map<String, String>> tags = new HashMap<>();
        if (tables.contains(table)) {
            query("SELECT " + name + (version == null ? "" : ", " + version) + ", key, value FROM " + table, List.of(), rs -> {
                String owner = version == null ? rs.getString(1) : rs.getString(1) + "\0" + rs.getInt(2);
                int at = version == null ? 2 : 3;
                tags.computeIfAbsent(owner, k -> new LinkedHashMap<>()).put(rs.getString(at), text(rs, at + 1));
            });
        }
        return tags;
    }

    @Override
    public List<String[]> unreadable() {
        // MLflow 3's logged models (a table of their own, files under the experiment) have no
        // counterpart the import writes; each is listed rather than passed over.
        List<String[]> all = new ArrayList<>(notes);
        if (hasColumn("logged_models", "model_id")) {
            query("SELECT model_id, experiment_id FROM logged_models ORDER BY model_id", List.of(), rs -> all.add(new String[] {
                    "logged model " + rs.getString(1) + " of experiment " + rs.getString(2),
                    "MLflow 3's logged models are not imported; their files stay in the MLflow store"}));
        }
        return all;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // read-only: nothing is lost
        }
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String sql, List<String> args, Row row) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                statement.setString(i + 1, args.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw failure("query the MLflow database (" + sql.substring(0, Math.min(60, sql.length())) + "...)", e);
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("Cannot " + what + " of " + described + ": " + e.getMessage(), e);
    }

    private static String text(ResultSet rs, int column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? "" : value;
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant millis(ResultSet rs, int column) throws SQLException {
        Long value = longOrNull(rs, column);
        return value == null ? null : Instant.ofEpochMilli(value);
    }

    /** MLflow's {@code active} or {@code deleted}; anything else MLflow never writes, and is refused rather than read as active. */
    static LifecycleStage stage(String mlflow) {
        if ("deleted".equalsIgnoreCase(mlflow)) {
            return LifecycleStage.DELETED;
        }
        if (mlflow == null || "active".equalsIgnoreCase(mlflow)) {
            return LifecycleStage.ACTIVE;
        }
        throw new InvalidInputException("its lifecycle_stage '" + mlflow + "' is not active or deleted");
    }
}
