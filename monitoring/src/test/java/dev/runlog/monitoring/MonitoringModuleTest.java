package dev.runlog.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Dataset;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
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
