package dev.runlog.storage.sqlite;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.TrackerStores;
import java.io.FilterInputStream;
import java.io.IOException;

/**
 * Run in a child JVM by {@link DeadProcessRunsTest}. Argument: the database file. Starts a run and
 * prints {@code RUN <runId>}, then uploads an artifact whose content comes from standard input,
 * printing {@code STREAMING} once the upload reads its first byte: from then on its temporary file
 * exists, and stays until standard input ends or the parent kills this JVM.
 */
public final class OwnerChild {
    private OwnerChild() {
    }

    public static void main(String[] args) {
        Tracker tracker = Tracker.open("sqlite:" + args[0]); // never closed: the parent kills this JVM
        ActiveRun run = tracker.startRun("owners");
        run.logParam("pid", ProcessHandle.current().pid());
        run.logMetric("alive", 1.0, 0).flush(); // its last sign of life, which its end time becomes
        System.out.println("RUN " + run.id());
        TrackerStores.of(tracker).artifacts().put(run.id(), "upload.bin", new FilterInputStream(System.in) {
            private boolean announced;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (!announced) {
                    announced = true;
                    System.out.println("STREAMING");
                }
                return super.read(b, off, len);
            }
        });
        Runtime.getRuntime().halt(0);
    }
}
