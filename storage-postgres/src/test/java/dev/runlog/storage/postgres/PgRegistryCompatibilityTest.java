package dev.runlog.storage.postgres;

import dev.runlog.tracking.tck.RegistryStoreCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL registry, in the tracking database, keeps the whole registry contract. */
@ExtendWith(TestPostgres.class)
class PgRegistryCompatibilityTest extends RegistryStoreCompatibilityKit {
    @Override
    protected String storeUri(Path tempDir) {
        return TestPostgres.get().freshStoreUri(tempDir);
    }
}
