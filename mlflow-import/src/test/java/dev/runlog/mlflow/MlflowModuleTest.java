package dev.runlog.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module exports its API package alone, to everyone. (storage-sqlite's ModulePathTest checks the
 * other modules so; it cannot see this one, whose tests use storage-sqlite: the build would be a cycle.)
 */
class MlflowModuleTest {
    @Test
    void theModuleExportsOnlyItsApi() throws Exception {
        Path classes = Path.of(MlflowImport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor = ModuleFinder.of(classes).find("dev.runlog.mlflow").orElseThrow().descriptor();
        assertEquals(Set.of("dev.runlog.mlflow"), descriptor.exports().stream()
                .filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(1, descriptor.exports().size(), "no qualified exports");
    }
}
