/**
 * The SQLite store behind {@code sqlite:PATH} URIs: the schema and its numbered migrations, the
 * tracking and registry stores, and the providers that {@link java.util.ServiceLoader} finds. Not
 * an API: anything here may change in any release. Open it with
 * {@code Tracker.open("sqlite:PATH")}; the store contract is {@link dev.runlog.tracking.spi}.
 */
package dev.runlog.storage.sqlite.internal;
