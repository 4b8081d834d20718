package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives whose entries are safe but whose JSON says something no API call could have stored:
 * each is refused with a Runlog exception naming it, and nothing of it is kept, not even the
 * experiment it would have landed in. ({@link ArchiveSafetyTest} covers the entries themselves.)
 */
class ArchiveContentTest {
    @TempDir
    Path dir;

    @Test
    void aRunArchiveSayingWhatNoCallCouldStoreKeepsNothing() throws IOException {
        Path archive = runArchive();
        refused(archive, "run.json", json -> json.put("status", "BOGUS"), IntegrityException.class, "run status 'BOGUS'");
        // What a rule refuses is the archive's defect, named as its others are, not a bad argument of the caller's.
        refused(archive, "run.json", json -> json.put("name", ""), IntegrityException.class, "run name");
        refused(archive, "run.json", json -> json.put("name", "o\uD800"), IntegrityException.class, "surrogate");
        refused(archive, "run.json", json -> ((ObjectNode) json.get("params")).put("/bad", "1"), IntegrityException.class,
                "param key '/bad' starts with '/'");
        refused(archive, "run.json", json -> ((ObjectNode) json.get("tags")).put("note", "a\u0000b"), IntegrityException.class,
                "note");
        refused(archive, "run.json", json -> ((ObjectNode) json.get("params")).putObject("lr").put("a", 1),
                IntegrityException.class, "param 'lr' is not a string");
        refused(archive, "run.json", json -> json.remove("status"), IntegrityException.class, "'status' is missing");
        refused(archive, "runlog-archive.json", json -> json.put("source_run_id", "x".repeat(20_000)),
                IntegrityException.class, "runlog.importedFrom");
        refused(archive, "runlog-archive.json", json -> json.put("source_run_id", "a\uD800b"),
                IntegrityException.class, "surrogate");
    }

    @Test
    void fieldsOfTheWrongKindAreRefusedNeverReadAsNothing() throws IOException {
        Path archive = runArchive();
        refused(archive, "runlog-archive.json", json -> json.putNull("source_experiment"), IntegrityException.class,
                "'source_experiment' is not a string");
        refused(archive, "run.json", json -> json.put("start_time", "yesterday"), IntegrityException.class,
                "'start_time' is not whole epoch milliseconds");
        refused(archive, "run.json", json -> json.put("start_time", new java.math.BigInteger("1180591620717411303424")),
                IntegrityException.class, "is not a time from 1970 through the year 9999");
        // Imported before: sorted first in every listing and dated its experiment +292278994 for good.
        refused(archive, "run.json", json -> json.put("start_time", Long.MAX_VALUE).put("end_time", Long.MAX_VALUE),
                IntegrityException.class, "'start_time' (9223372036854775807) is not a time from 1970 through the year 9999");
        refused(archive, "run.json", json -> json.put("start_time", -5L), IntegrityException.class, "'start_time' (-5)");
        refused(archive, "run.json", json -> json.put("end_time", json.get("start_time").asLong() - 1),
                IntegrityException.class, "before it starts");
        refused(archive, "run.json", json -> json.putArray("params").add("a"), IntegrityException.class,
                "'params' is not an object");
        refused(archive, "run.json", json -> json.put("inputs", "nope"), IntegrityException.class, "'inputs' is not an array");
        refused(archive, "run.json", json -> json.putArray("inputs").addObject().put("context", "training")
                .putObject("dataset").putNull("digest"), IntegrityException.class, "input 0 is not a dataset");
        // Said in the archive's terms, not the mapper's ("Cannot construct instance of `dev.runlog...`").
        RunlogException profile = refused(archive, "run.json", json -> json.putArray("inputs").addObject()
                .put("context", "training").putObject("dataset").put("name", "d").put("digest", "abc").put("source", "s")
                .putObject("profile").put("rowCount", "many"), IntegrityException.class,
                "input 0 is not a dataset: at 'profile.rowCount', a missing field or a value of the wrong kind");
        assertFalse(profile.getMessage().contains("dev.runlog") || profile.getMessage().contains("construct"),
                "no class names: " + profile.getMessage());
        refusedBytes(archive, "run.json", null, "has no run.json");
        refusedBytes(archive, "run.json", "{\"name\": ".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "run.json is not valid JSON");
        refusedBytes(archive, "run.json", "[1]".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "run.json is not a JSON object");
        byte[] whole = Files.readAllBytes(archive);
        Path truncated = Files.write(dir.resolve("truncated.tar.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        try (Tracker target = Tracker.inMemory()) {
            IntegrityException e = assertThrows(IntegrityException.class, () -> target.importRun(truncated));
            assertTrue(e.getMessage().contains("is not a readable .tar.gz") && e.getMessage().endsWith(": it ends early (truncated?)"),
                    e.getMessage());
        }
    }

    @Test
    void aRunExportedWhileRunningImportsAsKilledWithAnEnd() throws IOException {
        Path running = rewrite(runArchive(), "run.json", json -> {
            json.put("status", "RUNNING");
            json.putNull("end_time");
        });
        try (Tracker target = Tracker.inMemory()) {
            dev.runlog.tracking.Run imported = target.importRun(running);
            assertEquals(dev.runlog.tracking.RunStatus.KILLED, imported.info().status());
            assertTrue(imported.info().endTime().isPresent());
        }
    }

    @Test
    void aModelArchiveMustNameAPathAndMayHaveAnyUuid() throws IOException {
        Path archive;
        try (Tracker source = Tracker.inMemory(); ActiveRun run = source.startRun("models")) {
            LoggedModel model = run.logModel("model", Map.of("w", 1));
            archive = dir.resolve("model.tar.gz");
            source.exportModel(model.uri(), archive);
        }
        for (String path : List.of("", ".")) {
            Path changed = rewrite(archive, "runlog-archive.json", json -> json.put("artifact_path", path));
            try (Tracker target = Tracker.inMemory()) {
                IntegrityException e = assertThrows(IntegrityException.class, () -> target.importModel(changed));
                assertTrue(e.getMessage().contains("artifact root"), e.getMessage());
                assertEquals(List.of(), target.listExperiments().stream().map(x -> x.name()).toList());
            }
        }
        Path shortUuid = rewrite(archive, "model/MLmodel.json", json -> json.put("model_uuid", "abc"));
        try (Tracker target = Tracker.inMemory()) {
            LoggedModel imported = target.importModel(shortUuid);
            assertEquals("import-abc", target.getRun(imported.runId()).info().name());
        }
    }

    /**
     * What run.json says of the metric files must match them one for one: a file named for many
     * keys was read once per key (a 25 KB archive of 40 keys over one 24 MB file filled a 512 MB
     * heap), a key named twice lost its first series, a file named for none was dropped.
     */
    @Test
    void metricFilesAndRunJsonMatchOneForOne() throws IOException {
        Path archive = runArchive();
        refused(archive, "run.json", json -> ((ArrayNode) json.get("metrics")).addObject().put("key", "again")
                .put("file", json.get("metrics").get(0).get("file").asText()), IntegrityException.class, "metrics/0.bin' twice");
        refused(archive, "run.json", json -> ((ArrayNode) json.get("metrics")).addObject().put("key", "loss")
                .put("file", "metrics/0.bin"), IntegrityException.class, "the metric 'loss' twice");
        refused(archive, "run.json", json -> ((ObjectNode) json.get("metrics").get(0)).put("file", "artifacts/notes/a.txt"),
                IntegrityException.class, "does not hold under metrics/");
        refusedBytes(archive, "metrics/7.bin", new byte[24], "'metrics/7.bin', which run.json does not name");

        // The metric files' directory replaced by a file of that name, named itself or by a spelling of it.
        Map<String, byte[]> entries = TarGzEntries.read(archive);
        byte[] points = entries.remove("metrics/0.bin");
        entries.put("metrics", points);
        for (String file : List.of("metrics", "metrics/", "metrics/.")) {
            ObjectNode run = (ObjectNode) Json.MAPPER.readTree(entries.get("run.json"));
            ((ObjectNode) run.get("metrics").get(0)).put("file", file);
            entries.put("run.json", Json.MAPPER.writeValueAsBytes(run));
            Path changed = write(entries);
            try (Tracker target = Tracker.inMemory()) {
                IntegrityException e = assertThrows(IntegrityException.class, () -> target.importRun(changed), file);
                assertTrue(e.getMessage().contains("metrics"), e.getMessage());
            }
        }
        // A member given twice: a reader of the text and the importer could read different files.
        String text = new String(TarGzEntries.read(archive).get("run.json"), java.nio.charset.StandardCharsets.UTF_8);
        refusedBytes(archive, "run.json", text.replaceFirst("\"file\"", "\"file\": \"metrics/9.bin\", \"file\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "Duplicate field 'file'");
    }

    /** A series of more points than the import hands the store at once arrives whole and in order. */
    @Test
    void aSeriesLongerThanOneBatchImportsWhole() throws IOException {
        Path archive = dir.resolve("long.tar.gz");
        int points = ArchiveSeries.BATCH * 2 + 17;
        try (Tracker source = Tracker.inMemory()) {
            String id;
            try (ActiveRun run = source.startRun("long")) {
                for (int i = 0; i < points; i++) {
                    run.logMetric("loss", 1.0 / (i + 1), i);
                }
                id = run.id();
            }
            source.exportRun(id, archive);
        }
        try (Tracker target = Tracker.inMemory()) {
            String id = target.importRun(archive).info().id();
            List<dev.runlog.tracking.Metric> history = target.metricHistory(id, "loss");
            assertEquals(points, history.size());
            assertEquals(points - 1, history.get(points - 1).step());
            assertEquals(1.0 / points, history.get(points - 1).value());
        }
    }

    private Path runArchive() throws IOException {
        Path archive = dir.resolve("run.tar.gz");
        try (Tracker source = Tracker.inMemory()) {
            String id;
            try (ActiveRun run = source.startRun("iris")) {
                run.logParam("lr", 0.1).logMetric("loss", 0.5, 0).logText("hello", "notes/a.txt");
                id = run.id();
            }
            source.exportRun(id, archive);
        }
        try (Tracker target = Tracker.inMemory()) {
            target.importRun(archive); // the unchanged archive imports
        }
        return archive;
    }

    private RunlogException refused(Path archive, String entry, Consumer<ObjectNode> change,
                                    Class<? extends RunlogException> type, String fragment) throws IOException {
        Path changed = rewrite(archive, entry, change);
        try (Tracker target = Tracker.inMemory()) {
            RunlogException e = assertThrows(type, () -> target.importRun(changed));
            assertTrue(e.getMessage().contains(fragment), e.getMessage());
            assertTrue(e.getMessage().startsWith("Archive " + changed), e.getMessage());
            assertEquals(List.of(), target.listExperiments().stream().map(x -> x.name()).toList(),
                    "nothing of the archive is kept");
            return e;
        }
    }

    private void refusedBytes(Path archive, String entry, byte[] bytes, String fragment) throws IOException {
        Map<String, byte[]> entries = TarGzEntries.read(archive);
        if (bytes == null) {
            entries.remove(entry);
        } else {
            entries.put(entry, bytes);
        }
        Path changed = write(entries);
        try (Tracker target = Tracker.inMemory()) {
            IntegrityException e = assertThrows(IntegrityException.class, () -> target.importRun(changed));
            assertTrue(e.getMessage().contains(fragment) && !e.getMessage().contains("runlog-import-"), e.getMessage());
            assertEquals(List.of(), target.listExperiments().stream().map(x -> x.name()).toList());
        }
    }

    /** A copy of {@code archive} with the JSON entry {@code name} changed by {@code change}. */
    private Path rewrite(Path archive, String name, Consumer<ObjectNode> change) throws IOException {
        Map<String, byte[]> entries = TarGzEntries.read(archive);
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(entries.get(name));
        change.accept(json);
        entries.put(name, Json.MAPPER.writeValueAsBytes(json));
        return write(entries);
    }

    private Path write(Map<String, byte[]> entries) throws IOException {
        return TestFiles.tarGz(Files.createTempFile(dir, "changed-", ".tar.gz"), entries);
    }
}
