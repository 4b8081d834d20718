package dev.runlog.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.DeployOptions;
import dev.runlog.registry.DeployedModel;
import dev.runlog.registry.DeploymentListener;
import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.ModelVersion;
import dev.runlog.registry.Stage;
import dev.runlog.registry.TransitionOptions;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment on PostgreSQL hears a promotion made by another process as it commits (LISTEN/NOTIFY),
 * not at its next poll: every handle here polls once an hour, so a swap seen within seconds came
 * from the notification. Another process is another tracker with a pool of its own.
 */
@ExtendWith(TestPostgres.class)
class PgDeployTest {
    private static final String MODEL = "served";
    /** A poll that never comes during a test: only a notification can swap the handle. */
    private static final DeployOptions NO_POLL = DeployOptions.defaults().pollInterval(Duration.ofHours(1));
    /** Bounds a wait for what should take milliseconds; not a measure of it. */
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path temp;

    /** Records each swap as "from -> to". */
    private static final class Swaps implements DeploymentListener {
        final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

        @Override
        public void swapped(ModelVersion previous, ModelVersion current) {
            seen.add(previous.version() + " -> " + current.version());
        }

        String next() throws InterruptedException {
            String swap = seen.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(swap != null, "no swap within " + WAIT_SECONDS + " s though the poll interval is an hour");
            return swap;
        }
    }

    @Test
    void aPromotionAndAnAliasMovedByAnotherProcessAreServedWithoutWaitingForThePoll() throws Exception {
        String uri = TestPostgres.get().freshStoreUri(temp.resolve("store"));
        try (Tracker serving = open(uri); Tracker promoting = open(uri)) {
            ModelRegistry other = ModelRegistry.of(promoting);
            registerTwo(promoting, other);
            other.transition(MODEL, 1, Stage.PRODUCTION);
            other.setAlias(MODEL, "champion", 1);

            ModelRegistry registry = ModelRegistry.of(serving);
            Swaps byStage = new Swaps();
            Swaps byAlias = new Swaps();
            try (DeployedModel<Map> production = registry.deploy(MODEL, Stage.PRODUCTION, Map.class, NO_POLL);
                 DeployedModel<Map> champion = registry.deploy(MODEL, "champion", Map.class, NO_POLL)) {
                production.addListener(byStage);
                champion.addListener(byAlias);

                other.transition(MODEL, 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
                assertEquals("1 -> 2", byStage.next());
                assertEquals(2, production.version().version());
                assertEquals(2, production.get().get("version"));

                other.setAlias(MODEL, "champion", 2);
                assertEquals("1 -> 2", byAlias.next());
                assertEquals(2, champion.get().get("version"));
                assertEquals(Stage.PRODUCTION, production.version().stage(), "the stage handle did not move again");
            }
        }
    }

    @Test
    void afterItsListeningConnectionIsCutTheStoreListensAgainAndHearsTheNextPromotion() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String database = pg.freshDatabase(temp.resolve("store"));
        try (Tracker serving = open(pg.uri(database)); Tracker promoting = open(pg.uri(database))) {
            ModelRegistry other = ModelRegistry.of(promoting);
            registerTwo(promoting, other);
            other.transition(MODEL, 1, Stage.PRODUCTION);
            Swaps swaps = new Swaps();
            try (DeployedModel<Map> production = ModelRegistry.of(serving).deploy(MODEL, Stage.PRODUCTION, Map.class,
                    NO_POLL)) {
                production.addListener(swaps);
                // As a server restart or a network failure would: the session ends under the store.
                cutListeners(pg, database);
                other.transition(MODEL, 2, Stage.PRODUCTION, TransitionOptions.archiveExisting());
                // Heard by the new connection, or, if it committed before the LISTEN, by the call that follows it.
                assertEquals("1 -> 2", swaps.next());
                assertEquals(2, production.get().get("version"));
            }
        }
    }

    /** Ends the listening sessions on {@code database}, waiting until there was one to end. */
    private static void cutListeners(TestPostgres pg, String database) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try (var c = pg.connect(database); var s = c.createStatement()) {
            while (true) {
                try (var rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND application_name = 'runlog-listen'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "no listening session on " + database);
                Thread.sleep(20); // the listener connects on its own thread, right after deploy
            }
        }
    }

    /** Logs two models, {version: 1} and {version: 2}, and registers them as versions 1 and 2. */
    private static void registerTwo(Tracker tracker, ModelRegistry registry) {
        for (int v = 1; v <= 2; v++) {
            try (ActiveRun run = tracker.startRun("deploy")) {
                String source = run.logModel("model", Map.of("version", v), ModelFlavor.json()).uri();
                assertEquals(v, registry.register(MODEL, source).version());
            }
        }
    }

    static Tracker open(String uri) {
        return Tracker.builder().uri(uri).shutdownHook(false).build();
    }
}
