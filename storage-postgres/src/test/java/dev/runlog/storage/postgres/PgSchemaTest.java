package dev.runlog.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Metric;
import dev.runlog.tracking.Run;
import dev.runlog.tracking.RunData;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.StoreProvider;
import dev.runlog.tracking.spi.TrackingStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The versioned schema: made once however many processes open a new database at once, a newer one
 * refused, and an older one brought up with what it holds.
 */
@ExtendWith(TestPostgres.class)
// Alone: it races first opens of one database against each other.
@Isolated
class PgSchemaTest {

    @Test
    void concurrentFirstOpensOfANewDatabaseMigrateItOnce() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String database = pg.newDatabase();
        int openers = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        try {
            List<Future<String>> opened = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                String name = "from-opener-" + i;
                opened.add(pool.submit(() -> {
                    go.await();
                    try (Tracker tracker = Tracker.builder().uri(pg.uri(database)).shutdownHook(false).build()) {
                        return tracker.createExperiment(name).name();
                    }
                }));
            }
            go.countDown();
            for (int i = 0; i < openers; i++) {
                assertEquals("from-opener-" + i, opened.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = pg.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM runlog_schema")) {
            assertTrue(rs.next());
            assertEquals(6, rs.getInt(1));
            assertTrue(!rs.next(), "one schema row");
        }
        try (Tracker tracker = Tracker.builder().uri(pg.uri(database)).shutdownHook(false).build()) {
            assertEquals(openers, tracker.listExperiments().stream().filter(e -> e.name().startsWith("from-opener-")).count());
        }
    }

    /**
     * Migration 2 adds each run's data record (what loading runs reads): it is built for the runs
     * already there, and a run still running across the upgrade takes further batches into it.
     */
    @Test
    void runsWrittenBeforeTheRunDataRecordsReadWhole() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String database = pg.newDatabase();
        String runId;
        try (Tracker tracker = Tracker.builder().uri(pg.uri(database)).shutdownHook(false).build()) {
            runId = tracker.run("old", r -> r.logParam("lr", "0.1").setTag("team", "é")
                    .logMetric("loss", -0.0, 3).logMetric("nan", Double.NaN)).info().id();
        }
        // Back to schema 1: as a database written by the Runlog before migration 2 holds it, the run still
        // running. The search below then reads the (key, value) indexes migration 3 builds for runs already there.
        try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
            s.execute("DROP INDEX runlog_params_by_value, runlog_tags_by_value");
            s.execute("DROP STATISTICS runlog_params_key_value, runlog_tags_key_value");
            s.execute("ALTER TABLE runlog_runs DROP COLUMN data");
            s.execute("DROP FUNCTION runlog_run_data(text)");
            s.execute("DROP TABLE runlog_purged_runs");
            s.execute("DROP TABLE runlog_write_tokens");
            s.execute("ALTER TABLE runlog_datasets DROP COLUMN content_sha256");
            s.execute("ALTER TABLE runlog_datasets ADD UNIQUE (digest, name)");
            s.execute("UPDATE runlog_schema SET version = 1");
            s.execute("UPDATE runlog_runs SET status = 'RUNNING', end_time = NULL");
        }
        try (Tracker tracker = Tracker.builder().uri(pg.uri(database)).shutdownHook(false).build()) {
            Run run = tracker.getRun(runId);
            assertEquals(Map.of("lr", "0.1"), run.data().params());
            assertEquals("é", run.data().tags().get("team"));
            Metric loss = run.data().latestMetrics().get("loss");
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(loss.value()));
            assertEquals(3, loss.step());
            assertTrue(Double.isNaN(run.data().latestMetrics().get("nan").value()));
            assertEquals(1, tracker.searchRuns().experiments("old").filter("params.lr = '0.1'").list().size());
        }
        // A batch changes the record the migration built in place: what it holds stays, what the batch wrote joins it.
        StoreProvider.Stores stores = ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.scheme().equals("postgresql")).findFirst().orElseThrow().open(pg.uri(database));
        try (TrackingStore store = stores.tracking()) {
            store.logBatch(runId, List.of(new Metric("loss", 0.5, 4, 1L), new Metric("acc", 0.9, 0, 1L)),
                    Map.of("batch", "32"), Map.of("stage", "two"));
            RunData data = store.getRun(runId).orElseThrow().data();
            assertEquals(Map.of("lr", "0.1", "batch", "32"), data.params());
            assertEquals("é", data.tags().get("team"));
            assertEquals("two", data.tags().get("stage"));
            assertEquals(new Metric("loss", 0.5, 4, 1L), data.latestMetrics().get("loss"));
            assertEquals(new Metric("acc", 0.9, 0, 1L), data.latestMetrics().get("acc"));
            assertTrue(Double.isNaN(data.latestMetrics().get("nan").value()));
        }
    }

    @Test
    void schema4MovesEachRunsRecordIntoItsRowAndRebuildsOneThatWasMissing() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String database = pg.newDatabase();
        String kept;
        String lost;
        try (Tracker tracker = Tracker.builder().uri(pg.uri(database)).shutdownHook(false).build()) {
            kept = tracker.run("three", r -> r.logParam("lr", "0.1").setTag("team", "a").logMetric("loss", 0.25, 7)).info().id();
            lost = tracker.run("three", r -> r.logParam("lr", "0.2").logMetric("loss", 0.5, 8)).info().id();
        }
        // Back to schema 3: records in a table of their own, where one run's is missing, and the one kept
        // is what the migration must move as it is (a changed copy, to tell a move from a rebuild).
        try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE runlog_run_data (run_id text COLLATE \"C\" PRIMARY KEY, data bytea NOT NULL)");
            s.execute("INSERT INTO runlog_run_data (run_id, data) SELECT run_id, data FROM runlog_runs"
                    + " WHERE run_id = '" + kept + "'");
            s.execute("UPDATE runlog_params SET value = '0.3' WHERE run_id = '" + kept + "'");
            s.execute("ALTER TABLE runlog_runs DROP COLUMN data");
            s.execute("ALTER TABLE runlog_runs RESET (fillfactor)");
            s.execute("DROP TABLE runlog_purged_runs");
            s.execute("DROP TABLE runlog_write_tokens");
            s.execute("ALTER TABLE runlog_datasets DROP COLUMN content_sha256");
            s.execute("ALTER TABLE runlog_datasets ADD UNIQUE (digest, name)");
            s.execute("UPDATE runlog_schema SET version = 3");
        }
        try (Tracker tracker = Tracker.builder().uri(pg.uri(database)).shutdownHook(false).build()) {
            Run moved = tracker.getRun(kept);
            assertEquals(Map.of("lr", "0.1"), moved.data().params(), "the record moved, not rebuilt");
            assertEquals("a", moved.data().tags().get("team"));
            assertEquals(7, moved.data().latestMetrics().get("loss").step());
            Run rebuilt = tracker.getRun(lost);
            assertEquals(Map.of("lr", "0.2"), rebuilt.data().params());
            assertEquals(8, rebuilt.data().latestMetrics().get("loss").step());
            assertEquals(List.of(lost), tracker.searchRuns().experiments("three").filter("params.lr = '0.2'").list()
                    .stream().map(r -> r.info().id()).toList());
        }
        try (Connection c = pg.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT version FROM runlog_schema),"
                     + " to_regclass('runlog_run_data') IS NULL")) {
            rs.next();
            assertEquals(6, rs.getInt(1));
            assertTrue(rs.getBoolean(2), "the table of records is gone");
        }
    }

    @Test
    void aSchemaRecordChangedByHandIsRefusedAndLeftAlone() throws Exception {
        TestPostgres pg = TestPostgres.get();
        Map<String, String> said = new LinkedHashMap<>();
        said.put("DELETE FROM runlog_schema", "its table runlog_schema holds no version");
        said.put("UPDATE runlog_schema SET version = 0", "records schema version 0 in runlog_schema");
        said.put("UPDATE runlog_schema SET version = -3", "records schema version -3 in runlog_schema");
        said.put("DROP TABLE runlog_schema", "has no table runlog_schema");
        said.put("UPDATE runlog_schema SET version = 4", "records schema version 4, yet holds what migration 5 creates");
        said.put("ALTER TABLE runlog_schema ALTER COLUMN version TYPE text", "has no integer column version");
        said.put("ALTER TABLE runlog_schema RENAME COLUMN version TO v", "has no integer column version");
        for (String damage : said.keySet()) {
            String database = pg.newDatabase();
            try (Tracker tracker = Tracker.builder().uri(pg.uri(database)).shutdownHook(false).build()) {
                tracker.createExperiment("kept");
            }
            try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
                s.execute(damage);
            }
            IntegrityException e = assertThrows(IntegrityException.class, () -> Tracker.open(pg.uri(database)), damage);
            assertTrue(e.getMessage().contains("damaged schema record") && e.getMessage().contains("left untouched")
                    && e.getMessage().contains(said.get(damage)), damage + ": " + e.getMessage());
            try (Connection c = pg.connect(database); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM runlog_experiments")) {
                rs.next();
                assertEquals(1, rs.getInt(1), damage);
            }
        }
    }

    @Test
    void aSchemaNewerThanThisRunlogIsRefusedAndLeftAlone() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String database = pg.newDatabase();
        try (Tracker tracker = Tracker.builder().uri(pg.uri(database)).shutdownHook(false).build()) {
            tracker.createExperiment("kept");
        }
        try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
            s.execute("UPDATE runlog_schema SET version = 99");
        }
        StoreException e = assertThrows(StoreException.class, () -> Tracker.open(pg.uri(database)));
        assertTrue(e.getMessage().contains("schema version 99, newer than this Runlog knows"), e.getMessage());
        assertTrue(e.getMessage().contains("Upgrade Runlog"), e.getMessage());
        try (Connection c = pg.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT version FROM runlog_schema), (SELECT count(*) FROM runlog_experiments)")) {
            rs.next();
            assertEquals(99, rs.getInt(1));
            assertEquals(1, rs.getInt(2));
        }
    }
}
