package dev.runlog.storage.postgres;

import dev.runlog.tracking.tck.RegistryStoreCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** The PostgreSQL registry, in the tracking database, keeps the whole registry contract. */
/*
 * Its tests run concurrently with each other, not only with other classes: every test has a database of
 * its own (TestPostgres), and a kit test spends most of its time waiting on round trips to the server,
 * so while one waits another runs. Run one after another, this class alone was most of the module's time.
 */
@Execution(ExecutionMode.CONCURRENT)
@ExtendWith(TestPostgres.class)
class PgRegistryCompatibilityTest extends RegistryStoreCompatibilityKit {
    @Override
    protected String storeUri(Path tempDir) {
        return TestPostgres.get().freshStoreUri(tempDir);
    }
}
