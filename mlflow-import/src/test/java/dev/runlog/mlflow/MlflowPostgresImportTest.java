package dev.runlog.mlflow;

import static dev.runlog.mlflow.MlflowFixture.CHILD;
import static dev.runlog.mlflow.MlflowFixture.DELETED;
import static dev.runlog.mlflow.MlflowFixture.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.registry.ModelRegistry;
import dev.runlog.registry.Stage;
import dev.runlog.tracking.LifecycleStage;
import dev.runlog.tracking.Tracker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link MlflowFixture} store in a PostgreSQL database, as a team's MLflow server keeps it
 * (MLflow's schema, booleans as PostgreSQL booleans), imported by its {@code postgresql://} URI.
 * One embedded server (PostgreSQL's binaries from a jar) for the class.
 */
class MlflowPostgresImportTest {
    static EmbeddedPostgres server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedPostgres.builder().setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
                .start();
        try (Connection admin = server.getPostgresDatabase().getConnection(); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE mlflow");
        }
        try (Connection c = server.getDatabase("postgres", "mlflow").getConnection()) {
            MlflowFixture.writeDatabase(c, dir, true);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A password given as an option of the URI is hidden as one given before the host is. */
    @Test
    void aPasswordInTheUrisOptionsIsNeverPrinted() {
        for (String uri : List.of("postgresql://u@127.0.0.1:1/mlflow?password=SECRETpw99",
                "postgresql://u@127.0.0.1:1/mlflow?sslpassword=SECRETpw99")) {
            try (Tracker tracker = Tracker.inMemory()) {
                RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                        () -> MlflowImport.from(uri).into(tracker).run());
                assertTrue(e.getMessage().contains("Cannot open the MLflow database") && !e.getMessage().contains("SECRETpw99"),
                        e.getMessage());
            }
        }
    }

    @Test
    void aPostgresqlDatabaseImportsAsTheSqliteOneDoes() throws Exception {
        String uri = "postgresql://postgres:secret@localhost:" + server.getPort() + "/mlflow";
        try (Tracker tracker = Tracker.inMemory()) {
            MlflowImportReport report = MlflowImport.from(uri).into(tracker).run();
            assertEquals("postgresql://(credentials hidden)@localhost:" + server.getPort() + "/mlflow", report.source(),
                    "the password is not printed");
            assertEquals("3 experiments, 6 runs, 4 metric points, 2 artifacts (38 bytes), 1 models, 2 versions",
                    report.counts(), report::toString);
            assertTrue(report.skipped().contains(new MlflowImportReport.Skipped("artifacts of run " + CHILD,
                    "their location ./mlartifacts/1/" + CHILD + "/artifacts is relative to wherever the MLflow server ran;"
                            + " a server's database does not say where")), report::toString);
            assertEquals(5, report.skipped().size(), report::toString);
            assertTrue(Double.isNaN(tracker.metricHistory(CHILD, "loss").get(1).value()), "is_nan, a boolean here");
            assertEquals(List.of("training"), tracker.getRun(CHILD).inputs().stream().map(i -> i.context()).toList());
            assertEquals(LifecycleStage.DELETED, tracker.getRun(DELETED).info().lifecycleStage());
            ModelRegistry registry = ModelRegistry.of(tracker);
            assertEquals(Stage.PRODUCTION, registry.getByAlias(MODEL, "champion").stage());
            assertEquals(Stage.STAGING, registry.getVersion(MODEL, 2).stage());
        }
    }
}
