package dev.runlog.mlflow;

import static dev.runlog.mlflow.MlflowFixture.CHILD;
import static dev.runlog.mlflow.MlflowFixture.DELETED;
import static dev.runlog.mlflow.MlflowFixture.MODEL;
import static dev.runlog.mlflow.MlflowFixture.OLD;
import static dev.runlog.mlflow.MlflowFixture.PARENT;
import static dev.runlog.mlflow.MlflowFixture.REMOTE;
import static dev.runlog.mlflow.MlflowFixture.RUNNING;
import static dev.runlog.mlflow.MlflowFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelEvent;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.Experiment;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports the {@link MlflowFixture} store, as a SQLite database and as an {@code mlruns/} file
 * store, into {@code memory:} and {@code sqlite:} stores, and reads it back through Runlog's API.
 */
class MlflowImportTest {
    @TempDir
    static Path shared;
    static Path database;
    static Path mlruns;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeStores() throws Exception {
        database = shared.resolve("db/mlflow.db");
        Files.createDirectories(database.getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            MlflowFixture.writeDatabase(c, database.getParent(), false);
        }
        mlruns = shared.resolve("files/mlruns");
        MlflowFixture.writeFileStore(mlruns);
    }

    @Test
    void aSqliteDatabaseImportsWholeIntoMemoryWithIdsTimesStatusesNestingNanAndRegistry() throws Exception {
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(database).into(tracker).run();
            assertImported(tracker, report, true);
            assertEquals("sqlite:" + database, report.source());
        }
    }

    @Test
    void anMlrunsFileStoreImportsWholeIntoSqlite() throws Exception {
        try (Tracker tracker = Tracker.open("sqlite:" + dir.resolve("runlog.db"))) {
            MlflowImportReport report = MlflowImport.from("file://" + mlruns).into(tracker).run();
            assertImported(tracker, report, false);
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped("input in-2 of run " + CHILD,
                    "its dataset 'ds-gone' is not in the experiment's datasets/")), report::toString);
        }
    }

    /** What both stores import to; the file store's fixture has one input more, naming a dataset it lacks. */
    static void assertImported(Tracker tracker, MlflowImportReport report, boolean database) throws IOException {
        assertEquals("3 experiments, 6 runs, 4 metric points, 3 artifacts (49 bytes), 1 models, 2 versions",
                report.counts(), report::toString);
        List<Experiment> experiments = tracker.searchExperiments().viewType(ViewType.ALL).list();
        assertEquals(Map.of("0", "Default", "1", "iris", "2", "old"),
                experiments.stream().collect(Collectors.toMap(Experiment::id, Experiment::name)));
        // The import marks each experiment unfinished until its last write; a whole import leaves them finished.
        assertEquals(Map.of("team", "vision", "runlog.mlflowImport", "finished"),
                tracker.getExperimentByName("iris").orElseThrow().tags());
        assertEquals(LifecycleStage.DELETED, tracker.getExperiment("2").lifecycleStage());

        Run parent = tracker.getRun(PARENT);
        assertEquals("sweep", parent.info().name());
        assertEquals(RunStatus.FINISHED, parent.info().status());
        assertEquals(Instant.ofEpochMilli(T0), parent.info().startTime());
        assertEquals(Optional.of(Instant.ofEpochMilli(T0 + 60_000)), parent.info().endTime());
        assertEquals(Map.of("lr", "0.1", "epochs", "3"), parent.data().params());
        assertEquals("trained on iris", read(tracker, PARENT, "notes.txt"));
        assertEquals("flavors:\n  sklearn: {}\n", read(tracker, PARENT, "model/MLmodel"));

        Run child = tracker.getRun(CHILD);
        assertEquals(PARENT, child.data().tags().get(ActiveRun.PARENT_RUN_ID_TAG), "nesting seen by Runlog");
        assertEquals(PARENT, child.data().tags().get("mlflow.parentRunId"), "MLflow's own tag kept");
        assertEquals("alice", child.data().tags().get(ActiveRun.USER_TAG), "MLflow's user_id, as Runlog keeps a run's user");
        assertTrue(tracker.searchRuns().experiments("iris").filter("attributes.user_id = 'alice'").list().stream()
                .anyMatch(r -> r.info().id().equals(child.info().id())), "found by MLflow's user_id filter");
        List<Metric> loss = tracker.metricHistory(CHILD, "loss");
        assertEquals(List.of(0L, 1L, 2L), loss.stream().map(Metric::step).toList());
        assertTrue(Double.isNaN(loss.get(1).value()), "NaN kept: " + loss);
        assertEquals(0.4, child.data().metrics().get("loss"));
        assertEquals(T0 + 3_000, loss.get(2).timestamp());
        assertEquals("0.9 nan 0.4", read(tracker, CHILD, "plots/loss.txt"));
        assertEquals(1, child.inputs().size());
        assertEquals("training", child.inputs().get(0).context());
        assertEquals("iris", child.inputs().get(0).dataset().name());
        assertEquals("/data/iris.csv", child.inputs().get(0).dataset().source());
        assertEquals(List.of("sepal_length", "species"), child.inputs().get(0).dataset().schema().stream()
                .map(c -> c.name()).toList());
        assertEquals(150, child.inputs().get(0).dataset().profile().rowCount());

        Run deleted = tracker.getRun(DELETED);
        assertEquals(LifecycleStage.DELETED, deleted.info().lifecycleStage());
        assertEquals(RunStatus.FAILED, deleted.info().status());
        assertFalse(tracker.searchRuns().experiments("iris").list().stream().anyMatch(r -> r.info().id().equals(DELETED)),
                "deleted runs stay out of searches");
        assertEquals(RunStatus.RUNNING, tracker.getRun(RUNNING).info().status());
        assertEquals(Optional.empty(), tracker.getRun(RUNNING).info().endTime());
        assertEquals(LifecycleStage.DELETED, tracker.getRun(OLD).info().lifecycleStage(), "deleted with its experiment");
        assertEquals(List.of(), tracker.listArtifacts(REMOTE, ""));

        ModelRegistry registry = ModelRegistry.of(tracker);
        assertEquals("Iris species classifier", registry.getModel(MODEL).description());
        assertEquals(Map.of("owner", "ml"), registry.getModel(MODEL).tags());
        assertEquals(Map.of("champion", 1), registry.getModel(MODEL).aliases());
        ModelVersion v1 = registry.getVersion(MODEL, 1);
        assertEquals(Stage.PRODUCTION, v1.stage());
        assertEquals(PARENT, v1.runId());
        assertEquals("runs:/" + PARENT + "/model", v1.source());
        assertEquals(Map.of("validated", "true"), v1.tags());
        assertEquals(Instant.ofEpochMilli(T0 + 101_000), v1.creationTime());
        assertEquals(Stage.STAGING, registry.getVersion(MODEL, 2).stage());
        assertThrows(NotFoundException.class, () -> registry.getVersion(MODEL, 3));
        // In time order: registered at T0 + 101 to 104 s, deleted and staged at T0 + 150 s, the alias at T0 + 200 s.
        assertEquals(List.of(ModelEvent.Action.MODEL_CREATED, ModelEvent.Action.VERSION_REGISTERED,
                        ModelEvent.Action.VERSION_REGISTERED, ModelEvent.Action.VERSION_REGISTERED,
                        ModelEvent.Action.VERSION_REGISTERED, ModelEvent.Action.VERSION_DELETED,
                        ModelEvent.Action.VERSION_DELETED, ModelEvent.Action.STAGE_CHANGED,
                        ModelEvent.Action.STAGE_CHANGED, ModelEvent.Action.ALIAS_SET),
                registry.history(MODEL).stream().map(ModelEvent::action).toList());
        assertTrue(registry.history(MODEL).stream().allMatch(e -> e.comment().equals("imported from MLflow")));

        List<String> skipped = report.skipped().stream().map(Object::toString).toList();
        assertTrue(skipped.contains("artifacts of run " + REMOTE + ": they are at s3://bucket/1/" + REMOTE
                + "/artifacts; only local paths and file: locations are read"), skipped::toString);
        assertTrue(skipped.contains("model " + MODEL + " version 3: its source run " + MlflowFixture.MISSING
                + " is not in the imported store"), skipped::toString);
        assertTrue(skipped.contains("model " + MODEL + " version 4: MLflow deleted it"), skipped::toString);
        assertTrue(skipped.contains("alias challenger of model " + MODEL + ": version 3 it points to is not imported"),
                skipped::toString);
        assertEquals(database ? 4 : 5, skipped.size(), skipped::toString);
    }

    /** A version whose last update MLflow records before its creation no longer changes stage before it was registered. */
    @Test
    void theAuditTrailOfAnImportedModelNeverGoesBackInTime() throws Exception {
        Path store = dir.resolve("skewed");
        MlflowFixture.writeFileStore(store);
        Path meta = store.resolve("models/" + MODEL + "/version-1/meta.yaml");
        Files.writeString(meta, Files.readString(meta).replaceAll("last_updated_timestamp: \\d+",
                "last_updated_timestamp: " + (T0 + 50_000)));
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImport.from(store).into(tracker).run();
            List<ModelEvent> history = ModelRegistry.of(tracker).history(MODEL);
            for (int i = 1; i < history.size(); i++) {
                assertFalse(history.get(i).time().isBefore(history.get(i - 1).time()), history::toString);
                assertEquals(i + 1, history.get(i).sequence());
            }
            ModelEvent promoted = history.stream().filter(e -> e.action() == ModelEvent.Action.STAGE_CHANGED
                    && e.version() == 1).findFirst().orElseThrow();
            assertEquals(Instant.ofEpochMilli(T0 + 101_000), promoted.time(), "at its registration, not before it");
        }
    }

    @Test
    void anImportThatClashesIsRefusedBeforeAnyWrite() {
        try (Tracker tracker = Tracker.inMemory()) {
            tracker.run("iris", r -> r.logParam("lr", 0.5));
            ConflictException clash = assertThrows(ConflictException.class,
                    () -> MlflowImport.from(database).into(tracker).run());
            assertTrue(clash.getMessage().startsWith("The target already has an experiment") && clash.getMessage().contains("nothing was imported"),
                    clash.getMessage());
            assertEquals(List.of("iris"), tracker.searchExperiments().viewType(ViewType.ALL).list().stream()
                    .map(Experiment::name).toList());
            assertTrue(ModelRegistry.of(tracker).searchModels("").isEmpty());
        }
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImport.from(mlruns).into(tracker).run();
            assertThrows(ConflictException.class, () -> MlflowImport.from(database).into(tracker).run(),
                    "the same store twice");
            // As an import stopped outright (kill, Ctrl-C) leaves its experiments: the next one says what happened.
            String iris = tracker.getExperimentByName("iris").orElseThrow().id();
            tracker.setExperimentTag(iris, "runlog.mlflowImport", "unfinished");
            ConflictException stopped = assertThrows(ConflictException.class, () -> MlflowImport.from(mlruns).into(tracker).run());
            assertTrue(stopped.getMessage().contains("stopped before it finished") && stopped.getMessage().contains("new store"),
                    stopped.getMessage());
        }
    }

    @Test
    void whatIsNotAnMlflowStoreIsRefusedNamingTheProblem() throws Exception {
        try (Tracker tracker = Tracker.inMemory()) {
            assertRefused(tracker, MlflowImport.from(dir.resolve("nothing.db")), "No MLflow store at");
            Path runlog = dir.resolve("runlog.db");
            try (Tracker other = Tracker.open("sqlite:" + runlog)) {
                other.run("x", r -> r.logParam("a", 1));
            }
            assertRefused(tracker, MlflowImport.from("sqlite:" + runlog), "is not an MLflow tracking database: it has no alembic_version table");
            Path text = Files.writeString(dir.resolve("notes.db"), "not a database");
            assertRefused(tracker, MlflowImport.from(text), "notes.db");
            assertRefused(tracker, MlflowImport.from("mysql://db/mlflow"), "Cannot import from 'mysql://db/mlflow'");
            assertRefused(tracker, MlflowImport.from(Files.createDirectories(dir.resolve("empty"))), "is not an MLflow file store");
            assertThrows(InvalidInputException.class, () -> MlflowImport.from(database).run(), "no target");
            assertThrows(InvalidInputException.class, () -> MlflowImport.from(" "));
            assertTrue(tracker.searchExperiments().viewType(ViewType.ALL).list().isEmpty());
        }
    }

    @Test
    void aHostileOrDamagedMetaYamlIsRefusedNamingFileAndLine() throws Exception {
        Map<String, String> cases = Map.of(
                "name: iris\n\texperiment_id: '1'\n", "line 2 has a tab character",
                "name: 'iris\nexperiment_id: '1'\n", "line 1 has an unterminated or malformed single-quoted string",
                "name: iris\nname: again\nexperiment_id: '1'\n", "line 2 gives key 'name' a second time",
                "name: &anchor iris\nexperiment_id: '1'\n", "line 1 uses YAML beyond MLflow's flat subset ('&')",
                "--- !!python/object:os.system\nexperiment_id: '1'\n", "line 1 starts a YAML document",
                "name: \"iris\\q\"\nexperiment_id: '1'\n", "line 1 has an unknown escape \\q",
                "name iris\nexperiment_id: '1'\n", "line 1 is not 'key: value'",
                "experiment_id: '1'\n", "has no 'name'");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path store = dir.resolve("hostile" + n++);
            MlflowFixture.write(store.resolve("1/meta.yaml"), c.getKey());
            try (Tracker tracker = Tracker.inMemory()) {
                InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> MlflowImport.from(store).into(tracker).run(), c.getKey());
                assertTrue(e.getMessage().contains(store.resolve("1/meta.yaml").toString())
                        && e.getMessage().contains(c.getValue()), c.getKey() + " -> " + e.getMessage());
                assertTrue(tracker.searchExperiments().viewType(ViewType.ALL).list().isEmpty());
            }
        }
        Path metrics = dir.resolve("badmetric");
        MlflowFixture.write(metrics.resolve("1/meta.yaml"), "experiment_id: '1'\nname: e\n");
        MlflowFixture.write(metrics.resolve("1/" + CHILD + "/meta.yaml"), "experiment_id: '1'\nrun_id: " + CHILD
                + "\nstatus: 3\nstart_time: 5\nend_time: 6\n");
        MlflowFixture.write(metrics.resolve("1/" + CHILD + "/metrics/loss"), "5 0.5 0\n5 rm -rf 1\n");
        try (Tracker tracker = Tracker.inMemory()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> MlflowImport.from(metrics).into(tracker).run());
            assertTrue(e.getMessage().contains("metrics/loss line 2 is not 'timestamp value [step]'"), e.getMessage());
        }
        // What MLflow never writes in a run's files is refused, naming the file: a status or stage outside its enums,
        // a blank metric line (MLflow's own reader calls it malformed), a key whose name holds a backslash (it was
        // read as '/', and took the place of another key's value).
        Map<String, String> runCases = new java.util.LinkedHashMap<>();
        runCases.put("meta.yaml:status: 99", "'status' is '99', not an MLflow run status");
        runCases.put("meta.yaml:lifecycle_stage: zombie", "'lifecycle_stage' is 'zombie', not active or deleted");
        runCases.put("metrics/loss:5 0.5 0\n\n6 0.4 1\n", "metrics/loss line 2 is blank");
        runCases.put("params/a\\b:two", "has the character '\\'");
        for (Map.Entry<String, String> c : runCases.entrySet()) {
            Path store = dir.resolve("hostile" + n++);
            MlflowFixture.write(store.resolve("1/meta.yaml"), "experiment_id: '1'\nname: e\n");
            String meta = "experiment_id: '1'\nrun_id: " + CHILD + "\nstart_time: 5\nend_time: 6\n";
            String file = c.getKey().substring(0, c.getKey().indexOf(':'));
            String content = c.getKey().substring(file.length() + 1);
            MlflowFixture.write(store.resolve("1/" + CHILD + "/meta.yaml"), file.equals("meta.yaml")
                    ? meta + content + "\n" + (content.startsWith("status") ? "" : "status: 3\n") : meta + "status: 3\n");
            if (!file.equals("meta.yaml")) {
                MlflowFixture.write(store.resolve("1/" + CHILD + "/" + file), content);
            }
            MlflowFixture.write(store.resolve("1/" + CHILD + "/params/a/b"), "one");
            try (Tracker tracker = Tracker.inMemory()) {
                InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> MlflowImport.from(store).into(tracker).run(), c.getKey());
                assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + " -> " + e.getMessage());
                assertTrue(tracker.searchExperiments().viewType(ViewType.ALL).list().isEmpty(), "nothing was imported");
            }
        }
        // An experiment or run whose meta.yaml names another experiment than its directory: MLflow would not find it there.
        Path moved = dir.resolve("moved");
        MlflowFixture.write(moved.resolve("1/meta.yaml"), "experiment_id: '1'\nname: e\n");
        MlflowFixture.write(moved.resolve("1/" + CHILD + "/meta.yaml"), "experiment_id: '0'\nrun_id: " + CHILD
                + "\nstatus: 3\nstart_time: 5\nend_time: 6\n");
        Path renamed = dir.resolve("renamed");
        MlflowFixture.write(renamed.resolve("7/meta.yaml"), "experiment_id: '1'\nname: e\n");
        for (Path store : List.of(moved, renamed)) {
            try (Tracker tracker = Tracker.inMemory()) {
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> MlflowImport.from(store).into(tracker).run());
                assertTrue(e.getMessage().contains("says experiment") && e.getMessage().contains("directory"), e.getMessage());
                assertTrue(tracker.searchExperiments().viewType(ViewType.ALL).list().isEmpty());
            }
        }
    }

    @Test
    void aSourceSpelledAsAPathBecomesRunsUriAndMlflow3LoggedModelsAreListedNotPassedOver() throws Exception {
        Path db = fixtureDatabase("db",
                // Version 1's source as a plain path with a trailing slash; its run's artifact_uri is file:///...
                "UPDATE model_versions SET source = substr(source, 8) || '/' WHERE version = 1",
                // MLflow 3: a logged model and a version whose source is one.
                "CREATE TABLE logged_models (model_id TEXT PRIMARY KEY, experiment_id INTEGER, name TEXT)",
                "INSERT INTO logged_models VALUES ('m-0123', 1, 'model')",
                "INSERT INTO model_versions SELECT name, 5, creation_time, last_updated_time, description, user_id, 'None',"
                        + " 'models:/m-0123', run_id, status, status_message, run_link, storage_location"
                        + " FROM model_versions WHERE version = 2");
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(db).into(tracker).run();
            assertEquals("runs:/" + PARENT + "/model", ModelRegistry.of(tracker).getVersion(MODEL, 1).source());
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped("logged model m-0123 of experiment 1",
                    "MLflow 3's logged models are not imported; their files stay in the MLflow store")), report::toString);
            assertTrue(report.skipped().stream().anyMatch(s -> s.what().contains("version 5")
                    && s.reason().contains("models:/m-0123 is an MLflow 3 logged model")), report::toString);
        }
    }

    /** A file store moved since MLflow wrote its locations: the copy beside the run is imported, and that is said. */
    @Test
    void aMissingArtifactLocationWithTheFilesBesideTheRunImportsThemAndSaysSo() throws Exception {
        Path copy = dir.resolve("moved-store/mlruns");
        MlflowFixture.writeFileStore(copy);
        Path meta = copy.resolve("1/" + PARENT + "/meta.yaml");
        Files.writeString(meta, Files.readString(meta).replaceFirst("artifact_uri: .*", "artifact_uri: file:///nonexistent/x"));
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(copy).into(tracker).run();
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped("artifacts of run " + PARENT,
                    "their location /nonexistent/x does not exist; the artifacts/ directory beside the run was imported instead")),
                    report::toString);
            assertFalse(tracker.listArtifacts(PARENT, "").isEmpty());
        }
    }

    /** A database's run with a lifecycle stage MLflow never writes was imported as active, unreported. */
    @Test
    void aDatabaseRunWithAnUnknownLifecycleStageIsListedNotReadAsActive() throws Exception {
        // MLflow's schema checks the column; a database written without that check (by hand, by another tool) may not.
        Path db = fixtureDatabase("zombie", "PRAGMA ignore_check_constraints = 1",
                "UPDATE runs SET lifecycle_stage = 'zombie' WHERE run_uuid = '" + RUNNING + "'");
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(db).into(tracker).run();
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped("run " + RUNNING,
                    "its lifecycle_stage 'zombie' is not active or deleted")), report::toString);
            assertThrows(dev.runlog.tracking.NotFoundException.class, () -> tracker.getRun(RUNNING));
        }
    }

    /** An ended run's missing end, or one before its start, was replaced by its start without a word. */
    @Test
    void anEndedRunWithNoEndOrOneBeforeItsStartIsImportedAndSaidSo() throws Exception {
        Path store = dir.resolve("ends");
        MlflowFixture.write(store.resolve("1/meta.yaml"), "experiment_id: '1'\nname: e\n");
        MlflowFixture.write(store.resolve("1/" + CHILD + "/meta.yaml"), "experiment_id: '1'\nrun_id: " + CHILD
                + "\nstatus: 4\nstart_time: 5000\nend_time: null\n");
        MlflowFixture.write(store.resolve("1/" + PARENT + "/meta.yaml"), "experiment_id: '1'\nrun_id: " + PARENT
                + "\nstatus: 3\nstart_time: 5000\nend_time: 5\n");
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(store).into(tracker).run();
            assertEquals(java.util.Optional.of(java.time.Instant.ofEpochMilli(5000)), tracker.getRun(CHILD).info().endTime());
            assertEquals(java.util.Optional.of(java.time.Instant.ofEpochMilli(5000)), tracker.getRun(PARENT).info().endTime());
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped("end time of run " + CHILD,
                    "the MLflow store has none for this FAILED run; the run is imported ending at its start, 1970-01-01T00:00:05Z")),
                    report::toString);
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped("end time of run " + PARENT,
                    "it is 1970-01-01T00:00:00.005Z, before the run's start; the run is imported ending at its start,"
                            + " 1970-01-01T00:00:05Z")), report::toString);
        }
    }

    /** A run whose artifact location is relative kept a version source spelled as the same directory's absolute path. */
    @Test
    void aSourceUnderARelativeArtifactLocationBecomesRunsUriHoweverSpelled() throws Exception {
        // CHILD's artifact_uri is ./mlartifacts/1/CHILD/artifacts, relative to the database's directory.
        Path db = dir.resolve("relative/mlflow.db");
        String absolute = "file://" + db.getParent().toAbsolutePath().resolve("mlartifacts/1/" + CHILD + "/artifacts/model");
        String outside = "file://" + db.getParent().toAbsolutePath().resolve("mlartifacts/1/" + CHILD + "/other/model");
        fixtureDatabase("relative",
                "UPDATE model_versions SET source = '" + absolute.replace("'", "''") + "' WHERE version = 2",
                "INSERT INTO model_versions SELECT name, 6, creation_time, last_updated_time, description, user_id, 'None',"
                        + " 'mlartifacts/1/" + CHILD + "/artifacts/./nested/model/', run_id, status, status_message, run_link,"
                        + " storage_location FROM model_versions WHERE version = 2",
                "INSERT INTO model_versions SELECT name, 7, creation_time, last_updated_time, description, user_id, 'None',"
                        + " '" + outside.replace("'", "''") + "', run_id, status, status_message, run_link,"
                        + " storage_location FROM model_versions WHERE version = 2");
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImport.from(db).into(tracker).run();
            ModelRegistry registry = ModelRegistry.of(tracker);
            assertEquals("runs:/" + CHILD + "/model", registry.getVersion(MODEL, 2).source());
            assertEquals("runs:/" + CHILD + "/nested/model", registry.getVersion(MODEL, 6).source());
            assertEquals(outside, registry.getVersion(MODEL, 7).source(), "a source beside the artifacts stays as MLflow had it");
        }
    }

    @Test
    void aDatabaseInputNamingADatasetItsExperimentLacksIsListedNotDroppedOrBorrowed() throws Exception {
        Path db = fixtureDatabase("inputs",
                "INSERT INTO inputs VALUES ('in-9', 'DATASET', 'ds-gone', 'RUN', '" + PARENT + "', 0)",
                // A dataset of experiment 0 (Default), named by a run of experiment 1.
                "INSERT INTO datasets SELECT 'ds-other', 0, name, digest, dataset_source_type, dataset_source,"
                        + " dataset_schema, dataset_profile FROM datasets WHERE dataset_uuid = 'ds-1'",
                "INSERT INTO inputs VALUES ('in-8', 'DATASET', 'ds-other', 'RUN', '" + PARENT + "', 0)");
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(db).into(tracker).run();
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped("input in-9 of run " + PARENT,
                    "its dataset 'ds-gone' is not among its experiment's datasets")), report::toString);
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped("input in-8 of run " + PARENT,
                    "its dataset 'ds-other' is not among its experiment's datasets")), report::toString);
            assertEquals(List.of(), tracker.getRun(PARENT).inputs());
        }
    }

    @Test
    void aDirectoryThatIsNoRunAndAFileThatIsNotRegularAreListedNotDroppedSilently() throws Exception {
        Path copy = dir.resolve("odd/mlruns");
        MlflowFixture.writeFileStore(copy);
        Files.createDirectories(copy.resolve("1/not-a-run/params"));
        Path fifo = copy.resolve("1/" + CHILD + "/params/fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        // A run whose location is on S3 but which also has artifacts/ beside it: the local copy is
        // imported, and the report says the location was not read.
        Files.createDirectories(copy.resolve("1/" + REMOTE + "/artifacts"));
        Files.writeString(copy.resolve("1/" + REMOTE + "/artifacts/notes.txt"), "local");
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(copy).into(tracker).run();
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped(copy.resolve("1/not-a-run").toString(),
                    "it has no meta.yaml (or one that is not a regular file), so it is no run MLflow wrote")), report::toString);
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped(fifo.toString(),
                    "it is not a regular file (a FIFO, a socket or a device)")), report::toString);
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped("artifacts of run " + REMOTE,
                    "its artifact location s3://bucket/1/" + REMOTE + "/artifacts is not read; the artifacts/"
                            + " directory beside the run was imported instead")), report::toString);
        }
    }

    @Test
    void linksInAFileStoreAreListedAsSkippedNeverDroppedSilently() throws Exception {
        // An experiment moved to another disk behind a link vanished from the import, which said "skipped 0".
        Path copy = dir.resolve("linked/mlruns");
        MlflowFixture.writeFileStore(copy);
        Path elsewhere = Files.createDirectories(dir.resolve("bigdisk"));
        Files.move(copy.resolve("1"), elsewhere.resolve("1"));
        Files.createSymbolicLink(copy.resolve("1"), elsewhere.resolve("1"));
        Files.move(copy.resolve("models"), elsewhere.resolve("models"));
        Files.createSymbolicLink(copy.resolve("models"), elsewhere.resolve("models"));
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(copy).into(tracker).run();
            List<String> links = report.skipped().stream().filter(s -> s.reason().contains("symbolic link"))
                    .map(MlflowImportReport.Skipped::what).toList();
            assertEquals(List.of(copy.resolve("1").toString(), copy.resolve("models").toString()), links, report::toString);
            assertTrue(tracker.getExperimentByName("iris").isEmpty(), "nothing behind the link is read");
        }
        // A link on the way to a run's artifact location, inside the store, is not followed either.
        Path via = dir.resolve("via/mlruns");
        MlflowFixture.writeFileStore(via);
        Path run = via.resolve("1/" + MlflowFixture.PARENT);
        Path outside = Files.createDirectories(dir.resolve("via-outside"));
        Files.move(run.resolve("artifacts"), outside.resolve("artifacts"));
        Files.createSymbolicLink(run.resolve("lnk"), outside);
        Path meta = run.resolve("meta.yaml");
        Files.writeString(meta, Files.readString(meta).replaceFirst("artifact_uri: .*",
                "artifact_uri: " + run.resolve("lnk/artifacts").toUri()));
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(via).into(tracker).run();
            assertTrue(report.skipped().stream().anyMatch(s -> s.what().equals("artifacts of run " + MlflowFixture.PARENT)
                    && s.reason().contains("a symbolic link in the MLflow store")), report::toString);
            assertTrue(tracker.listArtifacts(MlflowFixture.PARENT, "").isEmpty(), "nothing behind the link is read");
        }
    }

    /** A backslash in a file's name read as a separator put "plots\\loss.txt" over plots/loss.txt. */
    @Test
    void anArtifactWhoseNameHoldsABackslashIsListedNotLandedOnAnotherFile() throws Exception {
        Path copy = dir.resolve("backslash/mlruns");
        MlflowFixture.writeFileStore(copy);
        Path artifacts = copy.resolve("1/" + MlflowFixture.CHILD + "/artifacts");
        Files.writeString(artifacts.resolve("plots\\loss.txt"), "ONE");
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(copy).into(tracker).run();
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped("artifact plots\\loss.txt of run "
                    + MlflowFixture.CHILD, "its name holds a backslash, which a Runlog artifact path does not take")), report::toString);
            try (InputStream in = tracker.openArtifact(MlflowFixture.CHILD, "plots/loss.txt")) {
                assertEquals("0.9 nan 0.4", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void theReportListsCountsThenEachSkippedThingWithItsReason() {
        MlflowImportReport report = new MlflowImportReport("mlflow.db", 1, 2, 3, 4, 5, 6, 7,
                List.of(new MlflowImportReport.Skipped("artifacts of run x", "they are at s3://b")));
        assertEquals("imported mlflow.db: 1 experiments, 2 runs, 3 metric points, 4 artifacts (5 bytes), 6 models, 7 versions"
                + System.lineSeparator() + "skipped 1:" + System.lineSeparator() + "  artifacts of run x: they are at s3://b",
                report.toString());
    }

    /** The fixture's database in a directory of its own under {@code dir}, then {@code edits} applied to it. */
    private Path fixtureDatabase(String name, String... edits) throws Exception {
        Path db = Files.createDirectories(dir.resolve(name)).resolve("mlflow.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
            MlflowFixture.writeDatabase(c, db.getParent(), false);
            for (String edit : edits) {
                s.executeUpdate(edit);
            }
        }
        return db;
    }

    private static void assertRefused(Tracker tracker, MlflowImport mlflowImport, String message) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> mlflowImport.into(tracker).run());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static String read(Tracker tracker, String runId, String path) throws IOException {
        try (InputStream in = tracker.openArtifact(runId, path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
