package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runlog's jars as modules, the way a modular application uses them: a small application module,
 * compiled here, runs in a JVM of its own with Runlog and its dependencies on the module path and
 * nothing on the class path. It names only {@code dev.runlog.registry} as its root, so the stores
 * come in by service binding ({@code uses}/{@code provides}), not by being listed.
 */
class ModulePathTest {
    private static final String APP_MODULE = "runlog.modulecheck";

    private static final String MODULE_INFO = """
            module runlog.modulecheck {
                requires dev.runlog.registry;
                // The json flavor reads and writes the model through Jackson.
                opens app to com.fasterxml.jackson.databind;
            }
            """;

    private static final String MAIN = """
            package app;

            import dev.runlog.registry.ModelRegistry;
            import dev.runlog.tracking.ActiveRun;
            import dev.runlog.tracking.Dataset;
            import dev.runlog.tracking.LoggedModel;
            import dev.runlog.tracking.Run;
            import dev.runlog.tracking.Tracker;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.Arrays;

            public final class Main {
                public record Weights(double bias, double[] w) {
                }

                public static void main(String[] args) throws Exception {
                    Path dir = Path.of(args[0]);
                    System.out.println("app module " + Main.class.getModule().getName()
                            + ", tracker in " + Tracker.class.getModule().getName()
                            + ", sqlite module resolved " + ModuleLayer.boot().findModule("dev.runlog.storage.sqlite").isPresent()
                            + ", internal exported " + Tracker.class.getModule().isExported("dev.runlog.tracking.internal"));
                    Path csv = Files.writeString(dir.resolve("mini.csv"), "x,label\\n1.5,a\\n2.5,b\\n");
                    Path files = Files.createDirectories(dir.resolve("files-model"));
                    Files.writeString(files.resolve("weights.bin"), "0110");
                    for (String uri : new String[] {"memory:", "sqlite:" + dir.resolve("runs.db")}) {
                        try (Tracker tracker = Tracker.open(uri)) {
                            LoggedModel json;
                            LoggedModel copied;
                            String runId;
                            try (ActiveRun run = tracker.startRun("modules")) {
                                run.logParam("lr", 0.1).logInput(Dataset.fromCsv(csv, "mini"), "training");
                                json = run.logModel("json", new Weights(0.5, new double[] {1, 2}));
                                copied = run.logModel("files", files);
                                runId = run.id();
                            }
                            Run run = tracker.getRun(runId);
                            ModelRegistry registry = ModelRegistry.of(tracker);
                            int jsonVersion = registry.register("modules-json", json.uri()).version();
                            int filesVersion = registry.register("modules-files", copied.uri()).version();
                            Weights weights = registry.load("models:/modules-json/" + jsonVersion, Weights.class);
                            Path loaded = registry.load("models:/modules-files/" + filesVersion, Path.class);
                            System.out.println(uri.substring(0, uri.indexOf(':')) + ": run " + run.info().status()
                                    + ", param lr " + run.data().params().get("lr")
                                    + ", dataset " + run.inputs().get(0).dataset().name()
                                    + " " + run.inputs().get(0).dataset().schema().size() + " columns"
                                    + ", json v" + jsonVersion + " " + weights.bias() + " " + Arrays.toString(weights.w())
                                    + ", files v" + filesVersion + " " + Files.readString(loaded.resolve("weights.bin")));
                        }
                    }
                }
            }
            """;

    @TempDir
    Path temp;

    @Test
    void theStoresFlavorsAndRegistryWorkFromTheModulePath() throws Exception {
        List<Path> modulePath = runlogAndItsDependencies();
        Path app = compileApplication(modulePath);
        List<Path> withApp = new ArrayList<>(modulePath);
        withApp.add(app);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path work = Files.createDirectories(temp.resolve("work"));
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx256m",
                "--module-path", join(withApp), "--module", APP_MODULE + "/app.Main", work.toString())
                .redirectErrorStream(true);
        builder.environment().remove("RUNLOG_TRACKING_URI");
        Process child = builder.start();
        List<String> output = new ChildJvm.Lines("module path JVM", child.getInputStream())
                .awaitEnd(Duration.ofMinutes(2));

        assertEquals(0, child.waitFor(), () -> "the module path JVM failed:\n" + String.join("\n", output));
        assertEquals(List.of(
                "app module runlog.modulecheck, tracker in dev.runlog.tracking, sqlite module resolved true,"
                        + " internal exported false",
                "memory: run FINISHED, param lr 0.1, dataset mini 2 columns, json v1 0.5 [1.0, 2.0], files v1 0110",
                "sqlite: run FINISHED, param lr 0.1, dataset mini 2 columns, json v1 0.5 [1.0, 2.0], files v1 0110"),
                // With storage-postgres on the module path, HikariCP brings slf4j-api, which sqlite-jdbc then logs
                // through; with no SLF4J provider installed, SLF4J says so on stderr (merged here). Not our output.
                output.stream().filter(line -> !line.startsWith("SLF4J(")).toList());
    }

    @Test
    void anApplicationRequiringTheXGBoostModuleTrainsFromTheModulePath() throws Exception {
        // XGBoost4J is an automatic module: it cannot require the commons-logging its native loader
        // uses, so dev.runlog.xgboost does; without it the first DMatrix failed with NoClassDefFoundError.
        List<Path> modulePath = runlogAndItsDependencies();
        Path app = compileApplication(modulePath, "runlog.xgboostcheck", """
                module runlog.xgboostcheck {
                    requires dev.runlog.xgboost;
                }
                """, """
                package app;

                import dev.runlog.tracking.Tracker;
                import dev.runlog.xgboost.XGBoostTracking;
                import java.util.Map;
                import ml.dmlc.xgboost4j.java.DMatrix;

                public final class Main {
                    public static void main(String[] args) throws Exception {
                        float[] features = new float[40];
                        float[] labels = new float[20];
                        for (int i = 0; i < 20; i++) {
                            features[2 * i] = i;
                            features[2 * i + 1] = 20 - i;
                            labels[i] = i < 10 ? 0 : 1;
                        }
                        DMatrix data = new DMatrix(features, 20, 2, Float.NaN);
                        data.setLabel(labels);
                        try (Tracker tracker = Tracker.inMemory()) {
                            String runId = tracker.run("xgb", run -> XGBoostTracking.train(run, data,
                                    Map.of("objective", "binary:logistic", "nthread", 1), 3, Map.of("train", data)))
                                    .info().id();
                            System.out.println("rounds " + tracker.metricHistory(runId, "train-logloss").size());
                        }
                    }
                }
                """);
        List<Path> withApp = new ArrayList<>(modulePath);
        withApp.add(app);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "--module-path", join(withApp),
                "--module", "runlog.xgboostcheck/app.Main").redirectErrorStream(true).start();
        List<String> output = new ChildJvm.Lines("module path JVM", child.getInputStream()).awaitEnd(Duration.ofMinutes(2));
        assertEquals(0, child.waitFor(), () -> "the module path JVM failed:\n" + String.join("\n", output));
        assertTrue(output.contains("rounds 3"), () -> String.join("\n", output));
    }

    @Test
    void runlogModulesExportOnlyTheirApiAndSpiToEveryone() throws Exception {
        ModuleFinder finder = ModuleFinder.of(runlogAndItsDependencies().toArray(Path[]::new));
        Map<String, Set<String>> published = Map.of(
                "dev.runlog.tracking", Set.of("dev.runlog.tracking", "dev.runlog.tracking.spi"),
                "dev.runlog.registry", Set.of("dev.runlog.registry", "dev.runlog.registry.spi"),
                "dev.runlog.storage.sqlite", Set.of(),
                "dev.runlog.storage.postgres", Set.of(),
                "dev.runlog.tck", Set.of("dev.runlog.tracking.tck", "dev.runlog.tracking.tck.other"),
                "dev.runlog.xgboost", Set.of("dev.runlog.xgboost"),
                "dev.runlog.tribuo", Set.of("dev.runlog.tribuo"));
        for (Map.Entry<String, Set<String>> module : published.entrySet()) {
            ModuleDescriptor descriptor = finder.find(module.getKey()).orElseThrow(
                    () -> new AssertionError("no module " + module.getKey() + " on the test class path")).descriptor();
            assertFalse(descriptor.isAutomatic(), descriptor.name() + " has no module-info");
            // No qualified exports either: Runlog's own modules use each other's API and SPI only.
            assertEquals(module.getValue(), descriptor.exports().stream()
                    .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()), descriptor.name());
        }
    }

    /** Every entry of the test class path but this module's tests: Runlog's modules and their dependencies. */
    private static List<Path> runlogAndItsDependencies() throws URISyntaxException {
        Path tests = Path.of(ModulePathTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .filter(entry -> !entry.toAbsolutePath().equals(tests.toAbsolutePath()))
                .toList();
    }

    private Path compileApplication(List<Path> modulePath) throws Exception {
        return compileApplication(modulePath, APP_MODULE, MODULE_INFO, MAIN);
    }

    private Path compileApplication(List<Path> modulePath, String module, String moduleInfo, String main) throws Exception {
        Path sources = temp.resolve("src-" + module);
        Files.createDirectories(sources.resolve("app"));
        Files.writeString(sources.resolve("module-info.java"), moduleInfo, StandardCharsets.UTF_8);
        Files.writeString(sources.resolve("app").resolve("Main.java"), main, StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(temp.resolve(module));
        // java.util.spi.ToolProvider lives in java.base, which every module reads; javax.tools would
        // need java.compiler read by this (patched) module.
        java.util.spi.ToolProvider javac = java.util.spi.ToolProvider.findFirst("javac")
                .orElseThrow(() -> new AssertionError("this JDK has no javac"));
        int status = javac.run(System.out, System.err, "--release", "17", "--module-path", join(modulePath),
                "-d", classes.toString(), sources.resolve("module-info.java").toString(),
                sources.resolve("app").resolve("Main.java").toString());
        assertEquals(0, status, "the application module did not compile; javac's messages are above");
        return classes;
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
