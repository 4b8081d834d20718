package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An export stopped by the JVM's shutdown (Ctrl-C, System.exit) leaves no temporary file beside its target. */
class InterruptedExportTest {
    @TempDir
    Path dir;

    @Test
    void anExportStoppedByShutdownLeavesNoTemporaryFile() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                InterruptedExportChild.class.getName(), dir.toString()).redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(130, child.exitValue(), output);
        assertTrue(output.contains("MIDWAY"), output);
        List<String> left;
        try (Stream<Path> files = Files.list(dir)) {
            left = files.map(p -> p.getFileName().toString()).toList();
        }
        assertEquals(List.of(), left, "neither an archive nor its temporary file: " + output);
    }
}
