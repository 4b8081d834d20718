/**
 * The PostgreSQL store behind {@code postgresql://} (and {@code postgres://}) URIs: URI and
 * password rules, the connection pool, the versioned schema, the tracking, registry and artifact
 * stores, and the providers {@link java.util.ServiceLoader} finds. Not an API: anything here may
 * change in any release. Open it with {@code Tracker.open("postgresql://user@host/db")}; the store
 * contract is {@link dev.runlog.tracking.spi}.
 */
package dev.runlog.storage.postgres.internal;
