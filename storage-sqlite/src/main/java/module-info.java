/**
 * The embedded SQLite store, {@code sqlite:PATH}: tracking and model registry in one file. It
 * exports nothing; {@code Tracker.open("sqlite:...")} and {@code ModelRegistry.of(tracker)} find it
 * through the providers below.
 *
 * <p>It provides a registry store too, so on the module path it needs {@code dev.runlog.registry}
 * (on the class path that module stays optional).
 */
module dev.runlog.storage.sqlite {
    requires dev.runlog.tracking;
    requires dev.runlog.registry;
    requires com.fasterxml.jackson.databind;
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    provides dev.runlog.tracking.spi.StoreProvider with dev.runlog.storage.sqlite.internal.SqliteStoreProvider;
    provides dev.runlog.registry.spi.RegistryStoreProvider
            with dev.runlog.storage.sqlite.internal.SqliteRegistryStoreProvider;
}
