package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code target/runlog.jar} as users run it: a JVM of its own, with nothing but the jar. It runs
 * after {@code package} (the integration-test phase), when the jar exists.
 */
@Tag("packaged-jar")
class PackagedJarIT {
    @TempDir
    Path dir;

    record Exit(int code, String out, String err) {
    }

    private Exit run(List<String> command) throws Exception {
        return run(command, dir.resolve("no-cache"));
    }

    private Exit run(List<String> command, Path cacheHome) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("RUNLOG_TRACKING_URI");
        builder.environment().remove("RUNLOG_JAVA_OPTS");
        builder.environment().remove("RUNLOG_CDS");
        builder.environment().put("XDG_CACHE_HOME", cacheHome.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "runlog did not end: " + command);
        return new Exit(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Exit jar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jarFile().toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Path jarFile() {
        Path jar = Path.of(System.getProperty("runlog.jar", "target/runlog.jar"));
        assertTrue(Files.isRegularFile(jar), "no " + jar + "; mvn package builds it");
        return jar;
    }

    @Test
    void theJarReadsASqliteStoreWrittenByAnotherProcess() throws Exception {
        String store = "sqlite:" + dir.resolve("runs.db");
        String runA;
        try (CliHarness h = new CliHarness(store).withFixture()) {
            runA = h.runA;
        }
        Exit csv = jar("--store", store, "runs", "--format", "csv", "--columns", "run_name,params.lr,metrics.acc",
                "--order-by", "metrics.acc DESC");
        assertEquals(new Exit(0, "run_name,params.lr,metrics.acc\nlr-0.1,0.1,0.91\nlr-0.01,0.01,0.85\n", ""), csv);

        Exit models = jar("--store", store, "models", "--format", "json");
        assertEquals(0, models.code(), models::toString);
        assertTrue(models.out().contains("\"name\":\"iris-classifier\",\"description\":\"\",\"versions\":2"), models.out());

        Exit rejected = jar("--store", store, "promote", "iris-classifier", "2", "Production", "--gate", "metrics.acc >= 0.9");
        assertEquals(1, rejected.code(), rejected::toString);
        assertTrue(rejected.err().contains("failed: metrics.acc >= 0.9: actual 0.85, required >= 0.9"), rejected.err());

        Exit missing = jar("--store", store, "run", "0123456789abcdef0123456789abcdef");
        assertEquals(1, missing.code());
        assertEquals(1, missing.err().lines().count(), missing.err());

        Exit usage = jar("runs", "--bogus");
        assertEquals(2, usage.code());

        Exit diff = jar("--store", store, "diff", runA, runA, "--changed");
        assertEquals(new Exit(0, "no differences between lr-0.1 and lr-0.1\n", ""), diff);
    }

    @Test
    void metricPrintsASeriesMuchLargerThanItsRowsWouldTakeAsObjects() throws Exception {
        String store = "sqlite:" + dir.resolve("long.db");
        int points = 300_000;
        String runId;
        try (Tracker tracker = Tracker.open(store); ActiveRun run = tracker.startRun("long")) {
            // Logged last step first: the read sorts the series, which once took a Metric object a point.
            for (int i = points - 1; i >= 0; i--) {
                run.logMetric("loss", i == 7 ? Double.NaN : 1.0 / (i + 1), i);
            }
            runId = run.id();
        }
        // The series takes 7 MB here; a row or a map per point, as the table and JSON once were
        // built, takes ten times that and ran this heap out.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String format : List.of("table", "json")) {
            Exit exit = run(List.of(java, "-Xmx32m", "-jar", jarFile().toString(), "--store", store, "metric", runId, "loss",
                    "--format", format));
            assertEquals(0, exit.code(), () -> format + ": " + exit.err());
            if (format.equals("table")) {
                assertEquals(points + 1, exit.out().lines().count());
                assertEquals("     7  ", exit.out().lines().skip(8).findFirst().orElseThrow().substring(0, 8));
                assertTrue(exit.out().lines().skip(8).findFirst().orElseThrow().endsWith("  NaN"));
                String last = exit.out().lines().reduce((a, b) -> b).orElseThrow();
                assertTrue(last.startsWith("299999  ") && last.endsWith("  0.00000333333"), last);
            } else {
                assertTrue(exit.out().startsWith("{\"run_id\":\"" + runId + "\",\"key\":\"loss\",\"points\":[{\"step\":0,"), exit.out().substring(0, 200));
                assertTrue(exit.out().contains("{\"step\":7,\"timestamp\":"), "NaN point");
                assertTrue(exit.out().contains(",\"value\":\"NaN\"}"), "NaN as a string");
                assertTrue(exit.out().endsWith(",\"value\":3.3333333333333333E-6}]}\n"), exit.out().substring(exit.out().length() - 100));
            }
        }
    }

    @Test
    void whatTheLibraryLogsReachesStderrOnlyWithVerbose() throws Exception {
        String store = "sqlite:" + dir.resolve("runs.db");
        // gc compacts the store once it has purged a run, and the SQLite store logs that at INFO.
        deletedRun(store);
        Exit quiet = jar("--store", store, "gc", "--older-than", "0");
        assertEquals(0, quiet.code(), quiet::toString);
        assertTrue(quiet.out().startsWith("purged 1 run and"), quiet.out());
        assertEquals("", quiet.err());

        deletedRun(store);
        Exit verbose = jar("--store", store, "gc", "--older-than", "0", "--verbose");
        assertEquals(0, verbose.code(), verbose::toString);
        assertTrue(verbose.err().contains("INFO: Compacted "), verbose.err());
    }

    @Test
    void aFirstRunEndedWithCtrlCStillKeepsItsArchive() throws Exception {
        // setsid gives the launcher a process group of its own, which Ctrl-C signals as a terminal would.
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "no setsid");
        emptyStore(dir.resolve("empty.db"));
        Path cache = dir.resolve("cache");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/setsid", "sh", "src/main/dist/runlog", "--store",
                "sqlite:" + dir.resolve("empty.db"), "ui", "--port", "0").redirectErrorStream(true);
        builder.environment().remove("RUNLOG_JAVA_OPTS");
        builder.environment().remove("RUNLOG_CDS");
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process launcher = builder.start();
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(launcher.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.contains("Ctrl-C stops it"));
            assertTrue(line != null, "the ui never said it was serving");
            assertEquals(0, new ProcessBuilder("kill", "-INT", "--", "-" + launcher.pid()).start().waitFor());
            out.transferTo(java.io.Writer.nullWriter());
        } finally {
            if (!launcher.waitFor(2, TimeUnit.MINUTES)) {
                launcher.destroyForcibly();
            }
        }
        assertEquals(130, launcher.exitValue(), "the JVM's exit code, as a shell reports an interrupted command");
        try (var files = Files.list(cache.resolve("runlog/cds"))) {
            List<String> names = files.map(file -> file.getFileName().toString()).toList();
            assertEquals(1, names.size(), names::toString);
            assertTrue(names.get(0).endsWith(".jsa"), names::toString);
        }
    }

    private static void emptyStore(Path file) {
        dev.runlog.tracking.Tracker.builder().uri("sqlite:" + file).shutdownHook(false).build().close();
    }

    private static void deletedRun(String store) {
        try (dev.runlog.tracking.Tracker tracker = dev.runlog.tracking.Tracker.builder().uri(store).shutdownHook(false).build()) {
            String id;
            try (dev.runlog.tracking.ActiveRun run = tracker.startRun("scratch")) {
                id = run.id();
            }
            tracker.deleteRun(id);
        }
    }

    @Test
    void theJarCarriesTheMlflowImport() throws Exception {
        Path mlruns = ImportMlflowCommandTest.mlruns(dir);
        Exit imported = jar("--store", "sqlite:" + dir.resolve("runs.db"), "import-mlflow", "--from", mlruns.toString());
        assertEquals(0, imported.code(), imported::toString);
        assertTrue(imported.out().startsWith("imported " + mlruns + " into sqlite:" + dir.resolve("runs.db")
                + ": 1 experiments, 2 runs, 2 metric points, 1 artifacts (9 bytes), 1 models, 1 versions\nskipped 1:\n"),
                imported.out());
    }

    @Test
    void theVersionComesFromTheManifestAndTheLauncherScriptFindsTheJar() throws Exception {
        Exit version = jar("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().matches("runlog \\d+\\.\\d+\\.\\d+.*\\n"), version.out());

        Path script = Path.of("src/main/dist/runlog");
        emptyStore(dir.resolve("empty.db"));
        Exit launched = run(List.of("sh", script.toString(), "--store", "sqlite:" + dir.resolve("empty.db"), "experiments"));
        assertEquals(0, launched.code(), launched::toString);
        assertTrue(launched.out().startsWith("no experiments in sqlite:"), launched.out());
    }

    @Test
    void theLauncherKeepsAClassArchiveInAnOwnerOnlyCacheAndPrintsTheSameWithIt() throws Exception {
        Path script = Path.of("src/main/dist/runlog");
        Path cache = dir.resolve("cache");
        emptyStore(dir.resolve("empty.db"));
        List<String> command = List.of("sh", script.toString(), "--store", "sqlite:" + dir.resolve("empty.db"), "experiments");
        Exit first = run(command, cache);
        Path cds = cache.resolve("runlog/cds");
        List<Path> archives;
        try (var files = Files.list(cds)) {
            archives = files.toList();
        }
        assertEquals(1, archives.size(), archives::toString);
        assertTrue(archives.get(0).getFileName().toString().endsWith(".jsa"), archives::toString);
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cds)));
        Exit second = run(command, cache);
        assertEquals(first, second);
        assertEquals(0, second.code(), second::toString);
        assertEquals("", second.err());

        // A cache others may write to is not trusted: the command runs, and no archive is read or written there.
        Path open = dir.resolve("open-cache");
        Files.createDirectories(open.resolve("runlog/cds"));
        Files.setPosixFilePermissions(open.resolve("runlog"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(first, run(command, open));
        try (var files = Files.list(open.resolve("runlog/cds"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void theArchiveOfAFirstRunOfVersionHoldsWhatAStoreCommandLoads() throws Exception {
        // Java 17 archives what its first run loaded and cannot add to it; --version loads no store.
        Path script = Path.of("src/main/dist/runlog");
        Path cache = dir.resolve("cache");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path log = dir.resolve("classes.log");
        emptyStore(dir.resolve("empty.db"));
        Exit version = run(List.of("env", "JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=" + tmp, "sh", script.toString(), "--version"), cache);
        assertEquals(0, version.code(), version::toString);
        assertTrue(version.out().startsWith("runlog "), version.out());
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "the tour's scratch store is deleted");
        }

        Exit experiments = run(List.of("env", "JAVA_TOOL_OPTIONS=-Xlog:class+load:file=" + log, "sh", script.toString(),
                "--store", "sqlite:" + dir.resolve("empty.db"), "experiments"), cache);
        assertEquals(0, experiments.code(), experiments::toString);
        List<String> store = Files.readAllLines(log).stream()
                .filter(line -> line.contains(" dev.runlog.storage.sqlite.internal.SqliteTrackingStore ")).toList();
        assertEquals(1, store.size(), store::toString);
        assertTrue(store.get(0).endsWith("source: shared objects file (top)"), store::toString);
    }

    @Test
    void aFirstRunStoppedDuringItsTourLeavesNoScratchStore() throws Exception {
        // A timeout's TERM or a Ctrl-C ends the JVM without reaching the tour's finally.
        Path tmp = Files.createDirectories(dir.resolve("tmp-stopped"));
        ProcessBuilder builder = new ProcessBuilder("sh", Path.of("src/main/dist/runlog").toString(), "--version")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("RUNLOG_JAVA_OPTS");
        builder.environment().remove("RUNLOG_CDS");
        builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache-stopped").toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
        Process launcher = builder.start();
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(launcher.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            assertTrue(out.readLine().startsWith("runlog "), "the command's own output comes first");
            Thread.sleep(300); // into the tour, which takes a second or more
            // The JVM, not the shell: as a terminal's Ctrl-C or a timeout reaches it.
            launcher.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).forEach(ProcessHandle::destroy);
            assertTrue(launcher.waitFor(2, TimeUnit.MINUTES));
        }
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("runlog-archive-tour")).toList());
        }
    }
}
