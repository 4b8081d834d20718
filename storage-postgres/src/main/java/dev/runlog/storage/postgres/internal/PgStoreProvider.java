package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.spi.ArtifactStore;
import dev.runlog.tracking.spi.StoreProvider;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code postgresql://user[:password]@host[:port]/database[?options]}: tracking data, the model
 * registry and, by default, artifacts in one PostgreSQL database that every host of a team
 * reaches. See {@link PgUri} for the password (URI, {@code PGPASSWORD}, {@code ~/.pgpass}) and the
 * options and {@code artifacts=}.
 */
public class PgStoreProvider implements StoreProvider {
    private final String scheme;

    /** The provider of {@code postgresql:}, for {@link java.util.ServiceLoader}. */
    public PgStoreProvider() {
        this("postgresql");
    }

    PgStoreProvider(String scheme) {
        this.scheme = scheme;
    }

    @Override
    public final String scheme() {
        return scheme;
    }

    @Override
    public final Stores open(String uri) {
        return open(uri, true);
    }

    /** As {@link #open}, for a database that holds Runlog's tables: one without them is a {@link dev.runlog.tracking.NotFoundException}, and is left as it is. */
    @Override
    public final Stores openExisting(String uri) {
        return open(uri, false);
    }

    private Stores open(String uri, boolean create) {
        PgUri parsed = PgUri.parse(uri, System::getenv, Path.of(System.getProperty("user.home")));
        // Opened before the database, as the SQLite store does: a bad location is refused before anything connects.
        Optional<ArtifactStore> elsewhere = parsed.openArtifacts();
        PgDatabase db;
        try {
            db = PgDatabase.open(parsed, create);
        } catch (RuntimeException e) {
            elsewhere.ifPresent(ArtifactStore::close);
            throw e;
        }
        return new Stores(new PgTrackingStore(db), elsewhere.orElseGet(() -> new PgArtifactStore(db)));
    }
}
