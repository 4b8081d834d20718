package dev.runlog.storage.postgres;

import dev.runlog.tracking.spi.StoreProvider;
import dev.runlog.tracking.tck.StoreSpiCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL store, and the registry in its database, keep the contract a tracker cannot reach. */
@ExtendWith(TestPostgres.class)
class PgStoreSpiCompatibilityTest extends StoreSpiCompatibilityKit {
    @Override
    protected StoreProvider.Stores openStores(Path dir) {
        return openByUri(TestPostgres.get().freshStoreUri(dir));
    }
}
