package dev.runlog.storage.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runlog.storage.postgres.TestPostgres;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server settings of the store's sessions: JIT compilation off unless the URI's {@code options}
 * turn it on (a full sort of many runs otherwise compiles for some 300 ms on servers built with
 * LLVM), and the URI's other options kept beside it.
 */
@ExtendWith(TestPostgres.class)
class PgSessionOptionsTest {

    @Test
    void jitIsOffUnlessTheUriTurnsItOn(@TempDir Path dir) {
        String uri = TestPostgres.get().freshStoreUri(dir.resolve("store"));
        assertEquals("off", setting(uri, "jit"));
        String on = uri + "?options=-c%20jit%3Don%20-c%20work_mem%3D8MB";
        assertEquals("on", setting(on, "jit"));
        assertEquals("8MB", setting(on, "work_mem"));
        String other = uri + "?options=-c%20work_mem%3D8MB";
        assertEquals("off", setting(other, "jit"));
        assertEquals("8MB", setting(other, "work_mem"));
    }

    /** The value of {@code name} in a session of a store opened on {@code uri}. */
    private static String setting(String uri, String name) {
        try (PgDatabase db = PgDatabase.open(PgUri.parse(uri, variable -> null, Path.of("no-home")), true)) {
            return db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    return rs.getString(1);
                }
            });
        }
    }
}
