package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.cli.CliHarness.Result;
import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code runlog doctor} on a store whose artifact store checks what it serves (artifacts in the
 * PostgreSQL database): a changed file is a problem the report lists, beside the files that are
 * fine, never the end of the command.
 */
class PostgresDoctorTest {
    /** Read commands made Runlog's tables in any database they were pointed at (a mistyped name, another application's). */
    @Test
    void readCommandsLeaveADatabaseWithoutRunlogTablesAsTheyFoundIt() throws Exception {
        String uri = SharedPostgres.freshDatabase();
        String database = uri.substring(uri.lastIndexOf('/') + 1);
        for (String command : List.of("experiments", "doctor", "runs", "ui")) {
            Result r = byUri("--store", uri, command);
            assertEquals(RunlogCli.FAILED, r.code(), r::toString);
            assertTrue(r.err().contains("No Runlog store in the PostgreSQL database") && r.err().contains("makes none"), r.err());
        }
        try (Connection c = SharedPostgres.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "tables made in " + database);
        }
        try (Tracker tracker = Tracker.builder().uri(uri).shutdownHook(false).build()) {
            tracker.createExperiment("made");
        }
        Result r = byUri("--store", uri, "experiments");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("made"), r.out());
    }

    /** A command run as a process runs it: the store opened by URI (CliHarness opens it itself, making it). */
    private static Result byUri(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Context ctx = Context.forTest(new PrintWriter(out), new PrintWriter(err), Clock.systemUTC(), null)) {
            int code = RunlogCli.execute(ctx, args);
            ctx.close();
            return new Result(code, out.toString(), err.toString());
        }
    }

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
