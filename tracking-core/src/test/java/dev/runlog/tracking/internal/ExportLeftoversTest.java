package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.Tracker;
import dev.runlog.tracking.spi.ProcessOwner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The temporary file an export killed outright leaves beside its archive: the next export there deletes it. */
class ExportLeftoversTest {
    @TempDir
    Path dir;

    @Test
    void anExportDeletesTheTemporaryFilesOfDeadExportsOnly() throws Exception {
        ProcessOwner self = ProcessOwner.current();
        long deadPid = DeadProcesses.endedPid();
        String deadTag = self.machineToken() + "-" + deadPid + "-x";
        Path dead = Files.writeString(dir.resolve(".export-" + deadTag + "-123.tmp"), "half an archive");
        Path alive = Files.writeString(dir.resolve(".export-" + self.nameTag() + "-456.tmp"), "another export, running");
        Path elsewhere = Files.writeString(dir.resolve(".export-otherhost-" + deadPid + "-x-789.tmp"), "another machine's");
        Path unrelated = Files.writeString(dir.resolve(".export-notes.tmp"), "the user's own file");
        Path kept = Files.writeString(dir.resolve("kept.txt"), "a link's target");
        Path link = Files.createSymbolicLink(dir.resolve(".export-" + deadTag + "-999.tmp"), kept);

        try (Tracker tracker = Tracker.inMemory()) {
            String id;
            try (ActiveRun run = tracker.startRun("exported")) {
                run.logParam("lr", "0.1");
                id = run.id();
            }
            tracker.exportRun(id, dir.resolve("run.tar.gz"));
        }

        assertFalse(Files.exists(dead), "an export of a process that ended");
        assertTrue(Files.exists(alive), "an export of this live process");
        assertTrue(Files.exists(elsewhere), "another machine's: its pids mean nothing here");
        assertTrue(Files.exists(unrelated));
        assertTrue(Files.isSymbolicLink(link), "a link is not a file an export made");
        assertEquals("a link's target", Files.readString(kept));
        Set<String> left;
        try (Stream<Path> files = Files.list(dir)) {
            left = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertEquals(Set.of("run.tar.gz", alive.getFileName().toString(), elsewhere.getFileName().toString(),
                unrelated.getFileName().toString(), "kept.txt", link.getFileName().toString()), left,
                "the export's own temporary file is gone once the archive is in place");
    }
}
