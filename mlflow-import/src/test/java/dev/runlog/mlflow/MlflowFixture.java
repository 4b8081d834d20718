package dev.runlog.mlflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * One small MLflow store, written the two ways MLflow writes it: a tracking database (tables from
 * {@code mlflow-schema.sql}, MLflow's schema) and an {@code mlruns/} file store. It has the shapes
 * real stores have: a parent run with a child ({@code mlflow.parentRunId}), NaN among a metric's
 * points, a deleted run, a running run, a run whose artifacts are on S3, a deleted experiment, a
 * dataset input, and a registered model with a version in Production, one in Staging, one whose run
 * is missing, one MLflow deleted, and aliases to the first and the third.
 */
final class MlflowFixture {
    static final String PARENT = "a0".repeat(16);
    static final String CHILD = "b1".repeat(16);
    static final String DELETED = "c2".repeat(16);
    static final String RUNNING = "d3".repeat(16);
    static final String REMOTE = "e4".repeat(16);
    static final String OLD = "f5".repeat(16);
    static final String MISSING = "99".repeat(16);
    static final long T0 = 1_700_000_000_000L;
    static final String MODEL = "iris-classifier";

    /** Runs: id, experiment, name, status, start, end, lifecycle, deleted time. */
    static final List<Object[]> RUNS = List.of(
            new Object[] {PARENT, 1, "sweep", "FINISHED", T0, T0 + 60_000, "active", null},
            new Object[] {CHILD, 1, "child-1", "FINISHED", T0 + 1_000, T0 + 30_000, "active", null},
            new Object[] {DELETED, 1, "child-2", "FAILED", T0 + 2_000, T0 + 5_000, "deleted", T0 + 90_000},
            new Object[] {RUNNING, 1, "still-going", "RUNNING", T0 + 3_000, null, "active", null},
            new Object[] {REMOTE, 1, "on-s3", "FINISHED", T0 + 4_000, T0 + 8_000, "active", null},
            new Object[] {OLD, 2, "old-run", "KILLED", T0 - 50_000, T0 - 40_000, "active", null});

    /** Metric points of CHILD: key, step, value, timestamp. */
    static final List<Object[]> POINTS = List.of(
            new Object[] {"loss", 0L, 0.9, T0 + 1_000},
            new Object[] {"loss", 1L, Double.NaN, T0 + 2_000},
            new Object[] {"loss", 2L, 0.4, T0 + 3_000},
            new Object[] {"accuracy", 2L, 0.8, T0 + 3_000});

    /** Versions of MODEL: version, run, stage, source under the run's artifacts (or a runs:/ URI). */
    static final List<Object[]> VERSIONS = List.of(
            new Object[] {1, PARENT, "Production", "model"},
            new Object[] {2, CHILD, "Staging", "runs:/" + CHILD + "/model"},
            new Object[] {3, MISSING, "None", "runs:/" + MISSING + "/model"},
            new Object[] {4, PARENT, "Deleted_Internal", "model"});

    static final Map<String, Integer> ALIASES = Map.of("champion", 1, "challenger", 3);

    private MlflowFixture() {
    }

    static Map<String, String> params(String run) {
        return run.equals(PARENT) ? Map.of("lr", "0.1", "epochs", "3") : run.equals(CHILD) ? Map.of("lr", "0.1") : Map.of();
    }

    static Map<String, String> tags(String run, String name) {
        return run.equals(CHILD) ? Map.of("mlflow.runName", name, "mlflow.user", "alice", "mlflow.parentRunId", PARENT)
                : Map.of("mlflow.runName", name, "mlflow.user", "alice");
    }

    /** Artifact files by run: relative path to content. */
    static Map<String, String> artifacts(String run) {
        return run.equals(PARENT) ? Map.of("model/MLmodel", "flavors:\n  sklearn: {}\n", "notes.txt", "trained on iris")
                : run.equals(CHILD) ? Map.of("plots/loss.txt", "0.9 nan 0.4") : Map.of();
    }

    // ---- the tracking database ----

    /** Fills an empty database with MLflow's tables and the store; artifacts go under {@code dir/mlartifacts}. */
    static void writeDatabase(Connection c, Path dir, boolean postgres) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : schema().split("\n;\n")) {
                if (!ddl.isBlank()) {
                    // PostgreSQL's is_nan is a boolean, whose check MLflow writes as IN (false, true).
                    s.execute(postgres ? ddl.replace("IN (0, 1)", "IN (false, true)") : ddl);
                }
            }
        }
        insert(c, "INSERT INTO alembic_version VALUES (?)", "bda7b8c39065");
        insert(c, "INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?)", 0, "Default", "file:///tmp/mlruns/0", "active", T0 - 100_000, T0 - 100_000);
        insert(c, "INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?)", 1, "iris", "file:///tmp/mlruns/1", "active", T0 - 90_000, T0 + 60_000);
        insert(c, "INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?)", 2, "old", "file:///tmp/mlruns/2", "deleted", T0 - 80_000, T0 - 10_000);
        insert(c, "INSERT INTO experiment_tags VALUES (?, ?, ?)", "team", "vision", 1);
        for (Object[] r : RUNS) {
            String id = (String) r[0];
            String uri = id.equals(REMOTE) ? "s3://bucket/1/" + id + "/artifacts"
                    : id.equals(CHILD) ? "./mlartifacts/1/" + id + "/artifacts" // relative to the database's directory
                    : "file://" + dir.toAbsolutePath().resolve("mlartifacts/1/" + id + "/artifacts");
            // MLflow marks the runs of a deleted experiment deleted too.
            String stage = ((Integer) r[1]) == 2 ? "deleted" : (String) r[6];
            insert(c, "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status,"
                    + " start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time)"
                    + " VALUES (?, ?, 'LOCAL', 'train.py', '', 'alice', ?, ?, ?, '', ?, ?, ?, ?)",
                    id, r[2], r[3], r[4], r[5], stage, uri, r[1], r[7]);
            params(id).forEach((k, v) -> insertUnchecked(c, "INSERT INTO params VALUES (?, ?, ?)", k, v, id));
            tags(id, (String) r[2]).forEach((k, v) -> insertUnchecked(c, "INSERT INTO tags VALUES (?, ?, ?)", k, v, id));
            writeFiles(dir.resolve("mlartifacts/1/" + id + "/artifacts"), artifacts(id));
        }
        for (Object[] p : POINTS) {
            boolean nan = Double.isNaN((Double) p[2]);
            insert(c, "INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)", p[0], nan ? 0.0 : p[2], p[3], CHILD, p[1], nan);
        }
        insert(c, "INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "ds-1", 1, "iris", "1a2b3c4d", "local",
                "{\"uri\": \"/data/iris.csv\"}",
                "{\"mlflow_colspec\": [{\"type\": \"double\", \"name\": \"sepal_length\", \"required\": true},"
                        + " {\"type\": \"string\", \"name\": \"species\", \"required\": true}]}",
                "{\"num_rows\": 150, \"num_elements\": 300}");
        insert(c, "INSERT INTO inputs VALUES (?, ?, ?, ?, ?, ?)", "in-1", "DATASET", "ds-1", "RUN", CHILD, 0L);
        insert(c, "INSERT INTO input_tags VALUES (?, ?, ?)", "in-1", "mlflow.data.context", "training");
        insert(c, "INSERT INTO registered_models VALUES (?, ?, ?, ?)", MODEL, T0 + 100_000, T0 + 200_000, "Iris species classifier");
        insert(c, "INSERT INTO registered_model_tags VALUES (?, ?, ?)", "owner", "ml", MODEL);
        for (Object[] v : VERSIONS) {
            String runUri = "file://" + dir.toAbsolutePath().resolve("mlartifacts/1/" + v[1] + "/artifacts");
            String source = ((String) v[3]).startsWith("runs:") ? (String) v[3] : runUri + "/" + v[3];
            insert(c, "INSERT INTO model_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'READY', '', '', ?)", MODEL, v[0],
                    T0 + 100_000 + 1_000L * (Integer) v[0], T0 + 150_000, "version " + v[0], "alice", v[2], source, v[1], source);
        }
        insert(c, "INSERT INTO model_version_tags VALUES (?, ?, ?, ?)", "validated", "true", MODEL, 1);
        ALIASES.forEach((alias, version) -> insertUnchecked(c, "INSERT INTO registered_model_aliases VALUES (?, ?, ?)",
                alias, version, MODEL));
    }

    private static String schema() {
        try (InputStream in = MlflowFixture.class.getResourceAsStream("mlflow-schema.sql")) {
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            return sql.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void insertUnchecked(Connection c, String sql, Object... values) {
        try {
            insert(c, sql, values);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void insert(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v == null) {
                    s.setNull(i + 1, Types.BIGINT);
                } else if (v instanceof Long l) {
                    s.setLong(i + 1, l);
                } else if (v instanceof Integer n) {
                    s.setInt(i + 1, n);
                } else if (v instanceof Double d) {
                    s.setDouble(i + 1, d);
                } else if (v instanceof Boolean b) {
                    s.setBoolean(i + 1, b);
                } else {
                    s.setString(i + 1, (String) v);
                }
            }
            s.executeUpdate();
        }
    }

    // ---- the file store ----

    /** Writes the store as MLflow's file store writes it, under {@code mlruns}. */
    static void writeFileStore(Path mlruns) throws IOException {
        experiment(mlruns.resolve("0"), "0", "Default", T0 - 100_000);
        experiment(mlruns.resolve("1"), "1", "iris", T0 - 90_000);
        writeFiles(mlruns.resolve("1/tags"), Map.of("team", "vision"));
        // A deleted experiment moves to .trash; its runs' meta.yaml are left as they were.
        experiment(mlruns.resolve(".trash/2"), "2", "old", T0 - 80_000);
        for (Object[] r : RUNS) {
            String id = (String) r[0];
            Path dir = mlruns.resolve((r[1].equals(2) ? ".trash/2/" : "1/") + id);
            String uri = id.equals(REMOTE) ? "s3://bucket/1/" + id + "/artifacts" : "file://" + dir.resolve("artifacts");
            String status = switch ((String) r[3]) {
                case "RUNNING" -> "1";
                case "FINISHED" -> "3";
                case "FAILED" -> "4";
                default -> "5";
            };
            write(dir.resolve("meta.yaml"), "artifact_uri: " + uri + "\nend_time: " + (r[5] == null ? "null" : r[5])
                    + "\nentry_point_name: ''\nexperiment_id: '" + r[1] + "'\nlifecycle_stage: " + r[6]
                    + (r[7] == null ? "" : "\ndeleted_time: " + r[7]) + "\nrun_id: " + id + "\nrun_name: " + r[2]
                    + "\nrun_uuid: " + id + "\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: " + r[4]
                    + "\nstatus: " + status + "\ntags: []\nuser_id: alice\n");
            writeFiles(dir.resolve("params"), params(id));
            writeFiles(dir.resolve("tags"), tags(id, (String) r[2]));
            writeFiles(dir.resolve("artifacts"), artifacts(id));
        }
        StringBuilder loss = new StringBuilder();
        StringBuilder accuracy = new StringBuilder();
        for (Object[] p : POINTS) {
            double value = (Double) p[2];
            (p[0].equals("loss") ? loss : accuracy).append(p[3]).append(' ')
                    .append(Double.isNaN(value) ? "nan" : Double.toString(value)).append(' ').append(p[1]).append('\n');
        }
        writeFiles(mlruns.resolve("1/" + CHILD + "/metrics"), Map.of("loss", loss.toString(), "accuracy", accuracy.toString()));
        // As MLflow's FileStore.log_inputs writes them (yaml.safe_dump, keys sorted, long values folded; its
        // destination_id repeats the source_id), and an input naming a dataset the experiment does not have.
        write(mlruns.resolve("1/" + CHILD + "/inputs/in-1/meta.yaml"), "destination_id: ds-1"
                + "\ndestination_type: RUN\nsource_id: ds-1\nsource_type: DATASET\ntags:\n  mlflow.data.context: training\n");
        write(mlruns.resolve("1/" + CHILD + "/inputs/in-2/meta.yaml"), "destination_id: ds-gone"
                + "\ndestination_type: RUN\nsource_id: ds-gone\nsource_type: DATASET\ntags: {}\n");
        write(mlruns.resolve("1/datasets/ds-1/meta.yaml"), "digest: 1a2b3c4d\nname: iris\nprofile: '{\"num_rows\": 150,"
                + " \"num_elements\": 300}'\nschema: '{\"mlflow_colspec\": [{\"type\": \"double\", \"name\": \"sepal_length\","
                + " \"required\":\n  true}, {\"type\": \"string\", \"name\": \"species\", \"required\": true}]}'\n"
                + "source: '{\"uri\": \"/data/iris.csv\"}'\nsource_type: local\n");
        Path model = mlruns.resolve("models/" + MODEL);
        write(model.resolve("meta.yaml"), "creation_timestamp: " + (T0 + 100_000)
                + "\ndescription: Iris species\n  classifier\nlast_updated_timestamp: " + (T0 + 200_000)
                + "\nname: " + MODEL + "\n");
        writeFiles(model.resolve("tags"), Map.of("owner", "ml"));
        ALIASES.forEach((alias, version) -> writeUnchecked(model.resolve("aliases/" + alias), version.toString()));
        for (Object[] v : VERSIONS) {
            Path runDir = mlruns.resolve("1/" + v[1]);
            String source = ((String) v[3]).startsWith("runs:") ? (String) v[3] : "file://" + runDir.resolve("artifacts/" + v[3]);
            write(model.resolve("version-" + v[0] + "/meta.yaml"), "creation_timestamp: "
                    + (T0 + 100_000 + 1_000L * (Integer) v[0]) + "\ncurrent_stage: " + v[2] + "\ndescription: \"version "
                    + v[0] + "\"\nlast_updated_timestamp: " + (T0 + 150_000) + "\nname: " + MODEL + "\nrun_id: " + v[1]
                    + "\nrun_link: ''\nsource: " + source + "\nstatus: READY\nstatus_message: null\nstorage_location: "
                    + source + "\nuser_id: alice\nversion: " + v[0] + "\n");
        }
        writeFiles(model.resolve("version-1/tags"), Map.of("validated", "true"));
    }

    private static void experiment(Path dir, String id, String name, long created) throws IOException {
        write(dir.resolve("meta.yaml"), "artifact_location: file://" + dir + "\ncreation_time: " + created
                + "\nexperiment_id: '" + id + "'\nlast_update_time: " + created + "\nlifecycle_stage: "
                + (dir.getParent().getFileName().toString().equals(".trash") ? "deleted" : "active") + "\nname: " + name + "\n");
    }

    static void writeFiles(Path dir, Map<String, String> files) {
        files.forEach((path, content) -> writeUnchecked(dir.resolve(path), content));
    }

    private static void writeUnchecked(Path file, String content) {
        try {
            write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
