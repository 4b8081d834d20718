package dev.runlog.tracking.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.InvalidInputException;
import org.junit.jupiter.api.Test;

class ArtifactPathsTest {
    @Test
    void aDriveLikeStartIsRefusedForWhatItIsAndALaterColonIsKept() {
        InvalidInputException drive = assertThrows(InvalidInputException.class, () -> ArtifactPaths.normalize("a:b"));
        assertTrue(drive.getMessage().contains("starts like a Windows drive ('a:')"), drive.getMessage());

        InvalidInputException absolute = assertThrows(InvalidInputException.class, () -> ArtifactPaths.normalize("/etc/x"));
        assertTrue(absolute.getMessage().contains("is absolute"), absolute.getMessage());

        assertEquals("plots/epoch:3.png", ArtifactPaths.normalize("plots/epoch:3.png"));
        assertEquals("ab:c", ArtifactPaths.normalize("ab:c"));
    }
}
