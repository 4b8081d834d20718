package dev.runlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An example run from a jar copies its data set out, and {@link MonitoredServing} writes its
 * training rows, into {@code java.io.tmpdir}: a JVM that ran one leaves neither file nor directory.
 */
class ScratchFilesTest {
    @TempDir
    Path dir;

    @Test
    void anExampleRunFromAJarLeavesNothingInTheTemporaryDirectory() throws IOException, InterruptedException {
        // The data set from a jar first on the class path, as when the examples run from their jar.
        Path datasets = dir.resolve("datasets.jar");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(datasets));
             InputStream csv = ExampleData.class.getResourceAsStream("/datasets/breast_cancer.csv")) {
            jar.putNextEntry(new JarEntry("datasets/breast_cancer.csv"));
            csv.transferTo(jar);
            jar.closeEntry();
        }
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Djava.io.tmpdir=" + tmp,
                "-cp", datasets + File.pathSeparator + System.getProperty("java.class.path"),
                MonitoredServing.class.getName(), "memory:")
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the example did not finish");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("version 2 promoted to Production"), output);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "left in java.io.tmpdir");
        }
    }
}
