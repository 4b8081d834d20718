package dev.runlog.cli;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The read commands, run once against a scratch SQLite store, so that the class archive the
 * launcher writes on its first run holds what every later command loads.
 *
 * <p>The launcher keeps the classes of its first run (Java 17's {@code -XX:ArchiveClassesAtExit}
 * archives what was loaded, and cannot add to an archive later). A first run of {@code --version}
 * or {@code --help} loads no store, so without this every later command loaded the store, the
 * driver and the tables from the jar again: {@code runlog metric} took 0.56–0.60 s with such an
 * archive, against 0.46–0.49 s with one that holds them. The launcher sets {@value #PROPERTY} on
 * that first run only; the tour runs after the user's command has printed everything and its exit
 * code is known, prints nothing, and leaves nothing behind. A tour that fails only makes the
 * archive smaller, so its failure is logged at debug level and otherwise ignored.
 *
 * <p>The tour stays away from JSON ({@code model}, {@code doctor}, logging a model): Jackson's
 * 480 classes would double the archive, and the JVM relocates an archive at every start, about
 * 4.5 ms a megabyte here, so every command would pay some 25 ms for what a few of them use.
 */
final class ArchiveTour {
    /** The system property the launcher sets on the run that writes the class archive. */
    static final String PROPERTY = "runlog.cli.archiveTour";

    private static final System.Logger LOG = System.getLogger(ArchiveTour.class.getName());

    private ArchiveTour() {
    }

    /** Runs the tour in a directory of its own under {@code parent}; returns each command's exit code. */
    static List<Integer> run(Path parent) {
        List<Integer> codes = new ArrayList<>();
        Path dir = null;
        Thread cleanUp = null;
        // Counted down when the tour is over, whatever ended it; the shutdown hook waits for it.
        java.util.concurrent.CountDownLatch over = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            dir = Files.createTempDirectory(parent, "runlog-archive-tour");
            // Ctrl-C (or a timeout's TERM) during the tour ends the JVM without reaching finally,
            // and the tour's thread goes on while hooks run: logging an artifact there would make
            // the directory again after a delete. So the hook stops the tour, waits for it to be
            // over, and only then deletes.
            Path scratch = dir;
            cleanUp = new Thread(() -> {
                stopping.set(true);
                try {
                    over.await(3, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                deleteWhileShuttingDown(scratch);
            }, "runlog-archive-tour-clean-up");
            Runtime.getRuntime().addShutdownHook(cleanUp);
            String store = "sqlite:" + dir.resolve("tour.db");
            String[] runs = fill(store, stopping);
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            for (List<String> args : List.of(
                    List.of("experiments"),
                    List.of("runs", "--filter", "metrics.loss < 1 and params.lr = '0.1'", "--order-by", "metrics.loss"),
                    List.of("run", runs[0]),
                    List.of("metric", runs[0], "loss"),
                    List.of("diff", runs[0], runs[1]),
                    List.of("models"))) {
                if (stopping.get()) {
                    break;
                }
                List<String> line = new ArrayList<>(List.of("--store", store));
                line.addAll(args);
                try (Context ctx = Context.forTest(nowhere, nowhere, Clock.systemUTC(), null)) {
                    codes.add(RunlogCli.execute(ctx, line.toArray(String[]::new)));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the class archive's tour stopped; the archive holds less", e);
        } finally {
            if (dir != null) {
                delete(dir);
            }
            over.countDown();
            if (cleanUp != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanUp);
                } catch (IllegalStateException shuttingDown) {
                    // The hook runs anyway; the directory is gone already.
                }
            }
        }
        return codes;
    }

    /** Two finished runs of experiment "tour" with a param, a tag, a metric and a text artifact. */
    private static String[] fill(String store, java.util.concurrent.atomic.AtomicBoolean stopping) {
        try (Tracker tracker = Tracker.open(store)) {
            String[] ids = new String[2];
            for (int i = 0; i < ids.length; i++) {
                if (stopping.get()) {
                    throw new IllegalStateException("the JVM is shutting down");
                }
                try (ActiveRun run = tracker.newRun("tour").name("run-" + i).tag("team", "tour").start()) {
                    run.logParam("lr", i == 0 ? "0.1" : "0.01");
                    for (int step = 0; step < 50; step++) {
                        run.logMetric("loss", 1.0 / (step + 1 + i), step);
                    }
                    run.logText("tour", "notes.txt");
                    ids[i] = run.id();
                }
            }
            return ids;
        }
    }

    private static void delete(Path dir) {
        try {
            tryDelete(dir);
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete the class archive's scratch store " + dir, e);
        }
    }

    /**
     * The shutdown hook's delete: the tour's thread goes on while hooks run (its tracker's own
     * hook closing the store writes the WAL back), so files can appear in the directory as it is
     * deleted. Tried again until it is gone, for up to two seconds.
     */
    private static void deleteWhileShuttingDown(Path dir) {
        for (int attempt = 1; ; attempt++) {
            try {
                tryDelete(dir);
                if (!Files.exists(dir)) {
                    return;
                }
            } catch (IOException | UncheckedIOException e) {
                if (attempt == 40) {
                    LOG.log(System.Logger.Level.WARNING, "could not delete the class archive's scratch store " + dir, e);
                    return;
                }
            }
            if (attempt == 40) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void tryDelete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
