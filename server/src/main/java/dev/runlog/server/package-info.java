/**
 * Runlog's server: {@link dev.runlog.server.RunlogServer} serves a JSON API (read-only unless writes are allowed) over a
 * {@code Tracker}, configured by {@link dev.runlog.server.ServerOptions}.
 */
package dev.runlog.server;
