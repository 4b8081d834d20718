package dev.runlog.mlflow;

import static dev.runlog.mlflow.MlflowFixture.MODEL;
import static dev.runlog.mlflow.MlflowFixture.PARENT;
import static dev.runlog.mlflow.MlflowFixture.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole MLflow store is read and checked before the first write: each case damages one thing of
 * the {@link MlflowFixture} file store, and the import must be refused naming it, with nothing
 * written, even where the damage is in a run or model that comes after others that were fine.
 */
class MlflowImportCheckTest {
    @TempDir
    static Path shared;
    static Path pristine;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeStore() throws IOException {
        pristine = shared.resolve("mlruns");
        MlflowFixture.writeFileStore(pristine);
    }

    @Test
    void aMalformedMetricLineInALaterRunRefusesTheImportBeforeAnyWrite() throws IOException {
        Path store = copy();
        MlflowFixture.write(runDir(store, RUNNING).resolve("metrics/loss"), "5 0.5 0\n6 0.4 99999999999999999999\n");
        assertRefused(store, "metrics/loss line 2 is not 'timestamp value [step]'");
    }

    @Test
    void keysAndNamesRunlogRefusesAreRefusedNamingTheRunOrExperiment() throws IOException {
        Path store = copy();
        MlflowFixture.write(runDir(store, RUNNING).resolve("params/a:b"), "1");
        assertRefused(store, "Cannot import run " + RUNNING + " of the MLflow store: param key 'a:b' has the character ':'");

        store = copy();
        MlflowFixture.write(runDir(store, RUNNING).resolve("metrics/val:loss"), "5 0.5 0\n");
        assertRefused(store, "metric key 'val:loss'");

        store = copy();
        MlflowFixture.write(store.resolve("7/meta.yaml"), "experiment_id: '7'\nname: \"ir\\ud800is\"\n");
        assertRefused(store, "Cannot import experiment 7 of the MLflow store: experiment name");

        store = copy();
        MlflowFixture.write(store.resolve("7/meta.yaml"), "experiment_id: '7'\nname: " + "x".repeat(251) + "\n");
        assertRefused(store, "the limit is 250");
    }

    @Test
    void whatTheSourceGivesTwiceIsRefused() throws IOException {
        Path store = copy();
        MlflowFixture.write(store.resolve("7/meta.yaml"), "experiment_id: '7'\nname: iris\n");
        assertRefused(store, "two experiments named 'iris' (ids 1 and 7)");

        store = copy();
        copyTree(runDir(store, PARENT), store.resolve("0/" + PARENT));
        assertRefused(store, "Run " + PARENT + " is both");

        store = copy();
        MlflowFixture.write(store.resolve("models/" + MODEL + "/version-9/meta.yaml"), "name: " + MODEL + "\nversion: 1\n");
        // MLflow's file store names a version's directory by its number: one number twice is two
        // directories, one of which does not say its own number.
        assertRefused(store, "says version 1 but is in directory version-9");
    }

    @Test
    void modelNamesAliasesAndVersionNumbersFollowTheRegistrysRules() throws IOException {
        Path store = copy();
        MlflowFixture.write(store.resolve("models/bad@name/meta.yaml"), "name: bad@name\n");
        assertRefused(store, "Cannot import model bad@name of the MLflow store: registered model name 'bad@name' contains '@'");

        // Imported under the other name, or number, before.
        store = copy();
        MlflowFixture.write(store.resolve("models/renamed/meta.yaml"), "name: other\n");
        assertRefused(store, "says model 'other' but is in directory renamed");

        store = copy();
        MlflowFixture.write(store.resolve("models/" + MODEL + "/aliases/Bad Alias!"), "1");
        assertRefused(store, "alias 'Bad Alias!' is invalid");

        store = copy();
        MlflowFixture.write(store.resolve("models/" + MODEL + "/version-9/meta.yaml"),
                "name: " + MODEL + "\nversion: 99999999999\n");
        assertRefused(store, "gives version 99999999999; version numbers are 1 to 2147483647");
    }

    @Test
    void anArtifactLocationThatIsAFileIsReportedNotPassedOver() throws IOException {
        Path store = copy();
        Path artifacts = runDir(store, PARENT).resolve("artifacts");
        try (java.util.stream.Stream<Path> files = Files.walk(artifacts)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        Files.writeString(artifacts, "not a directory");
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(store).into(tracker).run();
            assertTrue(report.skipped().stream().anyMatch(s -> s.what().equals("artifacts of run " + PARENT)
                    && s.reason().endsWith("is not a directory")), report::toString);
        }
    }

    @Test
    void anArtifactDirectoryThatIsALinkIsReportedNotFollowed() throws IOException {
        Path store = copy();
        Path artifacts = runDir(store, PARENT).resolve("artifacts");
        Path elsewhere = Files.move(artifacts, dir.resolve("elsewhere"));
        Files.createSymbolicLink(artifacts, elsewhere);
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(store).into(tracker).run();
            assertTrue(report.skipped().stream().anyMatch(s -> s.what().equals("artifacts of run " + PARENT)
                    && s.reason().contains("is a symbolic link, which is not followed")), report::toString);
            assertTrue(tracker.listArtifacts(PARENT, "").isEmpty());
        }
        Path linked = dir.resolve("linked");
        Files.createSymbolicLink(linked, copy());
        try (Tracker tracker = Tracker.inMemory()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> MlflowImport.from(linked).into(tracker).run());
            assertTrue(e.getMessage().contains("is a symbolic link, which an import does not follow"), e.getMessage());
        }
    }

    /**
     * File names Runlog's artifact paths do not take, or that this JVM cannot decode, were found
     * while copying: a later run's stopped the import half-way, and two undecodable names read
     * alike, so one file was lost without a word. They are skipped and listed, found before any write.
     */
    @Test
    void artifactNamesRunlogCannotTakeAreSkippedAndListedAndTheRestImported() throws Exception {
        Path store = copy();
        Path artifacts = runDir(store, RUNNING).resolve("artifacts");
        Path deep = artifacts;
        for (int i = 0; i < 6; i++) {
            deep = deep.resolve("d".repeat(200));
        }
        MlflowFixture.write(deep.resolve("x.txt"), "deep");
        MlflowFixture.write(artifacts.resolve("a:b*c?.txt"), "drive");
        MlflowFixture.write(artifacts.resolve("kept.txt"), "kept");
        // Two names whose bytes are not UTF-8, made by the shell: Java writes names in its own encoding.
        Process shell = new ProcessBuilder("sh", "-c", "printf one > \"$(printf 'f\\377.txt')\"; printf two > \"$(printf 'f\\376.txt')\"")
                .directory(artifacts.toFile()).inheritIO().start();
        assertEquals(0, shell.waitFor());
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(store).into(tracker).run();
            List<String> skipped = report.skipped().stream().filter(s -> s.what().endsWith(" of run " + RUNNING))
                    .map(s -> s.what() + ": " + s.reason()).toList();
            assertEquals(4, skipped.size(), skipped::toString);
            assertTrue(skipped.stream().anyMatch(s -> s.contains("the limit is 1024 bytes for a whole path")), skipped::toString);
            assertTrue(skipped.stream().anyMatch(s -> s.startsWith("artifact a:b*c?.txt ") && s.contains("Windows drive")),
                    skipped::toString);
            assertEquals(2, skipped.stream().filter(s -> s.contains("is not text in this JVM's file-name encoding")).count(),
                    skipped::toString);
            assertEquals("kept", new String(tracker.openArtifact(RUNNING, "kept.txt").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(tracker.getRun(PARENT).info().id().equals(PARENT), "the other runs are imported");
        }
    }

    /** Each of these came across changed, or not at all, and the report did not say so. */
    @Test
    void anEmptyMetricFileAMissingStartAndASourceOutsideItsRunAreListed() throws IOException {
        Path store = copy();
        Path run = runDir(store, RUNNING);
        MlflowFixture.write(run.resolve("metrics/empty"), "");
        Path meta = run.resolve("meta.yaml");
        Files.writeString(meta, Files.readString(meta).replaceAll("start_time: [0-9]+", "start_time: null"));
        Path version = store.resolve("models/" + MODEL + "/version-1/meta.yaml");
        Files.writeString(version, Files.readString(version).replaceAll("source: [^\n]+", "source: file:///elsewhere/model"));
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(store).into(tracker).run();
            List<String> listed = report.skipped().stream().map(s -> s.what() + ": " + s.reason()).toList();
            assertTrue(listed.stream().anyMatch(s -> s.startsWith("metric empty of run " + RUNNING + ": its file ")
                    && s.endsWith(" is empty: no point to import")), listed::toString);
            assertTrue(listed.stream().anyMatch(s -> s.startsWith("start time of run " + RUNNING + ": the MLflow store has none;"
                    + " the run is imported starting at ")), listed::toString);
            assertTrue(listed.contains("source of version 1 of model " + MODEL + ": 'file:///elsewhere/model' is not under the"
                    + " artifacts of its run; kept as written, and Runlog cannot load the version from it"), listed::toString);
            assertEquals(1, listed.stream().filter(s -> s.startsWith("metric empty ")).count(), "listed once: " + listed);
        }
    }

    private void assertRefused(Path store, String message) {
        try (Tracker tracker = Tracker.inMemory()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> MlflowImport.from(store).into(tracker).run());
            assertTrue(e.getMessage().contains(message), e.getMessage());
            assertTrue(e.getMessage().endsWith("nothing was imported") || e.getMessage().contains(store.toString()),
                    e.getMessage());
            assertEquals(List.of(), tracker.searchExperiments().viewType(ViewType.ALL).list(), "nothing written");
            assertTrue(ModelRegistry.of(tracker).searchModels("").isEmpty(), "no model written");
        }
    }

    private static Path runDir(Path store, String runId) throws IOException {
        try (Stream<Path> walk = Files.walk(store, 3)) {
            return walk.filter(p -> p.getFileName().toString().equals(runId)).findFirst().orElseThrow();
        }
    }

    private int copies;

    /** A copy of the fixture whose meta.yaml files name the copy's own artifact directories. */
    private Path copy() throws IOException {
        Path target = dir.resolve("store" + copies++).resolve("mlruns");
        copyTree(pristine, target);
        try (Stream<Path> walk = Files.walk(target)) {
            for (Path meta : walk.filter(p -> p.getFileName().toString().equals("meta.yaml")).toList()) {
                Files.writeString(meta, Files.readString(meta).replace(pristine.toString(), target.toString()));
            }
        }
        return target;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            walk.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
