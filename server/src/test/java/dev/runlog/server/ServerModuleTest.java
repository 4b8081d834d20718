package dev.runlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The server jar is a named module that exports its API package alone, to everyone. */
class ServerModuleTest {
    @Test
    void theServerModuleExportsOnlyItsApi() {
        ModuleDescriptor descriptor = ModuleFinder.of(Path.of("target", "classes")).find("dev.runlog.server")
                .orElseThrow(() -> new AssertionError("no module dev.runlog.server in target/classes")).descriptor();
        assertEquals(Set.of("dev.runlog.server"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(descriptor.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), "no qualified exports");
        assertTrue(descriptor.opens().isEmpty(), "nothing opened: the UI's files are read through the module's own classes");
    }
}
