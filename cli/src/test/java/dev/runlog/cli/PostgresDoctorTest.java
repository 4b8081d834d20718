package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.cli.CliHarness.Result;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * {@code runlog doctor} on a store whose artifact store checks what it serves (artifacts in the
 * PostgreSQL database): a changed file is a problem the report lists, beside the files that are
 * fine, never the end of the command.
 */
class PostgresDoctorTest {
    @Test
    void aChangedArtifactInTheDatabaseIsListedAndTheOthersChecked() throws Exception {
        String uri = SharedPostgres.freshDatabase();
        String runId;
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build();
             ActiveRun run = tracker.startRun("doctor")) {
            run.logText("left alone", "a.txt").logText("to be changed", "b.txt").logText("left alone too", "c.txt");
            runId = run.id();
        }
        try (Connection c = SharedPostgres.connect(uri.substring(uri.lastIndexOf('/') + 1)); Statement s = c.createStatement()) {
            s.execute("UPDATE runlog_artifact_pieces SET data = 'changed in place'::bytea WHERE file_id ="
                    + " (SELECT file_id FROM runlog_artifact_files WHERE path = 'b.txt')");
        }
        try (CliHarness cli = new CliHarness(uri)) {
            Result doctor = cli.run("doctor");
            assertEquals(RunlogCli.FAILED, doctor.code(), doctor::toString);
            assertTrue(doctor.out().contains("3 files"), doctor.out());
            assertTrue(doctor.out().contains("artifacts: run " + runId + ": b.txt: changed:"), doctor.out());
            assertTrue(doctor.out().contains("unhealthy: 1 problem"), doctor.out());
            Result json = cli.run("doctor", "--format", "json");
            assertTrue(json.out().startsWith("{\"healthy\":false"), json.out());
        }
    }
}
