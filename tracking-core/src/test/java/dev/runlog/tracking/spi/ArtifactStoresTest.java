package dev.runlog.tracking.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runlog.tracking.ArtifactEntry;
import dev.runlog.tracking.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoresTest {
    @TempDir
    Path dir;

    @Test
    void immutableOptionMapsAreAcceptedAndADirectoryStoresFiles() throws Exception {
        ArtifactStore store = ArtifactStores.open(dir.toString(), Map.of());
        try {
            String run = "0123456789abcdef0123456789abcdef";
            ArtifactEntry entry = store.put(run, "a.txt", new ByteArrayInputStream(new byte[] {1, 2, 3}));
            assertEquals(3, entry.size());
            try (var stream = Files.walk(dir)) {
                assertTrue(stream.anyMatch(p -> p.getFileName().toString().equals("a.txt")));
            }
        } finally {
            store.close();
        }
    }

    @Test
    void anOptionWithoutANameOrForADirectoryIsRefusedByName() {
        Map<String, String> nullName = new HashMap<>();
        nullName.put(null, "x");
        assertThrows(InvalidInputException.class, () -> ArtifactStores.open(dir.toString(), nullName));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ArtifactStores.open(dir.toString(), Map.of("region", "eu-west-1")));
        assertTrue(e.getMessage().contains("region"), e.getMessage());
    }

    /** A URI whose scheme was left out (user:secret@host) showed the secret: it is hidden as behind a //. */
    @Test
    void credentialsAreHiddenWithOrWithoutTheSlashesAndUnknownOptionsWithoutTheirValues() {
        assertEquals("(credentials hidden)@host/db", InputRules.hideCredentials("bob:s3cr3t@host/db"));
        assertEquals("No store for scheme 'bob' (tracking URI '(credentials hidden)@host/db')",
                InputRules.hideCredentials("No store for scheme 'bob' (tracking URI 'bob:s3cr3t@host/db')"));
        assertEquals("sqlite:runs.db", InputRules.hideCredentials("sqlite:runs.db"));
        assertEquals("models:/m@champion", InputRules.hideCredentials("models:/m@champion"));
        assertEquals("sqlite:/tmp/x.db?pwd=(hidden)&synchronous=(hidden)",
                InputRules.hideOptionValues("sqlite:/tmp/x.db?pwd=hunter2&synchronous=full"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ArtifactStores.open(dir.toString(), Map.of("pwd", "hunter2")));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aFileLocationWithCredentialsIsRefusedWithoutThem() {
        for (String location : new String[] {"file://AK:SECRETPW@host/dir", "file://AK:SECRETPW@ho st/dir",
                "ftp://AK:SECRETPW@host/dir"}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ArtifactStores.open(location, Map.of()));
            assertFalse(e.getMessage().contains("SECRETPW"), e.getMessage());
            assertTrue(e.getMessage().contains("(credentials hidden)"), e.getMessage());
        }
    }
}
