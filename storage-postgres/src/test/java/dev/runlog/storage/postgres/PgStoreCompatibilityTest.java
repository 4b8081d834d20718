package dev.runlog.storage.postgres;

import dev.runlog.tracking.tck.TrackingStoreCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL store keeps the whole tracking contract. */
@ExtendWith(TestPostgres.class)
class PgStoreCompatibilityTest extends TrackingStoreCompatibilityKit {
    @Override
    protected String storeUri(Path tempDir) {
        return TestPostgres.get().freshStoreUri(tempDir);
    }
}
