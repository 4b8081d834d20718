package dev.runlog.storage.postgres.internal;

import dev.runlog.tracking.spi.StoreProvider;
import java.nio.file.Path;

/**
 * {@code postgresql://user[:password]@host[:port]/database[?options]}: tracking data, the model
 * registry and, by default, artifacts in one PostgreSQL database that every host of a team
 * reaches. See {@link PgUri} for the password (URI, {@code PGPASSWORD}, {@code ~/.pgpass}) and the
 * options, {@link ArtifactLocation} for {@code artifacts=}.
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
        PgUri parsed = PgUri.parse(uri, System::getenv, Path.of(System.getProperty("user.home")));
        PgDatabase db = PgDatabase.open(parsed);
        try {
            return new Stores(new PgTrackingStore(db), parsed.artifacts().open(() -> new PgArtifactStore(db)));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
