package dev.runlog.junit.internal;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What one test owns: its tracker, its registry and, for a SQLite store, the temporary directory
 * holding the database file and its artifacts. Everything is made on first use and released by
 * {@link #close()}, which JUnit calls when the test's extension context closes, after every
 * {@code @AfterEach} method and {@code AfterEachCallback}, whether the test passed or not.
 *
 * <p>It implements both {@link AutoCloseable} (what JUnit 5.13 and later close) and the older
 * {@link ExtensionContext.Store.CloseableResource}, so it is released on every JUnit 5 version
 * and whatever {@code junit.jupiter.extensions.store.close.autocloseable.enabled} says; JUnit
 * calls one of the two, and a second call would do nothing anyway.
 */
@SuppressWarnings("deprecation") // CloseableResource: kept so that older JUnit versions release the store too
public final class TestResources implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    /** The kind of store a test gets. */
    public enum Kind {
        /** A fresh {@code memory:} store: nothing on disk. */
        MEMORY,
        /** A fresh SQLite file in a new temporary directory. */
        SQLITE
    }

    /** The name of the SQLite file inside the test's temporary directory. */
    public static final String DATABASE_FILE = "runlog.db";

    private final Kind kind;
    private final Clock clock;
    private final Consumer<TestResources> onClose;
    private Path directory;
    private Tracker tracker;
    private ModelRegistry registry;
    private boolean closed;

    /**
     * @param clock   the tracker's clock, or {@code null} for the tracker's default
     * @param onClose told once, after everything was released (or failed to be)
     */
    public TestResources(Kind kind, Clock clock, Consumer<TestResources> onClose) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.clock = clock;
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    /** The URI of the test's store: {@code memory:}, or {@code sqlite:} and the absolute file path. */
    public synchronized String storeUri() {
        checkOpen("storeUri()");
        if (kind == Kind.MEMORY) {
            return "memory:";
        }
        if (directory == null) {
            try {
                directory = Files.createTempDirectory("runlog-junit-");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary directory for the test's SQLite store", e);
            }
        }
        return "sqlite:" + directory.resolve(DATABASE_FILE);
    }

    /** The test's tracker, opened on first call. */
    public synchronized Tracker tracker() {
        checkOpen("tracker()");
        if (tracker == null) {
            Tracker.Builder builder = Tracker.builder().uri(storeUri());
            if (clock != null) {
                builder.clock(clock);
            }
            tracker = builder.build();
        }
        return tracker;
    }

    /** The registry kept in the test's tracker, made on first call. */
    public synchronized ModelRegistry registry() {
        checkOpen("registry()");
        if (registry == null) {
            registry = ModelRegistry.of(tracker());
        }
        return registry;
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes the tracker, then deletes the temporary directory, even when closing failed. The first
     * failure is thrown with the others suppressed in it, so JUnit reports it on the test.
     */
    @Override
    public void close() {
        Tracker toClose;
        Path toDelete;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = tracker;
            toDelete = directory;
        }
        RuntimeException failure = null;
        try {
            if (toClose != null) {
                toClose.close();
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            if (toDelete != null) {
                deleteTree(toDelete);
            }
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        } finally {
            onClose.accept(this);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void checkOpen(String accessor) {
        if (closed) {
            throw new dev.runlog.tracking.InvalidInputException("The test that owned this Runlog " + (kind == Kind.SQLITE ? "SQLite" : "in-memory")
                    + " store has finished and its store was closed" + (kind == Kind.SQLITE ? " and deleted" : "")
                    + "; " + accessor + " is only valid until then");
        }
    }

    /** Deletes a tree without following links; every path is tried, and those left are named. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the test's temporary directory " + root + " to delete it", e);
        }
        List<String> left = new ArrayList<>();
        IOException first = null;
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                left.add(path.toString());
                first = first == null ? e : first;
            }
        }
        if (!left.isEmpty()) {
            throw new UncheckedIOException("Could not delete the test's temporary files " + left
                    + " (is a tracker opened on the test's storeUri() still open?)", first);
        }
    }
}
