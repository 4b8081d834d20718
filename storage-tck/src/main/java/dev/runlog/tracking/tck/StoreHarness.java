package dev.runlog.tracking.tck;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.TrackerStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What one kit test runs against: a fresh store in a temporary directory of its own, the
 * {@link MutableClock} every tracker of the test shares, the main {@link Tracker} on that store
 * and, on first use, the {@link ModelRegistry} in it. {@link StoreHarnessExtension} builds one per
 * test, hands it and its parts to the test's parameters, and closes it after the test: every
 * tracker and every handle given to {@link #closeAfter}, newest first, then the directory.
 *
 * <p>A contract method asks for what it uses: {@code Tracker tracker}, {@code MutableClock clock},
 * {@code ModelRegistry registry}, or this harness as {@code StoreHarness kit} for more stores,
 * directories and files.
 */
public final class StoreHarness {
    private final Function<Path, String> storeUris;
    private final Path root;
    private final MutableClock clock;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private final Map<String, Object> fixtures = new HashMap<>();
    private int directoriesMade;
    private Tracker tracker;
    private ModelRegistry registry;

    StoreHarness(Function<Path, String> storeUris, Instant start) {
        this.storeUris = Objects.requireNonNull(storeUris, "storeUris");
        try {
            this.root = Files.createTempDirectory("runlog-kit-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.clock = new MutableClock(start);
        this.tracker = newTracker(builder -> { });
    }

    /** The clock of every tracker the harness builds; it stands at the kit's start instant when the test begins. */
    public MutableClock clock() {
        return clock;
    }

    /** The test's main tracker, on a fresh store. */
    public Tracker tracker() {
        return tracker;
    }

    /** The registry in the main tracker's store, opened on first use with {@code ModelRegistry.of(tracker())}. */
    public ModelRegistry registry() {
        if (registry == null) {
            registry = ModelRegistry.of(tracker);
        }
        return registry;
    }

    /**
     * Replaces the main tracker (and with it the registry) by one on another fresh store, built with
     * whatever {@code options} set; for a contract whose every test needs a tracker option. The old
     * tracker stays open until the test ends.
     */
    public Tracker reopen(Consumer<Tracker.Builder> options) {
        tracker = newTracker(options);
        registry = null;
        return tracker;
    }

    /** The URI of another fresh, empty store in {@code dir}, as the kit subclass's {@code storeUri} gives it. */
    public String storeUri(Path dir) {
        return storeUris.apply(dir);
    }

    /**
     * Opens another tracker on another fresh store, with the harness's clock, no shutdown hook, and
     * whatever else {@code options} sets; it is closed after the test.
     */
    public Tracker newTracker(Consumer<Tracker.Builder> options) {
        Tracker.Builder builder = Tracker.builder().uri(storeUri(newDirectory("store"))).clock(clock).shutdownHook(false);
        options.accept(builder);
        return closeAfter(builder.build());
    }

    /** A new empty directory under the test's temporary directory. */
    public Path newDirectory(String prefix) {
        try {
            return Files.createDirectories(root.resolve(prefix + "-" + (++directoriesMade)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code content} to a new file named {@code name} (in a new directory) and returns it. */
    public Path newFile(String name, byte[] content) {
        try {
            return Files.write(newDirectory("files").resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes {@code resource} after the test, before everything opened earlier; returns it. */
    public <T extends AutoCloseable> T closeAfter(T resource) {
        open.push(Objects.requireNonNull(resource, "resource"));
        return resource;
    }

    /**
     * The test's fixture named {@code name}, made by {@code make} on first use: how a contract's
     * {@code @BeforeEach} hands what it built to the test, since an interface keeps no state.
     */
    @SuppressWarnings("unchecked")
    public <T> T fixture(String name, Supplier<? extends T> make) {
        return (T) fixtures.computeIfAbsent(name, k -> make.get());
    }

    /**
     * Asks the store of every tracker still open for its own check (what {@code runlog doctor}
     * shows), then closes what the test opened, newest first, and deletes the test's directory;
     * throws the first failure. Whatever a test did through the public API, the store must find
     * nothing wrong with itself afterwards, so a problem its check reports fails the test.
     */
    public void close() throws Exception {
        List<String> problems = new ArrayList<>();
        try {
            for (AutoCloseable resource : open) {
                if (resource instanceof Tracker opened) {
                    problems.addAll(selfCheck(opened));
                }
            }
            Closer.closeAll(open);
        } finally {
            deleteTree(root);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("After the test, the store's own check found: " + String.join("; ", problems));
        }
    }

    /** The problems the tracker's store finds in itself; none for a tracker the test already closed. */
    private static List<String> selfCheck(Tracker tracker) {
        try {
            return TrackerStores.of(tracker).tracking().checkStore().problems();
        } catch (RuntimeException closedOrUnchecked) {
            return List.of();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
