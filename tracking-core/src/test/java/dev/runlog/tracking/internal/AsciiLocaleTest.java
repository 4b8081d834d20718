package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM without a UTF-8 locale (LANG=C, common in containers) cannot name a file "café.txt": the
 * directory store says so and how to mend it, instead of an unexpected InvalidPathException.
 */
class AsciiLocaleTest {
    @Test
    void aNameTheJvmCannotWriteIsRefusedNamingTheLocale(@TempDir Path dir) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                AsciiLocaleChild.class.getName(), dir.toString()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("LC_") || name.equals("LANG"));
        builder.environment().put("LC_ALL", "C");
        Process child = builder.start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, child.exitValue(), String.join("\n", lines));
        assumeTrue(lines.contains("ENCODING ANSI_X3.4-1968"), "this JVM took LC_ALL=C's encoding: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("REFUSED InvalidInputException: artifact path 'caf")
                && l.endsWith("run it with a UTF-8 locale, such as LANG=C.UTF-8")), String.join("\n", lines));
    }
}
