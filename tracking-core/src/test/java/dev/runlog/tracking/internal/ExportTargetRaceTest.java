package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ActiveRun;
import dev.runlog.tracking.ConflictException;
import dev.runlog.tracking.InvalidInputException;
import dev.runlog.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where an export puts its archive: never over a file that appeared or changed while it wrote
 * (another export to the same path, a file the user made meanwhile), never onto a device or a
 * pipe, and never through a file taken for a directory.
 */
class ExportTargetRaceTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatAppearsWhileTheArchiveIsWrittenIsKept() throws Exception {
        Path target = dir.resolve("precious.tar.gz");
        BasicFileAttributes before = ExportTargets.before(target, target); // nothing there when the export began
        Path archive = Files.writeString(dir.resolve("archive.tmp"), "the archive");
        Files.writeString(target, "PRECIOUS user data");

        ConflictException e = assertThrows(ConflictException.class, () -> ExportTargets.place(target, archive, target, before));

        assertTrue(e.getMessage().contains("appeared while the archive was written"), e.getMessage());
        assertEquals("PRECIOUS user data", Files.readString(target));
    }

    @Test
    void aFileReplacedOnlyIfItIsStillTheOneThereWhenTheExportBegan() throws Exception {
        Path target = Files.writeString(dir.resolve("nightly.tar.gz"), "last night's archive");
        BasicFileAttributes before = ExportTargets.before(target, target);
        Path first = Files.writeString(dir.resolve("first.tmp"), "tonight's archive");
        ExportTargets.place(target, first, target, before);
        assertEquals("tonight's archive", Files.readString(target), "the file found at the start is replaced");

        BasicFileAttributes now = ExportTargets.before(target, target);
        Files.writeString(target, "another export's archive, written meanwhile");
        Path second = Files.writeString(dir.resolve("second.tmp"), "a late archive");
        assertThrows(ConflictException.class, () -> ExportTargets.place(target, second, target, now));
        assertEquals("another export's archive, written meanwhile", Files.readString(target));
    }

    @Test
    void twoExportsToOnePathKeepOneArchiveAndFailTheOther() throws Exception {
        Path target = dir.resolve("race.tar.gz");
        BasicFileAttributes first = ExportTargets.before(target, target);
        BasicFileAttributes second = ExportTargets.before(target, target);
        ExportTargets.place(target, Files.writeString(dir.resolve("a.tmp"), "run a"), target, first);
        Path b = Files.writeString(dir.resolve("b.tmp"), "run b");
        assertThrows(ConflictException.class, () -> ExportTargets.place(target, b, target, second));
        assertEquals("run a", Files.readString(target));
        assertTrue(Files.exists(b), "left for the caller to delete");
    }

    @Test
    void aPipeOrADeviceIsNoPlaceForAnArchiveAndAFileIsNoDirectory() throws Exception {
        Path pipe = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        try (Tracker tracker = Tracker.inMemory()) {
            String id;
            try (ActiveRun run = tracker.startRun("exported")) {
                id = run.id();
            }
            InvalidInputException notFile = assertThrows(InvalidInputException.class, () -> tracker.exportRun(id, pipe));
            assertTrue(notFile.getMessage().contains("is not a regular file"), notFile.getMessage());
            assertTrue(Files.exists(pipe) && !Files.isRegularFile(pipe, LinkOption.NOFOLLOW_LINKS), "the pipe stays");

            Path file = Files.writeString(dir.resolve("run5.tar.gz"), "an archive");
            InvalidInputException under = assertThrows(InvalidInputException.class,
                    () -> tracker.exportRun(id, file.resolve("sub.tar.gz")));
            assertTrue(under.getMessage().contains("which is a file, not a directory"), under.getMessage());
            assertEquals("an archive", Files.readString(file));
        }
    }
}
