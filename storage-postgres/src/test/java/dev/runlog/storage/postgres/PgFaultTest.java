package dev.runlog.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Durability;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.RunData;
import dev.runlog.tracking.RunStatus;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a shared database meets: the database gone in the middle of a run and back, and a training
 * process killed with kill -9. The database goes away behind a {@link CuttableLink}, which to the
 * store is a server stopping (every connection ends, new ones are refused) and starting again on the
 * same port, while the server itself, which every other test class of the JVM shares, keeps running.
 */
@ExtendWith(TestPostgres.class)
class PgFaultTest {
    /** Trust authentication lets any password in: this one is given only to be kept out of messages. */
    private static final String PASSWORD = "Pw-never-shown-7";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    /**
     * A fresh database through {@code link}, with a password to hide; {@code connectTimeout} bounds
     * how long a call waits for the database before it fails, so the test does not wait out the 10 s default.
     */
    private String uriThrough(CuttableLink link) {
        return uriThrough(link, TestPostgres.get().freshDatabase(temp.resolve("store")));
    }

    private String uriThrough(CuttableLink link, String database) {
        TestPostgres pg = TestPostgres.get();
        String direct = pg.uri(database);
        String password = pg.embedded() ? ":" + PASSWORD : "";
        return direct.replace("@" + pg.hostAndPort() + "/", password + "@" + link.hostAndPort() + "/") + "?connectTimeout=1";
    }

    @Test
    void metricsLoggedWhileTheDatabaseIsDownAreStoredOnceItIsBackAndCallsThatCannotWaitFailUntilThen()
            throws Exception {
        try (CuttableLink link = new CuttableLink(TestPostgres.get().hostAndPort());
             Tracker tracker = Tracker.builder().uri(uriThrough(link)).shutdownHook(false).build()) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            String model;
            try (ActiveRun modelRun = tracker.startRun("faults")) {
                model = modelRun.logModel("model", Map.of("v", 1), ModelFlavor.json()).uri();
            }
            registry.register("restarted", model);
            ActiveRun run = tracker.startRun("faults");
            List<Long> stored = new ArrayList<>(LongStream.range(0, 1_000).boxed().toList());
            for (long step : stored) {
                run.logMetric("loss", step / 1000.0, step);
            }
            run.flush();
            run.logParam("before", 1);

            link.cut();
            run.logMetric("loss", 1.0, 1_000);
            stored.add(1_000L);
            // At once, as each waits out the connect timeout: the flush waits for the write attempt,
            // which fails (the writer has met the outage); the others need the database now.
            assertAllUnreachable(link.hostAndPort(), run::flush, () -> run.logParam("during", 2), () -> run.setTag("during", "x"),
                    () -> registry.register("restarted", model), () -> registry.transition("restarted", 1, Stage.STAGING));
            for (long step = 1_001; step < 2_000; step++) {
                try {
                    run.logMetric("loss", step / 1000.0, step);
                    stored.add(step);
                } catch (StoreException e) {
                    // Reported once per failure to whoever logs next; that point was not buffered, and the call says so.
                    assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
                }
            }
            assertTrue(stored.size() > 1_900, "most points were buffered, not refused: " + stored.size());

            link.restore();
            flushOnceBack(run);
            // The same tracker and registry, never reopened.
            run.logParam("after", 3);
            run.setTag("after", "y");
            assertEquals(2, registry.register("restarted", model).version());
            assertEquals(Stage.STAGING, registry.transition("restarted", 1, Stage.STAGING).stage());
            run.end(RunStatus.FINISHED);

            List<Metric> history = tracker.metricHistory(run.id(), "loss");
            assertEquals(stored, history.stream().map(Metric::step).toList(), "each logged step once, in order");
            for (Metric m : history) {
                assertEquals(m.step() / 1000.0, m.value(), "step " + m.step());
            }
            RunData data = tracker.getRun(run.id()).data();
            assertEquals(Map.of("before", "1", "after", "3"), data.params());
            assertEquals("y", data.tags().get("after"));
            assertFalse(data.tags().containsKey("during"));
        }
    }

    @Test
    void aMetricBatchWhoseCommitAnswerWasLostIsStoredOnceNotAgainByTheRetry() throws Exception {
        // The server committed, the connection died before saying so: the writer's retry stored the
        // batch a second time. The batch's token now tells that it committed.
        String database = TestPostgres.get().freshDatabase(temp.resolve("store"));
        try (CuttableLink link = new CuttableLink(TestPostgres.get().hostAndPort());
             Tracker tracker = Tracker.builder().uri(uriThrough(link, database)).shutdownHook(false).build()) {
            String runId;
            try (ActiveRun run = tracker.startRun("commit-lost")) {
                run.logMetric("m", 0, 0);
                run.flush();
                link.cutAfterNextCommit();
                for (int step = 1; step <= 100; step++) {
                    run.logMetric("m", step, step);
                }
                run.flush();
                runId = run.id();
            }
            assertEquals(1, link.commitsCut(), "the test cut no commit");
            List<Long> steps = tracker.metricHistory(runId, "m").stream().map(m -> m.step()).toList();
            assertEquals(java.util.stream.LongStream.rangeClosed(0, 100).boxed().toList(), steps);
        }
        // A tracker that closed deleted its write tokens: the table holds none of a finished process.
        try (java.sql.Connection c = TestPostgres.get().connect(database);
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM runlog_write_tokens")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    /**
     * The connection lost as the commit was asked for, before the server had it: the batch's token
     * says it did not commit, so the failure says it was not stored (a caller told it "may have
     * been stored" would not log the point again), as a plain StoreException.
     */
    @Test
    void aSyncPointWhoseCommitNeverReachedTheServerIsSaidNotStoredAndStoresOnceLoggedAgain() throws Exception {
        String database = TestPostgres.get().freshDatabase(temp.resolve("store-sync"));
        try (CuttableLink link = new CuttableLink(TestPostgres.get().hostAndPort());
             Tracker tracker = Tracker.builder().uri(uriThrough(link, database)).durability(Durability.SYNC)
                     .shutdownHook(false).build()) {
            try (ActiveRun run = tracker.startRun("commit-cut")) {
                run.logMetric("m", 0, 0);
                link.cutBeforeNextCommit();
                StoreException e = assertThrows(StoreException.class, () -> run.logMetric("m", 1, 1));
                assertEquals(StoreException.class, e.getClass(), "no internal type reaches the caller");
                assertTrue(e.getMessage().contains("the change was not stored"), e.getMessage());
                assertEquals(1, link.commitsCut(), "the test cut no commit");
                run.logMetric("m", 1, 1);
                assertEquals(List.of(0L, 1L), tracker.metricHistory(run.id(), "m").stream().map(m -> m.step()).toList());
            }
        }
    }

    @Test
    void connectionsThatDiedWhileTheStoreWasIdleAreReplacedWithoutTheCallerSeeingIt() throws Exception {
        try (CuttableLink link = new CuttableLink(TestPostgres.get().hostAndPort());
             Tracker tracker = Tracker.builder().uri(uriThrough(link)).shutdownHook(false).build()) {
            String runId;
            try (ActiveRun run = tracker.startRun("cut")) {
                runId = run.id();
                run.logParam("before", 1);
                // A restart between two calls: the pool still holds the connections it ended.
                link.cut();
                link.restore();
                run.logParam("after", 2);
                run.setTag("after", "y");
            }
            assertEquals(Map.of("before", "1", "after", "2"), tracker.getRun(runId).data().params());
        }
    }

    /** Each call, all at once, fails as the database is down: a StoreException naming the server, never the password. */
    private static void assertAllUnreachable(String server, Executable... calls) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(calls.length);
        try {
            List<Future<StoreException>> failures = new ArrayList<>();
            for (Executable call : calls) {
                failures.add(threads.submit(() -> assertThrows(StoreException.class, call)));
            }
            for (Future<StoreException> failure : failures) {
                String message = failure.get(WAIT.toSeconds(), TimeUnit.SECONDS).getMessage();
                assertTrue(message.contains("unreachable"), message);
                assertTrue(message.contains("(server " + server + ")"), message);
                assertFalse(message.contains(PASSWORD), message);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Flushes once the server is back. A store failure is reported once to the next caller, and one
     * met while the server was still starting may be that caller's: a StoreException may succeed later.
     */
    private static void flushOnceBack(ActiveRun run) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                run.flush();
                return;
            } catch (StoreException e) {
                assertTrue(System.nanoTime() < deadline, "still failing " + WAIT + " after the restart: " + e);
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    @Test
    void aTrainingProcessKilledWithKill9LosesNothingItWasToldWasStored() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String uri = pg.uri(pg.freshDatabase(temp.resolve("store")));
        Path out = temp.resolve("child.out");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), KilledChild.class.getName(), uri)
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().remove("RUNLOG_TRACKING_URI");
        Process child = builder.start();
        try {
            // Until it has reported a few rounds: then it is killed somewhere in the middle of one.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (KilledChild.rounds(Files.readAllLines(out)) < 3) {
                assertTrue(child.isAlive(), "the child ended: " + Files.readString(out));
                assertTrue(System.nanoTime() < deadline, "the child reported too little: " + Files.readString(out));
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        List<String> lines = Files.readAllLines(out);
        String runId = lines.stream().filter(l -> l.startsWith("RUN ")).findFirst().orElseThrow().substring(4);
        long metrics = 0;
        int params = 0;
        for (String line : lines) {
            // A line cut short by the kill ends without its newline: readAllLines keeps it, so only whole records count.
            if (line.matches("METRICS \\d+ ok")) {
                metrics = Long.parseLong(line.split(" ")[1]);
            } else if (line.matches("PARAM \\d+ ok")) {
                params = Integer.parseInt(line.split(" ")[1]) + 1;
            }
        }
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            List<Long> steps = tracker.metricHistory(runId, "m").stream().map(Metric::step).toList();
            assertTrue(steps.size() >= metrics, "stored " + steps.size() + " points, the child was told " + metrics);
            // Points of a batch under way may be there too; each step once, none missing before them.
            assertEquals(LongStream.range(0, steps.size()).boxed().toList(), steps);
            Map<String, String> stored = tracker.getRun(runId).data().params();
            for (int p = 0; p < params; p++) {
                assertEquals(Integer.toString(p), stored.get("p" + p), "param p" + p + " of " + params + " told stored");
            }
            // Opening ended the dead child's run, and getRun (which reads the run's one-row record)
            // shows why, as search does.
            dev.runlog.tracking.Run run = tracker.getRun(runId);
            assertEquals(dev.runlog.tracking.RunStatus.KILLED, run.info().status());
            assertTrue(run.data().tags().getOrDefault(Tracker.KILLED_REASON_TAG, "").contains("is gone"), run.data().tags().toString());
        }
    }
}
