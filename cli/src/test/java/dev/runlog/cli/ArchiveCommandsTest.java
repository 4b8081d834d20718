package dev.runlog.cli;

import static dev.runlog.cli.CommandsContract.assertFailed;
import static dev.runlog.cli.CommandsContract.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runlog.cli.CliHarness.Result;
import dev.runlog.tracking.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export from a SQLite store, import into an in-memory one: runs and models, told apart by the archive. */
class ArchiveCommandsTest {
    @TempDir
    Path dir;
    CliHarness source;
    CliHarness target;

    @BeforeEach
    void open() {
        source = new CliHarness("sqlite:" + dir.resolve("runs.db")).withFixture();
        target = new CliHarness(null);
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    @Test
    void aRunTravelsWholeAndImportKnowsItIsARun() throws Exception {
        Path file = dir.resolve("out/run.tar.gz");
        Result export = source.run("export", source.runA, file.toString());
        assertEquals(0, export.code(), export::toString);
        assertTrue(export.out().startsWith("exported run " + source.runA + " to " + file + " ("), export.out());

        Result imported = target.run("import", file.toString(), "--format", "json");
        assertEquals(0, imported.code(), imported::toString);
        JsonNode json = json(imported.out());
        assertEquals("run", json.get("kind").asText());
        Run copy = target.tracker.getRun(json.get("run_id").asText());
        assertEquals("0.1", copy.data().params().get("lr"));
        assertEquals(3, target.tracker.metricHistory(copy.info().id(), "acc").size());

        byte[] whole = java.nio.file.Files.readAllBytes(file);
        Path cut = java.nio.file.Files.write(dir.resolve("cut.tar.gz"), java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
        assertFailed(target.run("import", cut.toString()), 1, "ends early",
                "the archive is damaged or not one Runlog wrote, and nothing of it was kept");
    }

    @Test
    void anExistingArchiveIsReplacedOnlyWithForce() throws Exception {
        Path file = dir.resolve("run.tar.gz");
        assertEquals(0, source.run("export", source.runA, file.toString()).code());
        byte[] first = Files.readAllBytes(file);
        assertFailed(source.run("export", source.runB, file.toString()), 2, file + " already exists; give --force");
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(file)), "the refused export changed the file");
        Path pipe = dir.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor());
        assertFailed(source.run("export", source.runB, pipe.toString()), 2, pipe + " is not a regular file (a device,"
                + " a pipe or a socket)");

        Result forced = source.run("export", source.runB, file.toString(), "--force");
        assertEquals(0, forced.code(), forced::toString);
        Result imported = target.run("import", file.toString(), "--format", "json");
        assertEquals(source.runB, target.tracker.getRun(json(imported.out()).get("run_id").asText()).data().tags()
                .get("runlog.importedFrom"), "--force did not replace the archive");
    }

    @Test
    void aRegisteredVersionsModelTravelsAndImportKnowsItIsAModel() throws Exception {
        Path file = dir.resolve("model.tar.gz");
        Result export = source.run("export", "models:/iris-classifier/Production", file.toString(), "--format", "json");
        assertEquals(0, export.code(), export::toString);
        assertEquals("model", json(export.out()).get("kind").asText());
        assertEquals(Files.size(file), json(export.out()).get("bytes").asLong());

        Result imported = target.run("import", file.toString());
        assertEquals(0, imported.code(), imported::toString);
        assertTrue(imported.out().startsWith("imported model as runs:/"), imported.out());
        String uri = imported.out().substring("imported model as ".length()).split(" ")[0];
        assertEquals("json", target.tracker.getLoggedModel(uri).flavor());
        Result registered = target.run("register", "iris-classifier", uri);
        assertEquals("iris-classifier version 1 registered from " + uri + "\n", registered.out());
        assertFailed(target.run("register", "iris-classifier", "runs:/0123456789abcdef0123456789abcdef/model"), 1,
                "0123456789abcdef0123456789abcdef");

        Path logged = dir.resolve("logged.tar.gz");
        assertEquals(0, source.run("export", "runs:/" + source.runB + "/model", logged.toString()).code());
        assertEquals("model", json(target.run("import", logged.toString(), "--format", "json").out()).get("kind").asText());
    }

    @Test
    void anArchiveRepackedWithItsManifestLastIsImportedAsTheLibraryImportsIt() throws Exception {
        Path file = dir.resolve("run.tar.gz");
        assertEquals(0, source.run("export", source.runA, file.toString()).code());
        // What `tar czf x.tar.gz *` in the unpacked archive gives: names sorted, artifacts/ first.
        java.util.TreeMap<String, byte[]> entries = new java.util.TreeMap<>();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(Files.newInputStream(file)))) {
            for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    entries.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        Path repacked = dir.resolve("repacked.tar.gz");
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(Files.newOutputStream(repacked)))) {
            for (var e : entries.entrySet()) {
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        assertTrue(entries.firstKey().compareTo(ArchiveCommands.MANIFEST) < 0, "the manifest is not first: " + entries.keySet());

        Result imported = target.run("import", repacked.toString(), "--format", "json");
        assertEquals(0, imported.code(), imported::toString);
        assertEquals("run", json(imported.out()).get("kind").asText());
        assertEquals("0.1", target.tracker.getRun(json(imported.out()).get("run_id").asText()).data().params().get("lr"));

        // What `tar czf x.tar.gz .` gives: ./ before every name, which the CLI took for no manifest.
        Path dotted = dir.resolve("dotted.tar.gz");
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(Files.newOutputStream(dotted)))) {
            for (var e : entries.entrySet()) {
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("./" + e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        Result fromDot;
        try (CliHarness other = new CliHarness("memory:")) {
            fromDot = other.run("import", dotted.toString());
        }
        assertEquals(0, fromDot.code(), fromDot::toString);
        assertTrue(fromDot.out().startsWith("imported run "), fromDot.out());
    }

    @Test
    void whatIsNotAnArchiveOrNotThereExitsOne() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.tar.gz"), "not an archive");
        assertFailed(target.run("import", text.toString()), 1, "is not a Runlog archive", "runlog export");
        assertFailed(target.run("import", dir.resolve("missing.tar.gz").toString()), 1, "no file", "check the archive's path");
        assertFailed(source.run("export", "0123456789abcdef0123456789abcdef", dir.resolve("x.tar.gz").toString()), 1,
                "check the name or id");
        assertFailed(source.run("export", "models:/iris-classifier/9", dir.resolve("x.tar.gz").toString()), 1, "9");
        assertTrue(Files.notExists(dir.resolve("x.tar.gz")));
    }
}
