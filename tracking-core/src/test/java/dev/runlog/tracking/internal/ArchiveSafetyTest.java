package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.LoggedModel;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.ViewType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Tracker#importModel} and {@link Tracker#importRun} on hostile archives: every refusal is
 * an {@link IntegrityException} naming the entry or problem, creates no experiment or run, and
 * leaves no {@code runlog-import-*} directory in {@code java.io.tmpdir}.
 */
class ArchiveSafetyTest {
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
    private static final String MODEL_MANIFEST = """
            {"format": 1, "kind": "model", "runlog_version": "test", "source_run_id": "0123456789abcdef0123456789abcdef",
             "source_experiment": "hostile", "artifact_path": "model", "model_uuid": "00000000-0000-0000-0000-000000000000"}
            """;

    /** A model a test logs and exports: a record, so equals compares the content. */
    public record TinyModel(String name, List<Double> weights, double bias) {
    }

    @TempDir
    Path dir;

    private final List<Tracker> trackers = new ArrayList<>();
    private Tracker tracker;

    @BeforeEach
    void open() {
        tracker = track(Tracker.builder().uri("memory:").shutdownHook(false).build());
    }

    @AfterEach
    void closeAll() {
        trackers.forEach(Tracker::close);
    }

    private Tracker track(Tracker t) {
        trackers.add(t);
        return t;
    }

    // ---- unsafe entries -------------------------------------------------------------------------

    @Test
    void parentDirectoryEntry() throws IOException {
        Path archive = tarGz("parent.tar.gz", model(), file("../evil.txt", "evil"));
        assertRefusedByBoth(archive, "'../evil.txt'", "..");
    }

    @Test
    void parentDirectoryInsideEntry() throws IOException {
        Path archive = tarGz("nested-parent.tar.gz", model(), file("model/../../evil.txt", "evil"));
        assertRefusedByBoth(archive, "'model/../../evil.txt'", "..");
    }

    @Test
    void absoluteEntry() throws IOException {
        Path target = dir.resolve("absolute-evil.txt").toAbsolutePath();
        String name = target.toString().replace('\\', '/');
        assertTrue(name.startsWith("/"), name);
        Path archive = tarGz("absolute.tar.gz", model(), file(name, "evil"));
        assertRefusedByBoth(archive, "'" + name + "'", "absolute");
        assertFalse(Files.exists(target), "the absolute entry was written to " + target);
    }

    @Test
    void absoluteTmpEntry() throws IOException {
        // The classic: an entry naming a file in /tmp. Refused before anything is written.
        String name = "/tmp/evil-" + Long.toHexString(new Random().nextLong()) + ".txt";
        Path archive = tarGz("absolute-tmp.tar.gz", model(), file(name, "evil"));
        assertRefusedByBoth(archive, "'" + name + "'", "absolute");
        assertFalse(Files.exists(Path.of(name)), name + " was written");
    }

    @Test
    void symlinkToEtcPasswd() throws IOException {
        Path archive = tarGz("symlink-out.tar.gz", model(), link("model/data/passwd", "/etc/passwd", TarConstants.LF_SYMLINK));
        IntegrityException e = assertRefusedByBoth(archive, "'model/data/passwd'", "/etc/passwd", "link");
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void symlinkPointingInsideIsRefusedToo() throws IOException {
        Path archive = tarGz("symlink-in.tar.gz", model(), file("data/x", "x"),
                link("data/y", "x", TarConstants.LF_SYMLINK));
        IntegrityException e = assertRefusedByBoth(archive, "'data/y'", "link", "no links");
        assertFalse(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void hardLink() throws IOException {
        Path archive = tarGz("hardlink.tar.gz", model(), link("model/data/copy.json", Archives.MANIFEST, TarConstants.LF_LINK));
        assertRefusedByBoth(archive, "'model/data/copy.json'", "link");
    }

    @Test
    void hardLinkToOutside() throws IOException {
        Path archive = tarGz("hardlink-out.tar.gz", model(), link("model/data/shadow", "/etc/shadow", TarConstants.LF_LINK));
        assertRefusedByBoth(archive, "'model/data/shadow'", "link");
    }

    @Test
    void characterDevice() throws IOException {
        Path archive = tarGz("chr.tar.gz", model(), tar -> {
            TarArchiveEntry entry = new TarArchiveEntry("model/data/null", TarConstants.LF_CHR);
            entry.setDevMajor(1);
            entry.setDevMinor(3);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        });
        assertRefusedByBoth(archive, "'model/data/null'", "device");
    }

    @Test
    void blockDevice() throws IOException {
        Path archive = tarGz("blk.tar.gz", model(), tar -> {
            TarArchiveEntry entry = new TarArchiveEntry("model/data/sda", TarConstants.LF_BLK);
            entry.setDevMajor(8);
            entry.setDevMinor(0);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        });
        assertRefusedByBoth(archive, "'model/data/sda'", "device");
    }

    @Test
    void fifo() throws IOException {
        Path archive = tarGz("fifo.tar.gz", model(), tar -> {
            tar.putArchiveEntry(new TarArchiveEntry("model/data/pipe", TarConstants.LF_FIFO));
            tar.closeArchiveEntry();
        });
        assertRefusedByBoth(archive, "'model/data/pipe'", "FIFO");
    }

    // ---- size, format, manifest -----------------------------------------------------------------

    @Test
    void compressionBombOverTheSizeLimit() throws IOException {
        Tracker limited = track(Tracker.builder().uri("memory:").shutdownHook(false).archiveSizeLimit(1 << 20).build());
        byte[] zeros = new byte[5 << 20];
        Path archive = tarGz("bomb.tar.gz", model(), bytes("model/data/zeros.bin", zeros));
        assertTrue(Files.size(archive) < 64 * 1024, "not a bomb: " + Files.size(archive) + " bytes compressed");

        for (Importer importer : Importer.values()) {
            IntegrityException e = assertRefused(limited, importer, archive, "'model/data/zeros.bin'", "limit",
                    Long.toString(1 << 20));
            assertTrue(e.getMessage().contains("nothing was kept"), e.getMessage());
        }
    }

    @Test
    void aSmallModelStillImportsUnderALowLimit() throws IOException {
        // A real model under the same 1 MiB limit imports: the refusal above is about size alone.
        Tracker limited = track(Tracker.builder().uri("memory:").shutdownHook(false).archiveSizeLimit(1 << 20).build());
        Path source = exportedModel(new TinyModel("small", List.of(1.0), 0.0));
        LoggedModel imported = limited.importModel(source);
        assertEquals(new TinyModel("small", List.of(1.0), 0.0), limited.loadModel(imported.uri(), TinyModel.class));
    }

    @Test
    void notAGzipAtAll() throws IOException {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = 0x00; // never the gzip magic number
        Path archive = dir.resolve("noise.tar.gz");
        Files.write(archive, noise);
        assertRefusedByBoth(archive, "noise.tar.gz", "not a readable");
    }

    /**
     * A second gzip stream (two archives joined with cat) or bytes appended after the first held
     * entries the import never read, and it imported without them; now the archive is refused.
     */
    @Test
    void dataAfterTheArchivesEndIsRefusedNotDropped() throws IOException {
        Path model = exportedModel(new TinyModel("m", List.of(1.0), 0.0));
        byte[] whole = Files.readAllBytes(model);
        Path joined = dir.resolve("joined.tar.gz");
        Files.write(joined, concat(whole, Files.readAllBytes(tarGz("more.tar.gz", file("artifacts/after-eof.txt", "x")))));
        assertRefusedByBoth(joined, "joined.tar.gz", "data after the end of its gzip stream");
        Path appended = dir.resolve("appended.tar.gz");
        Files.write(appended, concat(whole, "junk".getBytes(StandardCharsets.UTF_8)));
        assertRefusedByBoth(appended, "appended.tar.gz", "data after the end of its gzip stream");
        // The model itself, with nothing after it, still imports.
        assertEquals(new TinyModel("m", List.of(1.0), 0.0),
                tracker.loadModel(tracker.importModel(model).uri(), TinyModel.class));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void aMissingArchiveFile() {
        Path archive = dir.resolve("does-not-exist.tar.gz");
        for (Importer importer : Importer.values()) {
            Set<String> before = importDirs();
            RuntimeException e = assertThrows(RuntimeException.class, () -> importer.apply(tracker, archive));
            assertTrue(e.getMessage().contains("does-not-exist.tar.gz"), e.getMessage());
            assertEquals(Set.of(), difference(importDirs(), before));
            assertEquals(List.of(), tracker.listExperiments(ViewType.ALL));
        }
    }

    @Test
    void aTarGzWithoutManifest() throws IOException {
        Path archive = tarGz("no-manifest.tar.gz", file("model/MLmodel.json", "{}"), file("model/data/model.json", "{}"));
        assertRefusedByBoth(archive, Archives.MANIFEST, "not a Runlog archive");
    }

    @Test
    void aModelArchiveIsNotARunArchive() throws IOException {
        Path archive = exportedModel(new TinyModel("m", List.of(1.0, 2.0), 3.0));
        assertRefused(tracker, Importer.RUN, archive, "holds a model", "not a run");
    }

    // ---- payload integrity of exported models ---------------------------------------------------

    @Test
    void aTamperedPayloadFileIsNamed() throws IOException {
        Path original = exportedModel(new TinyModel("m", List.of(1.0, 2.0), 3.0));
        Map<String, byte[]> entries = TarGzEntries.read(original);
        assertTrue(entries.containsKey("model/data/model.json"), entries.keySet().toString());
        Path tampered = rewrite(original, "tampered.tar.gz", e -> {
            byte[] bytes = e.get("model/data/model.json").clone();
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertTrue(text.contains("3.0"), text);
            e.put("model/data/model.json", text.replace("3.0", "4.0").getBytes(StandardCharsets.UTF_8));
            return e;
        });
        IntegrityException e = assertRefused(tracker, Importer.MODEL, tampered, "data/model.json", "SHA-256");
        assertFalse(e.getMessage().contains("not in its descriptor"), e.getMessage());
    }

    @Test
    void aDeletedPayloadFileIsNamed() throws IOException {
        Path original = exportedModel(new TinyModel("m", List.of(1.0, 2.0), 3.0));
        Path tampered = rewrite(original, "missing.tar.gz", e -> {
            assertTrue(e.remove("model/data/model.json") != null, e.keySet().toString());
            return e;
        });
        assertRefused(tracker, Importer.MODEL, tampered, "data/model.json", "missing");
    }

    @Test
    void anExtraPayloadFileIsRefused() throws IOException {
        Path original = exportedModel(new TinyModel("m", List.of(1.0, 2.0), 3.0));
        Path tampered = rewrite(original, "extra.tar.gz", e -> {
            e.put("model/data/extra.bin", new byte[] {1, 2, 3});
            return e;
        });
        assertRefused(tracker, Importer.MODEL, tampered, "data/extra.bin", "not in its descriptor");
    }

    @Test
    void aFileBesideAModelsPayloadIsRefusedInAModelOrARunArchive() throws IOException {
        Path original = exportedModel(new TinyModel("m", List.of(1.0, 2.0), 3.0));
        Path tampered = withEntry(original, "beside.tar.gz", "model/extra.txt", "riding along");
        assertRefused(tracker, Importer.MODEL, tampered, "'extra.txt'", "not part of the model");

        Path run = exportedRunWithModel(new TinyModel("m", List.of(1.0), 2.0));
        Path intoModel = withEntry(run, "into-model.tar.gz", "artifacts/model/nested/extra.txt", "x");
        assertRefused(tracker, Importer.RUN, intoModel, "'nested/extra.txt'", "not part of the model");
    }

    @Test
    void anEmptyOrDotNamePartOrAnEntryOutsideTheArchivesLayoutIsRefused() throws IOException {
        Path original = exportedRun();
        for (String name : List.of("artifacts//tmp/evil.txt", "artifacts/./dot.txt", "artifacts/notes/./b.txt")) {
            assertRefused(tracker, Importer.RUN, withEntry(original, "segments.tar.gz", name, "x"), "empty or '.' part");
        }
        assertRefused(tracker, Importer.RUN, withEntry(original, "other.tar.gz", "other/x", "x"), "'other'",
                "no part of a Runlog archive");
    }

    @Test
    void aModelArchiveWithoutDescriptorIsRefused() throws IOException {
        Path original = exportedModel(new TinyModel("m", List.of(1.0), 3.0));
        Path tampered = rewrite(original, "no-descriptor.tar.gz", e -> {
            assertTrue(e.remove("model/MLmodel.json") != null, e.keySet().toString());
            return e;
        });
        assertRefused(tracker, Importer.MODEL, tampered, "MLmodel.json");
    }

    @Test
    void aDuplicateEntryIsRefused() throws IOException {
        Path original = exportedModel(new TinyModel("m", List.of(1.0), 3.0));
        Map<String, byte[]> entries = TarGzEntries.read(original);
        byte[] payload = entries.get("model/data/model.json");
        Path archive = tarGz("duplicate.tar.gz", tar -> {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                bytes(e.getKey(), e.getValue()).write(tar);
            }
            bytes("model/data/model.json", payload).write(tar);
        });
        assertRefused(tracker, Importer.MODEL, archive, "'model/data/model.json'", "twice");
    }

    // ---- names an artifact store refuses, files a run.json names -------------------------------

    @Test
    void aRunArchiveWithAnArtifactPathOverTheLimitStoresNothing() throws IOException {
        Path original = exportedRun();
        String longPath = "artifacts/" + ("d".repeat(200) + "/").repeat(6) + "f.txt";
        // The valid entries come first: the run would have been made before the long path was met.
        Path archive = rewrite(original, "long-path.tar.gz", entries -> {
            entries.put(longPath, "x".getBytes(StandardCharsets.UTF_8));
            return entries;
        });
        assertRefused(tracker, Importer.RUN, archive, "cannot be an artifact", "1024 bytes");
    }

    @Test
    void aRunJsonNamingAMetricFileTheArchiveLacksIsNamed() throws IOException {
        Path original = exportedRun();
        Path archive = rewrite(original, "no-metrics.tar.gz", entries -> {
            entries.keySet().removeIf(name -> name.startsWith("metrics/"));
            return entries;
        });
        IntegrityException e = assertRefused(tracker, Importer.RUN, archive, "metric file", "'loss'", "does not hold");
        assertFalse(e.getMessage().contains("runlog-import-"), "names the scratch directory: " + e.getMessage());
    }

    @Test
    void aNamePartOverTheSegmentLimitIsNamedNotTheScratchDirectory() throws IOException {
        Path archive = tarGz("segment.tar.gz", model(), file("model/" + "a".repeat(300), "x"));
        IntegrityException e = assertRefusedByBoth(archive, "name part of 300 UTF-8 bytes", "limit is 255");
        assertFalse(e.getMessage().contains("runlog-import-"), e.getMessage());
    }

    @Test
    void aFileThenAnEntryUnderItIsRefusedNamingBoth() throws IOException {
        Path archive = tarGz("file-then-dir.tar.gz", model(), file("model/x", "a"), file("model/x/y", "b"));
        IntegrityException e = assertRefusedByBoth(archive, "'model/x/y'", "under 'model/x'", "made a file");
        assertFalse(e.getMessage().contains("runlog-import-"), e.getMessage());
    }

    @Test
    void aModelArchiveWhoseDescriptorAndManifestDisagreeOnThePathIsRefused() throws IOException {
        Path original = exportedModel(new TinyModel("m", List.of(1.0), 3.0));
        Path archive = rewrite(original, "path-lie.tar.gz", entries -> {
            String manifest = new String(entries.get(Archives.MANIFEST), StandardCharsets.UTF_8);
            entries.put(Archives.MANIFEST, manifest.replaceAll("\"artifact_path\"\\s*:\\s*\"model\"", "\"artifact_path\": \"elsewhere\"")
                    .getBytes(StandardCharsets.UTF_8));
            assertTrue(new String(entries.get(Archives.MANIFEST), StandardCharsets.UTF_8).contains("elsewhere"));
            return entries;
        });
        assertRefused(tracker, Importer.MODEL, archive, "'elsewhere'", "'model'");
    }

    @Test
    void aModelInAnImportedRunIsTheNewRunsModel() throws IOException {
        Path archive = dir.resolve("run-with-model.tar.gz");
        String sourceRun;
        try (Tracker source = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            try (ActiveRun run = source.startRun("exported")) {
                run.logModel("model", new TinyModel("m", List.of(1.0, 2.0), 0.5));
                sourceRun = run.id();
            }
            source.exportRun(sourceRun, archive);
        }
        Run imported = tracker.importRun(archive);
        String uri = "runs:/" + imported.info().id() + "/model";
        assertEquals(imported.info().id(), tracker.getLoggedModel(uri).runId(), "not the exporting store's run " + sourceRun);
        assertEquals(new TinyModel("m", List.of(1.0, 2.0), 0.5), tracker.loadModel(uri, TinyModel.class));
    }

    @Test
    void aRunArchiveWhoseModelDescriptorNamesAnotherPathIsRefused() throws IOException {
        Path archive = exportedRunWithModel(new TinyModel("m", List.of(1.0), 0.5));
        Path moved = rewrite(archive, "run-model-moved.tar.gz", entries -> {
            Map<String, byte[]> renamed = new LinkedHashMap<>();
            entries.forEach((name, bytes) -> renamed.put(name.replace("artifacts/model/", "artifacts/other/"), bytes));
            return renamed;
        });
        assertRefused(tracker, Importer.RUN, moved, "model at 'other'", "puts it at 'model'");
    }

    @Test
    void anImportRemovesTheScratchDirectoriesOfImportsWhoseProcessDied() throws Exception {
        Process finished = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        finished.waitFor();
        String tag = dev.runlog.tracking.spi.ProcessOwner.current().machineToken() + "-" + finished.pid() + "-x-";
        Path dead = Files.createDirectories(TMP.resolve(Archives.IMPORT_PREFIX + tag + System.nanoTime()));
        Files.writeString(dead.resolve("run.json"), "{}");
        Files.setPosixFilePermissions(dead, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try {
            tracker.importRun(exportedRun());
            assertFalse(Files.exists(dead), "the unpacked archive of an import killed outright");
        } finally {
            Temp.deleteTree(dead);
        }
    }

    @Test
    void aStoreThatFailsHalfWayThroughAnImportKeepsNoLiveRun() throws IOException {
        Path archive = exportedRun();
        FlakyStore store = new FlakyStore();
        Tracker flaky = track(Tracker.builder().store(store, dev.runlog.tracking.spi.ArtifactStore.localFilesystem(
                dir.resolve("flaky-artifacts"))).shutdownHook(false).build());
        store.failing = true;
        dev.runlog.tracking.StoreException e = assertThrows(dev.runlog.tracking.StoreException.class,
                () -> flaky.importRun(archive));
        assertTrue(e.getMessage().contains("disk full (simulated)") && e.getMessage().contains("was deleted")
                && e.getMessage().contains("runlog gc --older-than 0d"), e.getMessage());
        store.failing = false;
        assertEquals(List.of(), flaky.searchRuns().list(), "the partly imported run is not among the live ones");
        List<dev.runlog.tracking.Run> deleted = flaky.searchRuns().viewType(ViewType.DELETED_ONLY).list();
        assertEquals(1, deleted.size());
        // Ended and no longer marked as importing: the next open does not take it for an import whose process died.
        assertEquals(dev.runlog.tracking.RunStatus.KILLED, deleted.get(0).info().status());
        assertFalse(deleted.get(0).data().tags().containsKey(Archives.IMPORTING));
    }

    // ---- the happy path -------------------------------------------------------------------------

    @Test
    void exportThenImportIntoAnotherTrackerLoadsAnEqualModel() throws IOException {
        TinyModel model = new TinyModel("iris-linear", List.of(0.25, -1.5, 3.0, 1e-3), 0.125);
        String uri;
        LoggedModel logged;
        try (ActiveRun run = tracker.startRun("source-experiment")) {
            run.logParam("lr", 0.1);
            logged = run.logModel("model", model);
            uri = logged.uri();
        }
        Path archive = dir.resolve("model.tar.gz");
        tracker.exportModel(uri, archive);
        assertTrue(Files.size(archive) > 0);

        Tracker other = track(Tracker.builder().uri("memory:").shutdownHook(false).build());
        Set<String> before = importDirs();
        LoggedModel imported = other.importModel(archive);
        assertEquals(Set.of(), difference(importDirs(), before));

        assertEquals(model, other.loadModel(imported.uri(), TinyModel.class));
        assertNotEquals(logged.runId(), imported.runId());
        assertEquals("model", imported.artifactPath());
        assertEquals(logged.modelUuid(), imported.modelUuid());
        assertEquals(logged.payloadSha256(), imported.payloadSha256());
        assertEquals(logged.payloadSize(), imported.payloadSize());
        assertEquals(logged.flavor(), imported.flavor());
        assertEquals(logged.flavorConfig(), imported.flavorConfig());
        assertEquals(imported, other.getLoggedModel(imported.uri()));

        Run run = other.getRun(imported.runId());
        assertEquals(RunStatus.FINISHED, run.info().status());
        assertEquals("source-experiment", other.getExperiment(run.info().experimentId()).name());
        assertEquals(uri, run.data().tags().get(Archives.IMPORTED_FROM));
    }

    @Test
    void exportThenImportRunIntoAnotherTracker() throws IOException {
        String runId;
        try (ActiveRun run = tracker.startRun("runs")) {
            run.logParam("lr", 0.1).logMetric("loss", 0.5, 0).logMetric("loss", 0.25, 1).logText("hello", "notes/a.txt");
            runId = run.id();
        }
        Path archive = dir.resolve("run.tar.gz");
        tracker.exportRun(runId, archive);

        Tracker other = track(Tracker.builder().uri("memory:").shutdownHook(false).build());
        Run imported = other.importRun(archive);
        assertNotEquals(runId, imported.info().id());
        assertEquals(Map.of("lr", "0.1"), imported.data().params());
        assertEquals(List.of(0.5, 0.25), other.metricHistory(imported.info().id(), "loss").stream()
                .map(m -> m.value()).toList());
        try (InputStream in = other.openArtifact(imported.info().id(), "notes/a.txt")) {
            assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    // ---- assertions -----------------------------------------------------------------------------

    private enum Importer {
        MODEL {
            @Override
            Object apply(Tracker t, Path archive) {
                return t.importModel(archive);
            }
        },
        RUN {
            @Override
            Object apply(Tracker t, Path archive) {
                return t.importRun(archive);
            }
        };

        abstract Object apply(Tracker t, Path archive);
    }

    private IntegrityException assertRefusedByBoth(Path archive, String... fragments) {
        IntegrityException last = null;
        for (Importer importer : Importer.values()) {
            last = assertRefused(tracker, importer, archive, fragments);
        }
        return last;
    }

    /**
     * The import throws an IntegrityException whose message holds every fragment, the tracker has
     * no experiment (so no run) afterwards, and no new runlog-import-* directory is left behind.
     */
    private static IntegrityException assertRefused(Tracker t, Importer importer, Path archive, String... fragments) {
        List<String> experimentsBefore = t.listExperiments(ViewType.ALL).stream().map(x -> x.name()).toList();
        assertEquals(List.of(), experimentsBefore, "a test starts from an empty tracker");
        Set<String> before = importDirs();
        IntegrityException e = assertThrows(IntegrityException.class, () -> importer.apply(t, archive),
                importer + " of " + archive.getFileName());
        Set<String> left = difference(importDirs(), before);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), importer + ": message lacks '" + fragment + "': " + e.getMessage());
        }
        assertEquals(List.of(), t.listExperiments(ViewType.ALL), importer + " created an experiment: " + e.getMessage());
        assertEquals(Set.of(), left, importer + " left temporary directories behind");
        return e;
    }

    /** The runlog-import-* entries of java.io.tmpdir that this JVM made. */
    private static Set<String> importDirs() {
        Set<String> names = new TreeSet<>();
        // This JVM's only: another process importing meanwhile (a second build, a user) is not this test's leftover.
        String own = Archives.IMPORT_PREFIX + dev.runlog.tracking.spi.ProcessOwner.current().nameTag() + "-*";
        try (DirectoryStream<Path> children = Files.newDirectoryStream(TMP, own)) {
            children.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new AssertionError("cannot list " + TMP, e);
        }
        return names;
    }

    private static Set<String> difference(Set<String> after, Set<String> before) {
        Set<String> diff = new TreeSet<>(after);
        diff.removeAll(before);
        return diff;
    }

    // ---- building archives ----------------------------------------------------------------------

    @FunctionalInterface
    private interface EntryWriter {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /** A model manifest, so a refusal is never just "no manifest". */
    private static EntryWriter model() {
        return file(Archives.MANIFEST, MODEL_MANIFEST);
    }

    private static EntryWriter file(String name, String content) {
        return bytes(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A regular file entry with the name exactly as given (no normalization of '/' or '..'). */
    private static EntryWriter bytes(String name, byte[] content) {
        return tar -> {
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        };
    }

    private static EntryWriter link(String name, String target, byte type) {
        return tar -> {
            TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
            entry.setLinkName(target);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        };
    }

    private Path tarGz(String fileName, EntryWriter... writers) throws IOException {
        Path archive = dir.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (EntryWriter writer : writers) {
                writer.write(tar);
            }
            tar.finish();
        }
        return archive;
    }

    /** A run with a param, a metric and a text artifact, logged in a throw-away tracker and exported. */
    private Path exportedRun() {
        Path archive = dir.resolve("run-" + Long.toHexString(new Random().nextLong()) + ".tar.gz");
        try (Tracker source = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            String runId;
            try (ActiveRun run = source.startRun("exported")) {
                run.logParam("lr", 0.1).logMetric("loss", 0.5, 0).logText("hello", "notes/a.txt");
                runId = run.id();
            }
            source.exportRun(runId, archive);
        }
        return archive;
    }

    /** {@code original} with one more entry, {@code name} holding {@code content}, written as {@code fileName}. */
    private Path withEntry(Path original, String fileName, String name, String content) throws IOException {
        return rewrite(original, fileName, entries -> {
            entries.put(name, content.getBytes(StandardCharsets.UTF_8));
            return entries;
        });
    }

    /** A run holding {@code model} at {@code model}, logged in a throw-away tracker and exported. */
    private Path exportedRunWithModel(TinyModel model) {
        Path archive = dir.resolve("run-model-" + Long.toHexString(new Random().nextLong()) + ".tar.gz");
        try (Tracker source = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            String runId;
            try (ActiveRun run = source.startRun("exported")) {
                run.logModel("model", model);
                runId = run.id();
            }
            source.exportRun(runId, archive);
        }
        return archive;
    }

    /** Logs {@code model} in a throw-away tracker and exports it. */
    private Path exportedModel(TinyModel model) {
        Path archive = dir.resolve("exported-" + Long.toHexString(new Random().nextLong()) + ".tar.gz");
        try (Tracker source = Tracker.builder().uri("memory:").shutdownHook(false).build()) {
            String uri;
            try (ActiveRun run = source.startRun("exported")) {
                uri = run.logModel("model", model).uri();
            }
            source.exportModel(uri, archive);
        }
        return archive;
    }

    /** Rewrites an archive with its entries changed by {@code change}. */
    private Path rewrite(Path original, String fileName, UnaryOperator<Map<String, byte[]>> change) throws IOException {
        Map<String, byte[]> entries = change.apply(TarGzEntries.read(original));
        return tarGz(fileName, tar -> {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                bytes(e.getKey(), e.getValue()).write(tar);
            }
        });
    }
}
