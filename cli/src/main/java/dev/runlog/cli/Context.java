package dev.runlog.cli;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.NotFoundException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.InputRules;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;

/**
 * What every command of one invocation shares: where output goes, whether it may use colour and
 * progress lines, the clock that humanized times are relative to, and the store, opened on first
 * use and closed once when the command ends.
 *
 * <p>Tests build one with {@link #forTest}: the tracker is theirs (an in-memory store cannot be
 * opened twice by URI), it is not closed, and nothing is a terminal.
 */
final class Context implements AutoCloseable {
    final PrintWriter out;
    final PrintWriter err;
    final Clock clock;
    /** Colour codes on stdout: only on a terminal and without {@code NO_COLOR}. */
    final boolean color;
    /** Progress lines on stderr: only when stderr is a terminal. */
    final boolean progress;
    /** Released to end {@code runlog ui}; in a real run the JVM's exit ends it instead. */
    final CountDownLatch stop = new CountDownLatch(1);

    /** Opens a store by URI; the flag says whether a missing one may be made. */
    private final BiFunction<String, Boolean, Tracker> opener;
    private final boolean ownsTracker;
    String storeUri;
    boolean verbose;
    /** Whether this context is the process's, whose logging the command line may turn up. */
    boolean ownsLogging;
    private Tracker tracker;
    /** Stores opened besides {@link #tracker}, closed with it. */
    private final java.util.List<Tracker> others = new java.util.ArrayList<>();
    private ModelRegistry registry;

    private Context(PrintWriter out, PrintWriter err, Clock clock, boolean color, boolean progress,
                    BiFunction<String, Boolean, Tracker> opener, boolean ownsTracker) {
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.color = color;
        this.progress = progress;
        this.opener = opener;
        this.ownsTracker = ownsTracker;
    }

    /** The context of a real run: the process's streams and environment, stores opened by URI. */
    static Context forProcess(Map<String, String> env) {
        boolean terminal = System.console() != null;
        // stdout is buffered (a CSV of 100,000 runs must not flush each line) and flushed on close;
        // commands that wait, such as ui, flush what they printed first.
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
        Context ctx = new Context(out, new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                Clock.systemDefaultZone(), terminal && !env.containsKey("NO_COLOR"), terminal && stderrIsTerminal(),
                Context::openByUri, true);
        ctx.ownsLogging = true;
        return ctx;
    }

    /**
     * Whether stderr is a terminal. {@code System.console()} speaks for stdin and stdout only; on
     * Linux /proc says where stderr goes, elsewhere it is taken to go where they do.
     */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
    }

    /**
     * A context for tests: output to the given writers, no colour, no progress. With a tracker,
     * every command uses it whatever {@code --store} says, and does not close it; without one,
     * stores are opened by URI as in a real run.
     */
    static Context forTest(PrintWriter out, PrintWriter err, Clock clock, Tracker tracker) {
        return tracker == null
                ? new Context(out, err, clock, false, false, Context::openByUri, true)
                : new Context(out, err, clock, false, false, (uri, create) -> tracker, false);
    }

    /**
     * The store: {@code --store}, else the lookup of {@code Tracker.open()}. A SQLite file must
     * exist: only {@link #targetTracker()} makes one.
     */
    Tracker tracker() {
        if (tracker == null) {
            tracker = opener.apply(existing(storeUri()), false);
        }
        return tracker;
    }

    /** As {@link #tracker()}, for a command that fills a store (import, import-mlflow, ui --allow-writes): made if missing. */
    Tracker targetTracker() {
        if (tracker == null) {
            tracker = opener.apply(storeUri(), true);
        }
        return tracker;
    }

    /** The URI {@link #tracker()} opens: {@code --store}, else the lookup of {@code Tracker.open()}. */
    String storeUri() {
        return storeUri != null ? storeUri : Tracker.defaultUri();
    }

    /**
     * Another store, for a command that works on two ({@code copy}): opened by URI (in tests with a
     * tracker, that tracker) and closed with this context; an existing one unless {@code create}.
     */
    Tracker open(String uri, boolean create) {
        Tracker other = opener.apply(create ? uri : existing(uri), create);
        if (ownsTracker) {
            others.add(other);
        }
        return other;
    }

    /**
     * The tracker of the store at {@code uri}. Unless {@code create}, only a store that is there:
     * on PostgreSQL a read command pointed at a database without Runlog's tables (a mistyped name,
     * another application's database) made them there, and then read an empty store.
     */
    private static Tracker openByUri(String uri, boolean create) {
        return Tracker.builder().uri(uri).createIfMissing(create).build();
    }

    /**
     * {@code uri}, once a SQLite file it names is known to exist (in a context that opens stores by
     * URI). Opening a missing file makes a new, empty store: a mistyped path would then be a store
     * that every read reports as empty and {@code doctor} as healthy.
     */
    private String existing(String uri) {
        if (ownsTracker) {
            Optional<Path> file = sqliteFile(uri);
            if (file.isPresent() && !Files.exists(file.get())) {
                throw new NoStore(InputRules.hideCredentials("no store at " + file.get() + " (" + InputRules.hideOptionValues(uri)
                        + ")") + "; check --store: runlog makes a"
                        + " store only for import, import-mlflow, copy --to and ui --allow-writes");
            }
        }
        return uri;
    }

    /**
     * The file a {@code sqlite:} URI names ({@code sqlite:PATH}, {@code sqlite:///PATH},
     * options after {@code ?}), absolute; empty for other schemes and for a URI the store itself
     * refuses, with its own message, when opened.
     */
    static Optional<Path> sqliteFile(String uri) {
        if (!uri.regionMatches(true, 0, "sqlite:", 0, 7)) {
            return Optional.empty();
        }
        String path = uri.substring(7);
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        if (path.startsWith("///")) {
            path = path.substring(3);
        }
        // SQLite's own spellings and a directory are refused by the store, which says why; "no store at"
        // a file named ':memory:' would suggest that an import makes one.
        boolean refused = path.isBlank() || path.startsWith("//") || path.equals(":memory:")
                || path.regionMatches(true, 0, "file:", 0, 5) || path.endsWith("/");
        return refused ? Optional.empty() : absolute(path);
    }

    /**
     * The local file {@code location} names: a {@code sqlite:} URI's file, or a plain path; empty
     * for a URI of another kind ({@code postgresql://...}) or a path the file system refuses.
     */
    static Optional<Path> localFile(String location) {
        if (location.regionMatches(true, 0, "file:", 0, 5)) {
            // file:/abs and file:///abs alike, as the import reads them.
            try {
                return Optional.of(Path.of(java.net.URI.create(location)).toAbsolutePath().normalize());
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                return Optional.empty();
            }
        }
        return location.regionMatches(true, 0, "sqlite:", 0, 7) ? sqliteFile(location)
                : location.contains("://") ? Optional.empty() : absolute(location);
    }

    /** Empty for a path the file system refuses: whatever opens it says what is wrong with it. */
    private static Optional<Path> absolute(String path) {
        try {
            return Optional.of(Path.of(path).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** A store URI naming a SQLite file that does not exist; its message says what to do. */
    static final class NoStore extends NotFoundException {
        private static final long serialVersionUID = 1L;

        NoStore(String message) {
            super(message);
        }
    }

    ModelRegistry registry() {
        if (registry == null) {
            registry = ModelRegistry.of(tracker());
        }
        return registry;
    }

    /** Shows what long work is doing, on one rewritten stderr line, when someone is watching. */
    void progress(String text) {
        if (progress) {
            err.print("\r\033[K" + text);
            err.flush();
        }
    }

    void progressDone() {
        if (progress) {
            err.print("\r\033[K");
            err.flush();
        }
    }

    @Override
    public void close() {
        out.flush();
        err.flush();
        if (ownsTracker) {
            others.forEach(Tracker::close);
            if (tracker != null) {
                tracker.close();
            }
        }
    }
}
