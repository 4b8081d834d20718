package dev.runlog.artifacts.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module exports its API package alone, to everyone, and provides the {@code s3} scheme. This
 * stands beside storage-sqlite's ModulePathTest, which cannot list this module: this module's tests
 * run on a SQLite store, so storage-sqlite cannot depend on it, even for tests.
 */
class S3ModuleTest {
    @Test
    void exportsOnlyItsApiAndProvidesTheArtifactStoreProvider() throws Exception {
        Path classes = Path.of(S3ArtifactStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor = ModuleFinder.of(classes).find("dev.runlog.artifacts.s3").orElseThrow().descriptor();
        assertFalse(descriptor.isAutomatic());
        assertEquals(Set.of("dev.runlog.artifacts.s3"), descriptor.exports().stream()
                .filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(0, descriptor.exports().stream().filter(ModuleDescriptor.Exports::isQualified).count());
        assertEquals(Set.of("dev.runlog.tracking.spi.ArtifactStoreProvider with [dev.runlog.artifacts.s3.internal.S3ArtifactStoreProvider]"),
                descriptor.provides().stream().map(p -> p.service() + " with " + p.providers()).collect(Collectors.toSet()));
        // The AWS SDK's automatic modules log through SLF4J and cannot require it themselves; a
        // modular application requiring only Runlog's modules got NoClassDefFoundError without this.
        assertTrue(descriptor.requires().stream().anyMatch(r -> r.name().equals("org.slf4j")), descriptor.requires().toString());
    }
}
