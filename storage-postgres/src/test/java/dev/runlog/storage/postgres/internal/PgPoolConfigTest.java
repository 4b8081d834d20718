package dev.runlog.storage.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the pool is given: HikariCP logs every property of its configuration at DEBUG (a getter at
 * a time, as this test reads them), masking only a password it knows as one. No secret of the URI
 * may be among them; the driver still gets every option.
 */
class PgPoolConfigTest {
    @Test
    void noSecretOfTheUriIsAmongWhatThePoolLogs() throws Exception {
        PgUri uri = PgUri.parse("postgresql://me:pw-S3cret@db.example.com:5433/runlog?sslmode=verify-full"
                + "&sslpassword=key-S3cret&connectTimeout=3&ApplicationName=trainer", variable -> null, Path.of("no-home"));
        HikariConfig config = PgDatabase.poolConfig(uri);
        for (PropertyDescriptor property : Introspector.getBeanInfo(HikariConfig.class).getPropertyDescriptors()) {
            if (property.getReadMethod() == null || property.getName().equals("password")) {
                continue; // the one HikariCP masks, and it is not set: the data source holds it
            }
            String shown = String.valueOf(property.getReadMethod().invoke(config));
            assertFalse(shown.contains("S3cret"), property.getName() + " shows " + shown);
        }
        PGSimpleDataSource driver = (PGSimpleDataSource) config.getDataSource();
        assertEquals("key-S3cret", driver.getSslPassword());
        assertEquals("pw-S3cret", driver.getPassword());
        assertEquals("me", driver.getUser());
        assertEquals("verify-full", driver.getSslMode());
        assertEquals(3, driver.getConnectTimeout());
        assertEquals("trainer", driver.getApplicationName());
        assertEquals(3, driver.getLoginTimeout(), "the login is bounded like the connect");
        assertTrue(driver.getOptions().startsWith("-c jit=off"), driver.getOptions());
        assertEquals("db.example.com", driver.getServerNames()[0]);
        assertEquals(5433, driver.getPortNumbers()[0]);
        assertEquals("runlog", driver.getDatabaseName());
        assertEquals(3_000, config.getConnectionTimeout());
    }

    /** A wrong sslmode was reported, a second later, as a database out of reach. */
    @Test
    void anSslmodeOfNoKnownValueIsRefusedBeforeAnythingConnects() {
        dev.runlog.tracking.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.runlog.tracking.InvalidInputException.class, () -> PgUri.parse(
                        "postgresql://me@db.example.com/runlog?sslmode=bogus", variable -> null, Path.of("no-home")));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("sslmode 'bogus' is none of disable, allow,"
                + " prefer, require, verify-ca, verify-full"), e.getMessage());
        PgUri.parse("postgresql://me@db.example.com/runlog?sslmode=verify-ca", variable -> null, Path.of("no-home"));
    }

    @Test
    void aConnectTimeoutOutsideZeroToAnHourIsRefusedByName() {
        for (String seconds : new String[] {"-5", "3601", "ten"}) {
            PgUri uri = PgUri.parse("postgresql://me@db.example.com/runlog?connectTimeout=" + seconds, variable -> null,
                    Path.of("no-home"));
            dev.runlog.tracking.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.runlog.tracking.InvalidInputException.class, () -> PgDatabase.poolConfig(uri));
            assertTrue(e.getMessage().startsWith("connectTimeout=" + seconds + " is not"), e.getMessage());
        }
    }
}
