/**
 * The PostgreSQL store, {@code postgresql://user@host:port/db}: tracking, model registry and (by
 * default) artifacts in one PostgreSQL database that every training machine of a team reaches. It
 * exports nothing; {@code Tracker.open("postgresql://...")} and {@code ModelRegistry.of(tracker)}
 * find it through the providers below.
 */
module dev.runlog.storage.postgres {
    requires dev.runlog.tracking;
    requires dev.runlog.registry;
    requires java.sql;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;

    provides dev.runlog.tracking.spi.StoreProvider with dev.runlog.storage.postgres.internal.PgStoreProvider,
            dev.runlog.storage.postgres.internal.PostgresSchemeProvider;
    provides dev.runlog.registry.spi.RegistryStoreProvider
            with dev.runlog.storage.postgres.internal.PgRegistryStoreProvider;
}
