package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Dataset;
import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The monitoring jar is a named module exporting its API package alone, and its statistics
 * libraries stay its own: tracking-core does not require them. A module test of its own rather than
 * an entry in storage-sqlite's ModulePathTest, since a later slice of monitoring will test against
 * the SQLite store, and storage-sqlite's tests depending on monitoring would then be a cycle.
 */
class MonitoringModuleTest {
    @Test
    void theMonitoringModuleExportsOnlyItsApi() {
        ModuleDescriptor descriptor = ModuleFinder.of(Path.of("target", "classes")).find("dev.runlog.monitoring")
                .orElseThrow(() -> new AssertionError("no module dev.runlog.monitoring in target/classes")).descriptor();
        assertEquals(Set.of("dev.runlog.monitoring"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(descriptor.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), "no qualified exports");
        assertTrue(descriptor.opens().isEmpty());
    }

    /**
     * On the module path, the module resolves with its libraries (DataSketches' jar has no module
     * descriptor, so it is the automatic module named after its file, {@code datasketches.java}) and
     * sketches a column in a layer of its own.
     */
    @Test
    void theModuleResolvesAndRunsOnTheModulePath() throws Exception {
        Path[] classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).map(Path::of)
                .filter(entry -> !entry.toAbsolutePath().endsWith(Path.of("target", "test-classes")))
                .filter(entry -> !entry.getFileName().toString().startsWith("junit")
                        && !entry.getFileName().toString().startsWith("opentest4j")
                        && !entry.getFileName().toString().startsWith("apiguardian"))
                .toArray(Path[]::new);
        ModuleFinder finder = ModuleFinder.of(classPath);
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolve(finder, ModuleFinder.of(), Set.of("dev.runlog.monitoring"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
        Class<?> reference = layer.findLoader("dev.runlog.monitoring").loadClass("dev.runlog.monitoring.Reference");
        assertEquals("dev.runlog.monitoring", reference.getModule().getName());
        Object built = reference.getMethod("of", Map.class, Map.class)
                .invoke(null, Map.of("x", new Random(1).doubles(1_000).toArray()), Map.of());
        assertEquals(1_000L, reference.getMethod("count", String.class).invoke(built, "x"));
        assertTrue(configuration.findModule("datasketches.java").isPresent());
    }

    @Test
    void trackingCoreDoesNotRequireTheStatisticsLibraries() throws URISyntaxException {
        Path core = Path.of(Dataset.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor = ModuleFinder.of(core).find("dev.runlog.tracking")
                .orElseThrow(() -> new AssertionError("no module dev.runlog.tracking at " + core)).descriptor();
        Set<String> required = descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());
        assertTrue(required.stream().noneMatch(name -> name.contains("datasketches") || name.contains("commons.statistics")),
                "tracking-core requires " + required);
    }
}
