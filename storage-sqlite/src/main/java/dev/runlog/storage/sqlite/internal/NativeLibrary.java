package dev.runlog.storage.sqlite.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.date.FastDateFormat;

/**
 * Spares each new JVM most of what the SQLite driver's first connection costs: on every start the
 * driver lists {@code java.io.tmpdir}, runs {@code uname}, seeds a {@code SecureRandom}, writes its
 * 1 MB native library to a new file there and compares it byte by byte with its jar (0.3-0.4 s of a
 * command's 1 s on a loaded 2-core machine). Instead the library is kept once per user in
 * {@code $XDG_CACHE_HOME/runlog/native/sqlite-jdbc-VERSION/OS/ARCH} ({@code ~/.cache} when the
 * variable is unset), whose {@code runlog} directories are created owner-only (mode 700) and must
 * be owned by this user with exactly that mode; the kept file is checked against the jar's copy
 * at every start (see {@link #matches}) and rewritten (atomically) when it differs.
 *
 * <p>The driver is handed the file through its documented {@code org.sqlite.lib.path} and
 * {@code org.sqlite.lib.name} system properties, and the kept file's directory as its
 * {@code org.sqlite.tmpdir}, which it reads only while it loads its library; so they are set just
 * around {@link SQLiteJDBCLoader#initialize()} and removed right after, and only if none is set
 * already: a user's own choice is never overridden, and the JVM's properties
 * are left as they were found. Whenever anything is unusual (properties set, a system this does not
 * know, a directory not owned by this user or open to others, an I/O error) this does nothing and
 * the driver loads its library as it always does; if the kept library fails to load, the driver
 * falls back to extracting its own.
 */
final class NativeLibrary {
    /** Looked up when used (rarely): a JVM's first System.getLogger starts java.util.logging, 20-50 ms every new process would pay. */
    private static System.Logger log() {
        return System.getLogger(NativeLibrary.class.getName());
    }
    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";
    static final String TMPDIR_PROPERTY = "org.sqlite.tmpdir";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static boolean prepared;
    private static Thread warmUpThread;
    private static final CountDownLatch DATE_FORMATS = new CountDownLatch(1);

    private NativeLibrary() {
    }

    /** Once per JVM, before the first connection; never throws. */
    static synchronized void load() {
        if (prepared) {
            return;
        }
        prepared = true;
        warmUp();
        try {
            Path kept = keep();
            if (kept == null) {
                return;
            }
            String dir = kept.getParent().toString();
            // The driver's first load deletes stale extracted copies from its temporary directory,
            // listing all of it (java.io.tmpdir by default, often thousands of entries); pointed at
            // the kept library's own directory it lists one file.
            withProperties(Map.of(PATH_PROPERTY, dir, NAME_PROPERTY, kept.getFileName().toString(), TMPDIR_PROPERTY, dir),
                    SQLiteJDBCLoader::initialize);
        } catch (Exception e) {
            log().log(System.Logger.Level.DEBUG, "Keeping the SQLite native library failed; the driver loads its own", e);
        } finally {
            awaitWarmUp();
        }
    }

    /**
     * Sets {@code properties} for the duration of {@code call} and removes them after it, only if
     * none of them is set already (a property the user set, even in a race with this, is never
     * replaced, and the call is not made); the JVM's properties are left as they were found.
     */
    private static void withProperties(Map<String, String> properties, Callable<?> call) throws Exception {
        Properties system = System.getProperties();
        Map<String, String> set = new HashMap<>();
        try {
            for (Map.Entry<String, String> property : properties.entrySet()) {
                if (system.putIfAbsent(property.getKey(), property.getValue()) != null) {
                    return;
                }
                set.put(property.getKey(), property.getValue());
            }
            call.call();
        } finally {
            set.forEach(system::remove);
        }
    }

    /**
     * Starts building, on a daemon thread, the date format every new connection of the driver
     * builds (its {@code FastDateFormat} reads the JDK's calendar and locale data: 50-90 ms of CPU
     * in a new JVM), so that it overlaps what opening a store does before its first connection;
     * {@link #load()} then waits for it, and the driver finds it in its format cache. Only JDK and
     * driver date classes are touched there, none that loading the library initializes, so the two
     * threads never wait on each other's classes. Once per JVM; never throws.
     */
    static synchronized void warmUp() {
        if (warmUpThread != null) {
            return;
        }
        warmUpThread = new Thread(() -> {
            try {
                FastDateFormat.getInstance(SQLiteConfig.DEFAULT_DATE_STRING_FORMAT);
            } catch (RuntimeException | LinkageError e) {
                log().log(System.Logger.Level.DEBUG, "Preparing the SQLite driver's date format failed; its first connection does it", e);
            } finally {
                DATE_FORMATS.countDown();
            }
        }, "runlog-sqlite-warm-up");
        warmUpThread.setDaemon(true);
        warmUpThread.start();
    }

    /**
     * Waits for {@link #warmUp()}'s date formats, at most a second: a first connection that began
     * while they were still being built would build its own beside them, not take them.
     */
    private static void awaitWarmUp() {
        try {
            DATE_FORMATS.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // kept for the caller; the connection is made all the same
        }
    }

    /** The verified kept copy of the driver's library for this system, written if needed; null if none can be used. */
    private static Path keep() throws IOException {
        if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null
                || System.getProperty(TMPDIR_PROPERTY) != null) {
            return null; // the user chose a library
        }
        String folder = folder();
        Path cache = cacheHome();
        if (folder == null || cache == null) {
            return null;
        }
        String name = System.mapLibraryName("sqlitejdbc");
        String resource = "/org/sqlite/native/" + folder + "/" + name;
        URL url = SQLiteJDBCLoader.class.getResource(resource);
        if (url == null) {
            return null;
        }
        if (!Files.isDirectory(cache)) {
            Files.createDirectories(cache, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Path dir = cache;
        for (String part : ("runlog/native/sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "/" + folder).split("/")) {
            dir = ownDirectory(dir.resolve(part));
            if (dir == null) {
                return null;
            }
        }
        Path kept = dir.resolve(name);
        if (!matches(kept, url)) {
            byte[] library;
            try (InputStream in = url.openStream()) {
                library = in.readAllBytes();
            }
            Path temporary = Files.createTempFile(dir, name, ".tmp");
            try {
                Files.write(temporary, library);
                Files.move(temporary, kept, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
        return kept;
    }

    /**
     * Whether {@code kept} is a regular file with the content of the driver's {@code library}. In a
     * jar (the usual case) the file's length and CRC-32 are compared with those the jar records for
     * the entry, which spares inflating a megabyte in a JVM that has compiled nothing yet (most of
     * the cost of a byte-by-byte comparison); anywhere else the bytes are compared. The directory
     * is this user's alone, so this guards against a truncated, damaged or other version's copy.
     *
     * <p>The file is read through one small buffer: reading it whole into a new megabyte array
     * took 14-18 ms in a new JVM here against 1.6 ms, the time going to faulting in the fresh pages.
     */
    private static boolean matches(Path kept, URL library) throws IOException {
        if (!Files.isRegularFile(kept, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        URLConnection connection = library.openConnection();
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            CRC32 crc = new CRC32();
            long length = 0;
            // Checked above not to be a link; the directory is this user's alone. FileInputStream
            // spares loading the channel classes Files.newInputStream needs (2-3 ms in a new JVM).
            try (InputStream in = new FileInputStream(kept.toFile())) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; length += n) {
                    crc.update(buffer, 0, n);
                }
            }
            return entry.getSize() == length && entry.getCrc() == crc.getValue();
        }
        try (InputStream in = connection.getInputStream()) {
            return Arrays.equals(in.readAllBytes(), Files.readAllBytes(kept));
        }
    }

    /** {@code $XDG_CACHE_HOME} if absolute, else {@code ~/.cache}; null without a home. */
    private static Path cacheHome() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        String home = System.getProperty("user.home");
        return home == null || home.isEmpty() || home.equals("?") ? null : Path.of(home, ".cache");
    }

    /**
     * The driver's folder for this system, for the glibc Linux and macOS builds on x86_64 and
     * aarch64 (what the driver itself would pick there, without its {@code uname}); null otherwise.
     */
    private static String folder() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String machine = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
        if (machine == null) {
            return null;
        }
        if (os.startsWith("Mac")) {
            return "Mac/" + machine;
        }
        boolean android = System.getProperty("java.runtime.name", "").toLowerCase(Locale.ROOT).contains("android");
        boolean musl = Files.exists(Path.of("/lib/ld-musl-" + machine + ".so.1"));
        return os.startsWith("Linux") && !android && !musl ? "Linux/" + machine : null;
    }

    /** {@code dir}, created mode 700 if missing; null unless it is a real directory of this user's that only they can use. */
    private static Path ownDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException raced) {
                // another process made it meanwhile: checked below like any other
            }
        }
        boolean ours = Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
                && Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY);
        return ours ? dir : null;
    }
}
