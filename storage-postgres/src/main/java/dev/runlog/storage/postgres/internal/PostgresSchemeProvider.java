package dev.runlog.storage.postgres.internal;

/** {@code postgres://...}, the other spelling libpq accepts: the same store as {@link PgStoreProvider}. */
public final class PostgresSchemeProvider extends PgStoreProvider {
    /** For {@link java.util.ServiceLoader}. */
    public PostgresSchemeProvider() {
        super("postgres");
    }
}
