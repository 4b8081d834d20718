/**
 * Runlog's server: {@link dev.runlog.server.RunlogServer} serves a read-only JSON API over a
 * {@code Tracker}, configured by {@link dev.runlog.server.ServerOptions}.
 */
package dev.runlog.server;
