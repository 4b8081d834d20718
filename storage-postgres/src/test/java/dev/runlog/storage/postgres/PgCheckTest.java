package dev.runlog.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ModelFlavor;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.StoreCheck;
import dev.runlog.tracking.spi.TrackerStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL store's check of itself, as {@code runlog doctor} shows it: healthy as Runlog
 * leaves it (the contract kit checks that too), and each broken reference or repeating version
 * number named once rows are changed behind Runlog's back.
 */
@ExtendWith(TestPostgres.class)
class PgCheckTest {
    @TempDir
    Path temp;

    @Test
    void aStoreChangedBehindRunlogsBackNamesWhatIsBroken() throws Exception {
        TestPostgres pg = TestPostgres.get();
        String database = pg.freshDatabase(temp.resolve("store"));
        try (Tracker tracker = Tracker.builder().uri(pg.uri(database)).shutdownHook(false).build()) {
            ModelRegistry registry = ModelRegistry.of(tracker);
            String runId;
            String source;
            try (ActiveRun run = tracker.startRun("checked")) {
                run.logParam("lr", 0.1);
                runId = run.id();
            }
            try (ActiveRun run = tracker.startRun("checked")) {
                source = run.logModel("model", Map.of("v", 1), ModelFlavor.json()).uri();
            }
            for (String model : List.of("gone", "kept")) {
                registry.register(model, source);
                registry.register(model, source);
            }
            registry.setAlias("gone", "champion", 2);
            StoreCheck healthy = TrackerStores.of(tracker).tracking().checkStore();
            assertEquals(List.of(), healthy.problems());
            assertTrue(healthy.description().startsWith("PostgreSQL schema 6, postgresql://"), healthy.description());

            try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
                s.execute("DELETE FROM runlog_runs WHERE run_id = '" + runId + "'");
                s.execute("DELETE FROM runlog_models WHERE name = 'gone'");
                s.execute("DELETE FROM runlog_versions WHERE name = 'gone' AND version = 2");
                s.execute("UPDATE runlog_models SET next_version = 2 WHERE name = 'kept'");
            }
            StoreCheck broken = TrackerStores.of(tracker).tracking().checkStore();
            assertEquals(List.of(
                    "runlog_params has rows for " + runId + " missing from runlog_runs",
                    "runlog_tags has rows for " + runId + " missing from runlog_runs",
                    "runlog_versions has rows for gone missing from runlog_models",
                    "runlog_aliases has rows for gone/2 missing from runlog_versions",
                    "model 'kept' would number its next version 2, but version 2 exists: version numbers would repeat"),
                    broken.problems());
        }
    }
}
