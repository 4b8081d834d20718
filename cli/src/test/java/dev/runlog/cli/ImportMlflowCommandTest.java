package dev.runlog.cli;

import static dev.runlog.cli.CommandsContract.assertFailed;
import static dev.runlog.cli.CommandsContract.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runlog.cli.CliHarness.Result;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import-mlflow: a small mlruns/ file store into a SQLite store, the report printed, a second import refused. */
class ImportMlflowCommandTest {
    static final String RUN = "0123456789abcdef0123456789abcdef";
    static final String REMOTE = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path dir;

    /** An MLflow file store as MLflow writes it: one experiment, a run with a NaN point and a file, one on S3, a model. */
    static Path mlruns(Path dir) throws IOException {
        Path root = dir.resolve("mlruns");
        write(root.resolve("1/meta.yaml"), "artifact_location: file://" + root.resolve("1") + "\ncreation_time: 1700000000000\n"
                + "experiment_id: '1'\nlast_update_time: 1700000000000\nlifecycle_stage: active\nname: mnist\n");
        for (String id : List.of(RUN, REMOTE)) {
            Path run = root.resolve("1/" + id);
            String uri = id.equals(RUN) ? "file://" + run.resolve("artifacts") : "s3://bucket/1/" + id + "/artifacts";
            write(run.resolve("meta.yaml"), "artifact_uri: " + uri + "\nend_time: 1700000060000\nentry_point_name: ''\n"
                    + "experiment_id: '1'\nlifecycle_stage: active\nrun_id: " + id + "\nrun_name: cnn\nrun_uuid: " + id
                    + "\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: 1700000000000\nstatus: 3\n"
                    + "tags: []\nuser_id: alice\n");
        }
        write(root.resolve("1/" + RUN + "/params/lr"), "0.01");
        write(root.resolve("1/" + RUN + "/metrics/loss"), "1700000001000 0.5 0\n1700000002000 nan 1\n");
        write(root.resolve("1/" + RUN + "/artifacts/notes.txt"), "mnist cnn");
        Path model = root.resolve("models/mnist-cnn");
        write(model.resolve("meta.yaml"), "creation_timestamp: 1700000100000\ndescription: ''\n"
                + "last_updated_timestamp: 1700000100000\nname: mnist-cnn\n");
        write(model.resolve("version-1/meta.yaml"), "creation_timestamp: 1700000100000\ncurrent_stage: Production\n"
                + "description: ''\nlast_updated_timestamp: 1700000100000\nname: mnist-cnn\nrun_id: " + RUN + "\nrun_link: ''\n"
                + "source: file://" + root.resolve("1/" + RUN + "/artifacts/model") + "\nstatus: READY\nstatus_message: null\n"
                + "user_id: alice\nversion: 1\n");
        write(model.resolve("aliases/champion"), "1");
        return root;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void importsAnMlrunsStoreAndPrintsWhatWasImportedAndSkipped() throws Exception {
        Path mlruns = mlruns(dir);
        String target = "sqlite:" + dir.resolve("runlog.db");
        try (CliHarness cli = new CliHarness(target)) {
            Result text = cli.run("import-mlflow", "--from", mlruns.toString());
            assertEquals(0, text.code(), text::toString);
            assertEquals(List.of("imported " + mlruns + " into " + target + ": 1 experiments, 2 runs, 2 metric points,"
                            + " 1 artifacts (9 bytes), 1 models, 1 versions",
                    "skipped 1:",
                    "  artifacts of run " + REMOTE + ": they are at s3://bucket/1/" + REMOTE
                            + "/artifacts; only local paths and file: locations are read"), text.lines());
            Result again = cli.run("import-mlflow", "--from", mlruns.toString());
            assertFailed(again, 1, "already has an experiment", "nothing was imported");
            assertFailed(cli.run("import-mlflow"), 2, "--from");
        }
        try (Tracker tracker = Tracker.open(target)) {
            assertEquals(Map.of("lr", "0.01"), tracker.getRun(RUN).data().params());
            assertTrue(Double.isNaN(tracker.metricHistory(RUN, "loss").get(1).value()));
            assertEquals(Stage.PRODUCTION, ModelRegistry.of(tracker).getByAlias("mnist-cnn", "champion").stage());
        }
    }

    @Test
    void aMissingSourceLeavesNoNewTargetBehind() {
        try (CliHarness cli = new CliHarness("sqlite:" + dir.resolve("runlog.db"))) {
            for (String from : List.of(dir.resolve("nowhere").toString(), "sqlite:" + dir.resolve("mlflow.db"))) {
                Result r = cli.run("import-mlflow", "--from", from, "--to", "sqlite:" + dir.resolve("new.db"));
                assertFailed(r, 1, "no MLflow store at " + dir.resolve(from.startsWith("sqlite:") ? "mlflow.db" : "nowhere"),
                        "check --from");
            }
            // file:/abs is a path too, not a relative file named "file:"
            assertFailed(cli.run("import-mlflow", "--from", "file:" + dir.resolve("gone"), "--to", "sqlite:" + dir.resolve("new.db")),
                    1, "no MLflow store at " + dir.resolve("gone"));
        }
        assertFalse(Files.exists(dir.resolve("new.db")));
    }

    @Test
    void aSourceTheImportRefusesLeavesNoNewTargetBehind() throws Exception {
        Path notMlflow = dir.resolve("notes.db");
        write(notMlflow, "not a database at all, just text");
        try (CliHarness cli = new CliHarness("sqlite:" + dir.resolve("runlog.db"))) {
            Result r = cli.run("import-mlflow", "--from", notMlflow.toString(), "--to", "sqlite:" + dir.resolve("new.db"));
            assertEquals(1, r.code(), r::toString);
        }
        assertFalse(Files.exists(dir.resolve("new.db")), "a refused import left a new, empty store behind");
        assertFalse(Files.exists(dir.resolve("new.db-wal")));
    }

    @Test
    void jsonNamesTheStoresAndListsWhatWasSkipped() throws Exception {
        Path mlruns = mlruns(dir);
        try (CliHarness cli = new CliHarness(null)) {
            Result result = cli.run("import-mlflow", "--from", mlruns.toString(), "--to", "memory:", "--format", "json");
            assertEquals(0, result.code(), result::toString);
            JsonNode report = json(result.out());
            assertEquals(mlruns.toString(), report.get("from").asText());
            assertEquals("memory:", report.get("to").asText());
            assertEquals(2, report.get("runs").asLong());
            assertEquals(1, report.get("versions").asLong());
            List<String> fields = new java.util.ArrayList<>();
            report.get("skipped").get(0).fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("what", "reason"), fields, "what, then why");
            assertEquals("artifacts of run " + REMOTE, report.get("skipped").get(0).get("what").asText());
        }
    }
}
