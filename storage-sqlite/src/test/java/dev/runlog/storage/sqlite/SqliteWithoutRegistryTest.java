package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.Tracker;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * storage-sqlite depends on the registry plainly, since its registry store is compiled against the
 * registry's SPI; a user who excludes the registry still has a working {@code sqlite:} tracker,
 * because nothing on the tracking path loads a registry class. A JVM without the registry on its
 * class path logs a run, searches and reads it back.
 */
class SqliteWithoutRegistryTest {

    @Test
    void aSqliteTrackerWorksWithTheRegistryAbsentFromTheClassPath(@TempDir Path dir) throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !isRegistry(Path.of(entry)))
                .collect(Collectors.joining(File.pathSeparator));
        Path db = dir.resolve("runs.db");
        Process child = ChildJvm.start(classPath, null, SqliteWithoutRegistryChild.class, db.toString());
        ChildJvm.Lines out = new ChildJvm.Lines("out", child.getInputStream());
        ChildJvm.Lines err = new ChildJvm.Lines("err", child.getErrorStream());
        // Bounds, not synchronisation: the child exits on its own in about a second.
        List<String> lines = out.awaitEnd(Duration.ofMinutes(2));
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the child JVM did not exit");
        assertEquals(0, child.exitValue(), "child failed: " + lines + " " + err.awaitEnd(Duration.ofMinutes(1)));
        assertEquals("NO REGISTRY", lines.get(0));
        String[] run = lines.get(1).split(" ");
        assertEquals(List.of("RUN", "FINISHED", "0.5", "true"), List.of(run[0], run[2], run[3], run[4]), lines.get(1));

        try (Tracker tracker = Tracker.builder().uri("sqlite:" + db).shutdownHook(false).build()) {
            Run stored = tracker.getRun(run[1]);
            assertEquals(RunStatus.FINISHED, stored.info().status());
            assertEquals("0.1", stored.data().params().get("lr"));
        }
    }

    /** The registry module, as a reactor build's classes directory or as a jar. */
    private static boolean isRegistry(Path entry) {
        String name = entry.getFileName() == null ? "" : entry.getFileName().toString();
        return name.startsWith("registry-") && name.endsWith(".jar")
                || entry.endsWith(Path.of("registry", "target", "classes"));
    }
}
