package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;

/**
 * A new JVM opening a SQLite store does not pay for the driver extracting its native library again:
 * the library is kept once per user under {@code $XDG_CACHE_HOME/runlog} (owner-only directories),
 * checked against the driver's jar at each start (a changed copy is replaced), and handed to the
 * driver without leaving a system property behind; a library the user chose by the driver's own
 * property is used instead, and a cache directory others could write is not used at all. The store
 * works in every case. Linux only: the child reports the library the kernel mapped.
 */
class NativeLibraryTest {
    @TempDir
    Path tmp;
    private byte[] driverLibrary;
    private Path kept;

    @BeforeEach
    void driverLibrary() throws Exception {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux") && Files.exists(Path.of("/proc/self/maps"))
                && (arch.equals("amd64") || arch.equals("aarch64")), "glibc Linux on x86_64 or aarch64 only");
        String folder = "Linux/" + (arch.equals("amd64") ? "x86_64" : arch);
        String name = System.mapLibraryName("sqlitejdbc");
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream("/org/sqlite/native/" + folder + "/" + name)) {
            Assumptions.assumeTrue(in != null, "the driver has no library for " + folder);
            driverLibrary = in.readAllBytes();
        }
        kept = tmp.resolve("cache/runlog/native/sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "/" + folder + "/" + name);
    }

    @Test
    void keptOncePerUserOwnerOnlyCheckedAndReplacedWhenChanged() throws Exception {
        assertEquals(List.of("EXPERIMENTS 1", "LIBRARY " + kept, "PROPERTY null", "TMPDIR null"), launch("a.db", List.of()));
        assertArrayEquals(driverLibrary, Files.readAllBytes(kept));
        for (Path dir = kept.getParent(); !dir.equals(tmp.resolve("cache")); dir = dir.getParent()) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir.toString());
        }

        byte[] damaged = driverLibrary.clone();
        damaged[damaged.length / 2] ^= 1; // same length: only the content check can see it
        Files.write(kept, damaged);
        assertEquals(List.of("EXPERIMENTS 1", "LIBRARY " + kept, "PROPERTY null", "TMPDIR null"), launch("b.db", List.of()));
        assertArrayEquals(driverLibrary, Files.readAllBytes(kept), "a changed copy was not replaced");
    }

    @Test
    void aLibraryTheUserChoseIsUsedAndTheirPropertyKept() throws Exception {
        Path own = Files.createDirectories(tmp.resolve("own"));
        Files.write(own.resolve("libsqlitejdbc-mine.so"), driverLibrary);
        List<String> printed = launch("c.db", List.of("-Dorg.sqlite.lib.path=" + own, "-Dorg.sqlite.lib.name=libsqlitejdbc-mine.so"));
        assertEquals(List.of("EXPERIMENTS 1", "LIBRARY " + own.resolve("libsqlitejdbc-mine.so"), "PROPERTY " + own, "TMPDIR null"), printed);
        assertFalse(Files.exists(tmp.resolve("cache/runlog")), "the cache was written though the user chose a library");
    }

    @Test
    void aCacheDirectoryOthersCouldWriteIsNotUsed() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("cache/runlog"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> printed = launch("d.db", List.of());
        assertEquals("EXPERIMENTS 1", printed.get(0));
        assertTrue(printed.get(1).startsWith("LIBRARY " + tmp.resolve("java-tmp")), "not the driver's own extraction: " + printed);
        assertFalse(Files.exists(shared.resolve("native")), "a directory others can write was used");
    }

    /** Runs the child with this test's cache and temporary directories; returns what it printed. */
    private List<String> launch(String db, List<String> jvmOptions) throws Exception {
        Files.createDirectories(tmp.resolve("java-tmp"));
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Djava.io.tmpdir=" + tmp.resolve("java-tmp"));
        Process child = ChildJvm.start(System.getProperty("java.class.path"), null,
                Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString()), options, NativeLibraryChild.class,
                tmp.resolve(db).toString());
        ChildJvm.Lines out = new ChildJvm.Lines("native child stdout", child.getInputStream());
        ChildJvm.Lines err = new ChildJvm.Lines("native child stderr", child.getErrorStream());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit");
        Duration drain = Duration.ofSeconds(10);
        List<String> printed = out.awaitEnd(drain);
        assertEquals(0, child.exitValue(), "stdout:\n" + printed + "\nstderr:\n" + String.join("\n", err.awaitEnd(drain)));
        return printed;
    }
}
