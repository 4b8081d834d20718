package dev.runlog.tracking.tck;

import static dev.runlog.tracking.tck.KitAssertions.artifactDigests;
import static dev.runlog.tracking.tck.KitAssertions.artifactTree;
import static dev.runlog.tracking.tck.KitAssertions.assertMessageContains;
import static dev.runlog.tracking.tck.KitAssertions.assertRefusedStoringNothing;
import static dev.runlog.tracking.tck.KitData.SHA256_HEX;
import static dev.runlog.tracking.tck.KitData.UNKNOWN_RUN_ID;
import static dev.runlog.tracking.tck.KitData.bytes;
import static dev.runlog.tracking.tck.KitData.compactJson;
import static dev.runlog.tracking.tck.KitData.digestsOf;
import static dev.runlog.tracking.tck.KitData.localDigests;
import static dev.runlog.tracking.tck.KitData.readAll;
import static dev.runlog.tracking.tck.KitData.sha256;
import static dev.runlog.tracking.tck.KitData.text;
import static dev.runlog.tracking.tck.KitData.utf8;
import static dev.runlog.tracking.tck.KitData.writeTree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.RunNotActiveException;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Rule 13: artifacts are files kept per run, each with its SHA-256. */
public interface ArtifactsContract {

    @Test
    @DisplayName("logArtifact(file) stores the file at the root under its name, listed with its size, read back byte for byte")
    default void rootArtifact(Tracker tracker, StoreHarness kit) {
        byte[] content = bytes(10_000, 42);
        Path file = kit.newFile("model.bin", content);
        ActiveRun run = tracker.startRun("iris");
        run.logArtifact(file);
        assertEquals(List.of(ArtifactEntry.file("model.bin", 10_000, sha256(content))), tracker.listArtifacts(run.id(), ""));
        assertArrayEquals(content, readAll(tracker.openArtifact(run.id(), "model.bin")));
    }

    @Test
    @DisplayName("logArtifact(file, dir) nests the file; listings show sub-directories as directories")
    default void nestedArtifacts(Tracker tracker, StoreHarness kit) {
        byte[] loss = bytes(300, 1);
        byte[] notes = "notes".getBytes(StandardCharsets.UTF_8);
        byte[] model = bytes(77, 2);
        ActiveRun run = tracker.startRun("iris");
        run.logArtifact(kit.newFile("loss.png", loss), "plots/train");
        run.logArtifact(kit.newFile("notes.txt", notes), "plots");
        run.logArtifact(kit.newFile("model.bin", model));

        assertEquals(List.of(ArtifactEntry.file("model.bin", 77, sha256(model)), ArtifactEntry.directory("plots")),
                tracker.listArtifacts(run.id(), ""));
        assertEquals(List.of(ArtifactEntry.file("plots/notes.txt", notes.length, sha256(notes)),
                ArtifactEntry.directory("plots/train")), tracker.listArtifacts(run.id(), "plots"));
        assertEquals(List.of(ArtifactEntry.file("plots/train/loss.png", 300, sha256(loss))),
                tracker.listArtifacts(run.id(), "plots/train"));
        assertArrayEquals(loss, readAll(tracker.openArtifact(run.id(), "plots/train/loss.png")));
        assertArrayEquals(notes, readAll(tracker.openArtifact(run.id(), "plots/notes.txt")));
    }

    @Test
    @DisplayName("logging a file again under the same name replaces it")
    default void replaceArtifact(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        run.logArtifact(kit.newFile("model.bin", bytes(100, 1)));
        byte[] second = bytes(60, 2);
        run.logArtifact(kit.newFile("model.bin", second));
        assertEquals(List.of(ArtifactEntry.file("model.bin", 60, sha256(second))), tracker.listArtifacts(run.id(), ""));
        assertArrayEquals(second, readAll(tracker.openArtifact(run.id(), "model.bin")));
    }

    @Test
    @DisplayName("each run has its own artifacts; a run without any lists none")
    default void artifactsPerRun(Tracker tracker, StoreHarness kit) {
        ActiveRun a = tracker.startRun("iris");
        ActiveRun b = tracker.startRun("iris");
        a.logArtifact(kit.newFile("model.bin", bytes(10, 1)));
        assertEquals(List.of(), tracker.listArtifacts(b.id(), ""));
        assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(b.id(), "model.bin")));
        assertNotEquals(tracker.getRun(a.id()).info().artifactUri(), tracker.getRun(b.id()).info().artifactUri());
    }

    @ParameterizedTest(name = "artifact dir \"{0}\"")
    @ValueSource(strings = {"..", "../outside", "plots/../..", "a/../b", "/etc", "/"})
    @DisplayName("an artifact dir with '..' or an absolute one fails with InvalidInputException and stores nothing")
    default void escapingDir(String dir, Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        Path file = kit.newFile("passwd", bytes(10, 1));
        assertRefusedStoringNothing(tracker, run, () -> run.logArtifact(file, dir));
    }

    @Test
    @DisplayName("logging a directory or a missing file fails with InvalidInputException naming it")
    default void notAFile(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        Path directory = kit.newDirectory("a-directory");
        InvalidInputException dir = assertThrows(InvalidInputException.class, () -> run.logArtifact(directory));
        assertMessageContains(dir, directory.getFileName().toString());
        Path missing = directory.resolve("missing.bin");
        InvalidInputException none = assertThrows(InvalidInputException.class, () -> run.logArtifact(missing, "models"));
        assertMessageContains(none, "missing.bin");
        assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
    }

    @Test
    @DisplayName("opening a missing artifact fails with NotFoundException")
    default void missingArtifact(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        run.logArtifact(kit.newFile("loss.png", bytes(10, 1)), "plots");
        assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(run.id(), "model.bin")));
        assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(run.id(), "plots/acc.png")));
        assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(UNKNOWN_RUN_ID, "plots/loss.png")));
    }

    @Test
    @DisplayName("listArtifacts shows the SHA-256 of each file, whichever method stored it")
    default void listingShowsDigests(Tracker tracker, StoreHarness kit) {
        byte[] weights = bytes(4096, 7);
        byte[] plot = bytes(1234, 8);
        String notes = "accuracy 0.97\n";
        byte[] notesBytes = notes.getBytes(StandardCharsets.UTF_8);
        Path plots = writeTree(kit.newDirectory("plots"), Map.of("loss.png", plot));
        ActiveRun run = tracker.startRun("iris");
        run.logArtifact(kit.newFile("weights.bin", weights), "out");
        run.logText(notes, "out/notes.txt");
        run.logArtifacts(plots, "out/plots");

        assertEquals(List.of(ArtifactEntry.file("out/notes.txt", notesBytes.length, sha256(notesBytes)),
                ArtifactEntry.directory("out/plots"),
                ArtifactEntry.file("out/weights.bin", weights.length, sha256(weights))),
                tracker.listArtifacts(run.id(), "out"));
        assertEquals(List.of(ArtifactEntry.file("out/plots/loss.png", plot.length, sha256(plot))),
                tracker.listArtifacts(run.id(), "out/plots"));
        for (ArtifactEntry file : artifactTree(tracker, run.id(), "").values()) {
            String digest = file.sha256().orElseThrow(() -> new AssertionError(file.path() + " is listed without a SHA-256"));
            assertTrue(SHA256_HEX.matcher(digest).matches(), () -> file.path() + " has SHA-256 '" + digest + "'");
            assertEquals(sha256(readAll(tracker.openArtifact(run.id(), file.path()))), digest,
                    () -> "the listed SHA-256 of " + file.path() + " is not that of its content");
        }
    }

    @Test
    @DisplayName("logArtifacts(dir, \"bundle\") copies a tree, nested directories included, keeping its layout, bytes and digests")
    default void logArtifactsTree(Tracker tracker, StoreHarness kit) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("README.md", "# bundle\n".getBytes(StandardCharsets.UTF_8));
        files.put("config/params.json", "{\"lr\": 0.1}".getBytes(StandardCharsets.UTF_8));
        files.put("config/deep/er/weights.bin", bytes(70_000, 3));
        files.put("config.txt", bytes(5, 4));
        files.put("empty.txt", new byte[0]);
        Path source = writeTree(kit.newDirectory("bundle-source"), files);
        ActiveRun run = tracker.startRun("iris");
        run.logArtifacts(source, "bundle");

        assertEquals(List.of(ArtifactEntry.directory("bundle")), tracker.listArtifacts(run.id(), ""));
        assertEquals(List.of("bundle/README.md", "bundle/config", "bundle/config.txt", "bundle/empty.txt"),
                tracker.listArtifacts(run.id(), "bundle").stream().map(ArtifactEntry::path).toList());
        assertEquals(List.of(ArtifactEntry.directory("bundle/config/deep"),
                ArtifactEntry.file("bundle/config/params.json", files.get("config/params.json").length,
                        sha256(files.get("config/params.json")))),
                tracker.listArtifacts(run.id(), "bundle/config"));
        assertEquals(digestsOf(files), artifactDigests(tracker, run.id(), "bundle"));
        files.forEach((path, content) ->
                assertArrayEquals(content, readAll(tracker.openArtifact(run.id(), "bundle/" + path)), path));
    }

    @Test
    @DisplayName("logArtifacts(dir, \"\") copies a tree into the root of the run's artifacts")
    default void logArtifactsAtRoot(Tracker tracker, StoreHarness kit) {
        Map<String, byte[]> files = Map.of("a.txt", bytes(10, 1), "sub/b.bin", bytes(20, 2));
        ActiveRun run = tracker.startRun("iris");
        run.logArtifacts(writeTree(kit.newDirectory("tree"), files), "");
        assertEquals(digestsOf(files), artifactDigests(tracker, run.id(), ""));
        assertEquals(List.of(ArtifactEntry.file("a.txt", 10, sha256(files.get("a.txt"))), ArtifactEntry.directory("sub")),
                tracker.listArtifacts(run.id(), ""));
    }

    @ParameterizedTest(name = "a link to a {0}")
    @ValueSource(strings = {"file", "directory"})
    @DisplayName("logArtifacts refuses a tree holding a symbolic link with InvalidInputException naming it, and never stores what it points to")
    default void logArtifactsRefusesLink(String kind, Tracker tracker, StoreHarness kit) throws IOException {
        byte[] secret = "secret".getBytes(StandardCharsets.UTF_8);
        Path outside = kit.newFile("secret.txt", secret);
        Path source = writeTree(kit.newDirectory("linked"), Map.of("a.txt", bytes(10, 1), "sub/b.txt", bytes(10, 2)));
        Files.createSymbolicLink(source.resolve("sub/z-link"), kind.equals("file") ? outside : outside.getParent());
        ActiveRun run = tracker.startRun("iris");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run.logArtifacts(source, "bundle"));
        assertMessageContains(e, "z-link");
        assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(run.id(), "bundle/sub/z-link")));
        assertThrows(NotFoundException.class, () -> readAll(tracker.openArtifact(run.id(), "bundle/sub/z-link/secret.txt")));
    }

    @Test
    @DisplayName("a tree refused for a symbolic link stores none of its files")
    default void refusedTreeStoresNothing(Tracker tracker, StoreHarness kit) throws IOException {
        Path outside = kit.newFile("secret.txt", bytes(10, 9));
        // "a.txt" and "b/c.txt" come before the link in any walk order that sorts names.
        Path source = writeTree(kit.newDirectory("linked"), Map.of("a.txt", bytes(10, 1), "b/c.txt", bytes(10, 2)));
        Files.createSymbolicLink(source.resolve("z-link.txt"), outside);
        ActiveRun run = tracker.startRun("iris");
        assertThrows(InvalidInputException.class, () -> run.logArtifacts(source, "bundle"));
        assertEquals(Map.of(), artifactDigests(tracker, run.id(), ""),
                "a refused logArtifacts must not leave part of the tree behind");
        assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
    }

    @Test
    @DisplayName("logArtifacts of a missing directory or of a file fails with InvalidInputException and stores nothing")
    default void logArtifactsNotADirectory(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        Path file = kit.newFile("model.bin", bytes(10, 1));
        assertThrows(InvalidInputException.class, () -> run.logArtifacts(file, "bundle"));
        assertThrows(InvalidInputException.class, () -> run.logArtifacts(file.resolveSibling("missing"), "bundle"));
        assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
    }

    @Test
    @DisplayName("logText stores the text as UTF-8 at the given path; logging it again replaces it")
    default void logText(Tracker tracker) {
        String text = "résumé: accuracy ≥ 0.97 ✓\nline two\n";
        byte[] expected = text.getBytes(StandardCharsets.UTF_8);
        ActiveRun run = tracker.startRun("iris");
        run.logText(text, "notes/summary.md");
        assertEquals(List.of(ArtifactEntry.file("notes/summary.md", expected.length, sha256(expected))),
                tracker.listArtifacts(run.id(), "notes"));
        assertArrayEquals(expected, readAll(tracker.openArtifact(run.id(), "notes/summary.md")));

        run.logText("", "notes/summary.md");
        assertEquals(List.of(ArtifactEntry.file("notes/summary.md", 0, sha256(new byte[0]))),
                tracker.listArtifacts(run.id(), "notes"));
        assertArrayEquals(new byte[0], readAll(tracker.openArtifact(run.id(), "notes/summary.md")));
    }

    @Test
    @DisplayName("logJson of a record stores JSON with each of its components")
    default void logJsonRecord(Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        run.logJson(new TestModels.EvalReport("linear \"v2\"", 0.9375, List.of(5, 1, 0, 6), true), "eval/report.json");
        byte[] stored = readAll(tracker.openArtifact(run.id(), "eval/report.json"));
        assertEquals(List.of(ArtifactEntry.file("eval/report.json", stored.length, sha256(stored))),
                tracker.listArtifacts(run.id(), "eval"));
        String json = compactJson(new String(stored, StandardCharsets.UTF_8));
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        for (String member : List.of("\"model\":\"linear \\\"v2\\\"\"", "\"accuracy\":0.9375",
                "\"confusion\":[5,1,0,6]", "\"calibrated\":true")) {
            assertTrue(json.contains(member), () -> "the JSON should hold " + member + ": " + json);
        }
    }

    @Test
    @DisplayName("logJson of a Map stores the same values, nested maps and lists included")
    default void logJsonMap(Tracker tracker) {
        Map<String, Object> optimizer = new TreeMap<>(Map.of("name", "sgd", "momentum", 0.9));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("epochs", 12);
        config.put("optimizer", optimizer);
        config.put("classes", List.of("setosa", "versicolor"));
        config.put("dropout", null);
        config.put("big", Long.MAX_VALUE);
        ActiveRun run = tracker.startRun("iris");
        run.logJson(config, "config.json");
        String json = compactJson(utf8(tracker.openArtifact(run.id(), "config.json")));
        assertEquals("{\"epochs\":12,\"optimizer\":{\"momentum\":0.9,\"name\":\"sgd\"},"
                + "\"classes\":[\"setosa\",\"versicolor\"],\"dropout\":null,\"big\":9223372036854775807}", json);
    }

    @Test
    @DisplayName("downloadArtifacts of a file returns target/<name> holding the same bytes, creating target")
    default void downloadFile(Tracker tracker, StoreHarness kit) throws IOException {
        byte[] content = bytes(5000, 4);
        ActiveRun run = tracker.startRun("iris");
        run.logArtifact(kit.newFile("loss.png", content), "plots/train");
        run.logArtifact(kit.newFile("other.png", bytes(10, 5)), "plots/train");
        Path target = kit.newDirectory("download").resolve("not/yet/there");
        Path local = tracker.downloadArtifacts(run.id(), "plots/train/loss.png", target);
        assertEquals(target.resolve("loss.png"), local);
        assertArrayEquals(content, Files.readAllBytes(local));
        assertEquals(Map.of("loss.png", content.length + ":" + sha256(content)), localDigests(target),
                "only the requested file is downloaded");
    }

    @Test
    @DisplayName("downloadArtifacts of a directory returns target/<last segment> holding its whole subtree")
    default void downloadDirectory(Tracker tracker, StoreHarness kit) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("config/params.json", bytes(100, 1));
        files.put("config/deep/er/weights.bin", bytes(30_000, 2));
        files.put("README.md", bytes(10, 3));
        ActiveRun run = tracker.startRun("iris");
        run.logArtifacts(writeTree(kit.newDirectory("bundle"), files), "bundle");
        Path target = kit.newDirectory("download");
        Path local = tracker.downloadArtifacts(run.id(), "bundle/config", target);
        assertEquals(target.resolve("config"), local);
        assertEquals(Map.of("params.json", "100:" + sha256(files.get("config/params.json")),
                "deep/er/weights.bin", "30000:" + sha256(files.get("config/deep/er/weights.bin"))), localDigests(local));
        assertEquals(artifactDigests(tracker, run.id(), "bundle/config"), localDigests(local));
        SortedMap<String, String> underTarget = new TreeMap<>();
        localDigests(local).forEach((path, digest) -> underTarget.put("config/" + path, digest));
        assertEquals(underTarget, localDigests(target), "nothing else is downloaded");
    }

    @Test
    @DisplayName("downloadArtifacts does not write through a directory link planted in the target: ConflictException, nothing written there")
    default void downloadRefusesALinkInTheTarget(Tracker tracker, StoreHarness kit) throws java.io.IOException {
        ActiveRun run = tracker.startRun("iris");
        run.logArtifacts(writeTree(kit.newDirectory("bundle"), Map.of("reports/a.txt", bytes(10, 1))), "bundle");
        Path target = kit.newDirectory("download");
        Path outside = kit.newDirectory("outside");
        java.nio.file.Files.createDirectories(target.resolve("bundle"));
        java.nio.file.Files.createSymbolicLink(target.resolve("bundle/reports"), outside);
        assertThrows(dev.runlog.tracking.ConflictException.class, () -> tracker.downloadArtifacts(run.id(), "bundle", target));
        try (java.util.stream.Stream<Path> written = java.nio.file.Files.list(outside)) {
            assertEquals(0, written.count(), "nothing went through the link");
        }
    }

    @Test
    @DisplayName("downloadArtifacts of \"\" copies every artifact of the run into target itself")
    default void downloadAll(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        Map<String, byte[]> files = Map.of("a/b/c.bin", bytes(1000, 1), "a/d.txt", bytes(10, 2));
        run.logArtifacts(writeTree(kit.newDirectory("tree"), files), "");
        run.logArtifact(kit.newFile("model.bin", bytes(77, 3)));
        run.logText("hello", "notes.txt");
        Path target = kit.newDirectory("download");
        assertEquals(target, tracker.downloadArtifacts(run.id(), "", target));
        SortedMap<String, String> expected = new TreeMap<>(digestsOf(files));
        expected.put("model.bin", "77:" + sha256(bytes(77, 3)));
        expected.put("notes.txt", "5:" + sha256("hello".getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, localDigests(target));
        assertEquals(artifactDigests(tracker, run.id(), ""), localDigests(target));
    }

    @Test
    @DisplayName("downloadArtifacts of a missing path or an unknown run fails with NotFoundException")
    default void downloadMissing(Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        run.logArtifact(kit.newFile("loss.png", bytes(10, 1)), "plots");
        Path target = kit.newDirectory("download");
        assertThrows(NotFoundException.class, () -> tracker.downloadArtifacts(run.id(), "model.bin", target));
        assertThrows(NotFoundException.class, () -> tracker.downloadArtifacts(run.id(), "plots/acc.png", target));
        assertThrows(NotFoundException.class, () -> tracker.downloadArtifacts(run.id(), "metrics", target));
        assertThrows(NotFoundException.class, () -> tracker.downloadArtifacts(UNKNOWN_RUN_ID, "plots/loss.png", target));
        assertThrows(InvalidInputException.class, () -> tracker.downloadArtifacts(run.id(), "../plots", target));
        assertEquals(Map.of(), localDigests(target));
    }

    @ParameterizedTest(name = "artifact path \"{0}\"")
    @ValueSource(strings = {"", ".", "/", "../x", "notes/../../x", "/etc/x", "a\\b"})
    @DisplayName("logText and logJson to the root or to a path leaving it fail with InvalidInputException and store nothing")
    default void invalidTextPath(String path, Tracker tracker) {
        ActiveRun run = tracker.startRun("iris");
        assertThrows(InvalidInputException.class, () -> run.logText("text", path));
        assertThrows(InvalidInputException.class, () -> run.logJson(Map.of("k", 1), path));
        assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ArtifactWrite.class)
    @DisplayName("after end, artifact writes fail with RunNotActiveException naming the run, and store nothing")
    default void artifactWriteAfterEnd(ArtifactWrite write, Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        run.end(RunStatus.FINISHED);
        assertEquals(run.id(), assertArtifactWriteRefused(write, run, tracker, kit).runId());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ArtifactWrite.class)
    @DisplayName("after deleteRun of a running run, artifact writes fail with RunNotActiveException and store nothing")
    default void artifactWriteAfterDelete(ArtifactWrite write, Tracker tracker, StoreHarness kit) {
        ActiveRun run = tracker.startRun("iris");
        tracker.deleteRun(run.id());
        assertArtifactWriteRefused(write, run, tracker, kit);
        tracker.restoreRun(run.id());
    }

    /** Checks that {@code write} into the inactive {@code run} fails naming the run and stores nothing; returns the failure. */
    private static RunNotActiveException assertArtifactWriteRefused(ArtifactWrite write, ActiveRun run, Tracker tracker,
                                                                    StoreHarness kit) {
        Path directory = writeTree(kit.newDirectory("tree"), Map.of("a.txt", bytes(10, 1)));
        RunNotActiveException e = assertThrows(RunNotActiveException.class, () -> write.apply(run, directory));
        assertMessageContains(e, run.id());
        assertEquals(List.of(), tracker.listArtifacts(run.id(), ""));
        return e;
    }

    /** The artifact writes of an {@link ActiveRun} besides logArtifact, for the tests of writes to inactive runs. */
    enum ArtifactWrite {
        LOG_ARTIFACTS, LOG_TEXT, LOG_JSON, LOG_MODEL, LOG_FILES_MODEL;

        void apply(ActiveRun run, Path directory) {
            switch (this) {
                case LOG_ARTIFACTS -> run.logArtifacts(directory, "bundle");
                case LOG_TEXT -> run.logText("notes", "notes.txt");
                case LOG_JSON -> run.logJson(Map.of("accuracy", 0.97), "eval.json");
                case LOG_MODEL -> run.logModel("model", new TestModels.LinearModel(new double[] {1, 2}, 0.5));
                case LOG_FILES_MODEL -> run.logModel("model", directory);
            }
        }
    }
}
