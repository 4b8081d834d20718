package dev.runlog.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.spi.ProcessOwner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loaded-model directories a process killed outright leaves: the next tracker's first load removes them. */
class ModelCopiesTest {
    @TempDir
    Path parent;

    @Test
    void theFirstLoadRemovesTheDirectoriesOfDeadProcessesOnly() throws Exception {
        long deadPid = DeadProcesses.endedPid();
        ProcessOwner self = ProcessOwner.current();
        String token = self.machineToken();
        Path dead = privateDirectory(ModelCopies.PREFIX + token + "-" + deadPid + "-x-123");
        // Named as a dead process's, but open to others, or another user's: anyone can make such a
        // directory in a shared tmpdir and swap its insides for links while they are deleted.
        Path open = copyDirectory(ModelCopies.PREFIX + token + "-" + deadPid + "-x-124");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path others = privateDirectory(ModelCopies.PREFIX + token + "-" + deadPid + "-x-125");
        boolean root = System.getProperty("user.name").equals("root");
        if (root) {
            Files.setOwner(others, others.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        }
        Path alive = copyDirectory(ModelCopies.PREFIX + self.nameTag() + "-456");
        Path elsewhere = copyDirectory(ModelCopies.PREFIX + "otherhost-" + deadPid + "-x-789");
        Path unrelated = copyDirectory(ModelCopies.PREFIX + "not-ours");
        // A link with a dead owner's name is removed as a link; what it points at is not touched.
        Path target = copyDirectory("kept-by-someone");
        Path link = Files.createSymbolicLink(parent.resolve(ModelCopies.PREFIX + token + "-" + deadPid + "-x-999"), target);

        ModelCopies copies = new ModelCopies(parent);
        Path load = copies.startLoad();
        copies.endLoad(load, true);

        assertFalse(Files.exists(dead), "a directory of a process that ended");
        assertTrue(Files.exists(open.resolve("weights.bin")), "a directory others may write in is not swept");
        assertEquals(!root, !Files.exists(others), "another user's directory is not swept (checked when the tests run as root)");
        assertTrue(Files.exists(alive.resolve("weights.bin")), "a directory of this live process");
        assertTrue(Files.exists(elsewhere.resolve("weights.bin")), "another machine's: its pids mean nothing here");
        assertTrue(Files.exists(unrelated.resolve("weights.bin")));
        assertTrue(Files.exists(target.resolve("weights.bin")));
        assertTrue(Files.isSymbolicLink(link), "a link is not a directory this tracker made");
        Set<String> left;
        try (Stream<Path> entries = Files.list(parent)) {
            left = entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertEquals(root ? 8 : 7, left.size(), left::toString);

        copies.close();
        assertFalse(Files.exists(load));
    }

    /** As createTempDirectory makes one: this user's, mode 700. */
    private Path privateDirectory(String name) throws Exception {
        Path dir = copyDirectory(name);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    private Path copyDirectory(String name) throws Exception {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.writeString(dir.resolve("weights.bin"), "w");
        return dir;
    }
}
