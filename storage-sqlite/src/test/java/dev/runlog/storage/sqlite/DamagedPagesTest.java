package dev.runlog.storage.sqlite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.IntegrityException;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.StoreCheck;
import dev.runlog.tracking.spi.TrackerAccess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file whose pages were overwritten (a bad disk, a stray dd): SQLite's answer SQLITE_CORRUPT is
 * an {@link IntegrityException} (a retry cannot help), and the store check reports the damage it
 * meets instead of failing with it.
 */
class DamagedPagesTest {
    @TempDir
    Path dir;

    @Test
    void damagedPagesAreReportedByTheCheckAndRefuseWritesAsDamage() throws IOException {
        Path db = dir.resolve("damaged.db");
        try (Tracker tracker = Tracker.open("sqlite:" + db)) {
            for (int r = 0; r < 40; r++) {
                try (ActiveRun run = tracker.startRun("pages")) {
                    for (int p = 0; p < 20; p++) {
                        run.logParam("param" + p, "value " + r + "/" + p);
                    }
                    run.setTag("note", "x".repeat(500));
                }
            }
        }
        try (FileChannel file = FileChannel.open(db, StandardOpenOption.WRITE)) {
            // Pages in the second half: rows of params and tags, past the schema the open reads.
            byte[] noise = new byte[4096 * 4];
            new Random(7).nextBytes(noise);
            file.write(ByteBuffer.wrap(noise), file.size() / 4096 / 2 * 4096);
        }

        try (Tracker tracker = Tracker.open("sqlite:" + db)) {
            StoreCheck check = TrackerAccess.of(tracker).stores().tracking().checkStore();
            assertTrue(check.problems().stream().anyMatch(p -> p.startsWith("the integrity check could not finish")
                    && p.contains("SQLITE_CORRUPT")), String.valueOf(check.problems()));
            IntegrityException e = assertThrows(IntegrityException.class, () -> {
                for (int r = 0; r < 40; r++) {
                    try (ActiveRun run = tracker.startRun("pages")) {
                        run.logParam("again", "v" + r);
                    }
                    tracker.searchRuns().experiments("pages").filter("params.param3 = 'value 1/3'").list();
                }
            });
            assertTrue(e.getMessage().contains("is damaged") && e.getMessage().contains("retrying will not help"), e.getMessage());
        }
    }
}
