package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.tracking.StoreException;
import org.junit.jupiter.api.Test;

/** The second half of an error line: what to do next, which must not send a user to retry what cannot work. */
class ErrorHintTest {
    @Test
    void aFullDiskIsNotToldToRetryAsItIs() {
        for (String full : new String[] {"The Runlog database /d/g.db failed: [SQLITE_FULL] database or disk is full",
                "Could not store artifact 'a.bin' of run r: No space left on device"}) {
            assertEquals("; the disk is full: free some space and try again (gc too needs a little to record its purge)",
                    RunlogCli.hint(new StoreException(full), "runlog gc"), full);
        }
        assertEquals("; the disk is full: free some space and try again (gc too needs a little to record its purge)",
                RunlogCli.hint(new StoreException("Cannot read the Runlog database ([SQLITE_IOERR_SHMSIZE] disk I/O error)"),
                        "runlog doctor"), "the shared-memory file cannot grow on a full disk");
        assertEquals("", RunlogCli.hint(new StoreException("Cannot read the Runlog database ([SQLITE_IOERR_SHMSIZE] disk I/O error);"
                + " it was left untouched; the disk holding it is full (0 bytes free): free some space and try again"),
                "runlog doctor"), "said once, by the store");
        assertEquals("; the disk is full: free some space and copy again, into a new store",
                RunlogCli.hint(new StoreException("Could not store artifact 'a.bin': No space left on device"), "runlog copy"));
        assertEquals("; if the store was busy or out of reach, try again",
                RunlogCli.hint(new StoreException("The Runlog database is locked"), "runlog gc"));
    }

    @Test
    void aStoreThatIsNotThereSendsTheUserToStoreNotToTheirIds() {
        assertEquals("; check --store: runlog makes a store only for import, import-mlflow, copy --to and ui --allow-writes",
                RunlogCli.hint(new dev.runlog.tracking.NotFoundException("No Runlog store in the PostgreSQL database"
                        + " postgresql://u@h/db: it holds none of Runlog's tables, and this opening makes none"), "runlog runs"));
    }

    @Test
    void anArchiveThatCannotBeWrittenIsNotBlamedOnTheStore() {
        assertEquals("", RunlogCli.hint(new StoreException("Could not write archive x/run.tar.gz: Operation not permitted"
                + " (/x/.export-1.tmp)"), "runlog export"));
        assertEquals("; the disk is full: free some space and export again", RunlogCli.hint(new StoreException(
                "Could not write archive x/run.tar.gz: No space left on device (/x/.export-1.tmp)"), "runlog export"));
    }

    @Test
    void whatARetryCannotMendIsNotToldToRetry() {
        assertEquals("", RunlogCli.hint(new StoreException("The Runlog database x.db has schema version 99 (this Runlog knows 11);"
                + " it was written by a newer Runlog. Upgrade Runlog to open it; the file was left untouched"), "runlog runs"));
        assertEquals("", RunlogCli.hint(new StoreException("Cannot open the Runlog database /ro/c.db: SQLite could not open it or"
                + " create its -wal and -shm files beside it; check that this user can read and write the file and its directory"),
                "runlog runs"));
        assertEquals("; this user may not write the store (its file, its directory, or a read-only disk): a retry cannot help",
                RunlogCli.hint(new StoreException("The Runlog database /ro/c.db failed: [SQLITE_READONLY] Attempt to write a readonly database"),
                        "runlog import"));
    }
}
