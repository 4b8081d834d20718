package dev.runlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tour the launcher's first run takes so that its class archive covers the read commands. */
class ArchiveTourTest {
    @TempDir
    Path parent;

    @Test
    void everyCommandOfTheTourSucceedsAndItsScratchStoreIsGone() throws Exception {
        // A command that starts failing (a renamed option, a changed argument) would leave its classes
        // out of every user's archive without anyone seeing it; so each must exit 0 here.
        List<Integer> codes = ArchiveTour.run(parent);

        assertEquals(Collections.nCopies(6, 0), codes);
        try (var left = Files.list(parent)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aTourThatCannotStartLeavesNothingAndThrowsNothing() {
        // The user's command has already run; a tour that cannot make its directory only archives less.
        assertEquals(List.of(), ArchiveTour.run(parent.resolve("missing")));
    }
}
